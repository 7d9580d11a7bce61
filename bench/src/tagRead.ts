/**
 * Target 4 in process: the warm read through the tag (`TokenProvider.get`, as the README
 * teaches) next to reading a trivial service through its tag (the Effect floor), and
 * `provider.get` next to a bare `Ref.get`, with exact operations and allocation. The
 * services are in the runtime's context once, as in an application, never provided per read.
 */
import { TokenProvider } from "@effect-bearer/core"
import { Context, Effect, Ref } from "effect"
import type { CostPlan } from "./authenticatedRequest.js"
import { cannedEndpoint, cannedProvider, scoped } from "./cannedClient.js"
import type { Cost } from "./effectCost.js"
import { measureCosts, subject } from "./effectCost.js"

/** A trivial service: one value behind a `Ref`, read through its tag like `TokenProvider.get`. */
class Trivial extends Context.Tag("bench/Trivial")<Trivial, { readonly get: Effect.Effect<unknown> }>() {}

export const tagReadLabels = {
  ref: "bare `Ref.get`",
  providerGet: "`provider.get`",
  trivialTag: "trivial service through its tag",
  tag: "`TokenProvider.get` (through the tag)"
} as const

export type TagReadCosts = Record<keyof typeof tagReadLabels, Cost>

export const tagRead = async (plan: CostPlan): Promise<TagReadCosts> => {
  const { value: tokens, close } = await scoped(cannedProvider(cannedEndpoint()))
  try {
    const token = await Effect.runPromise(tokens.get)
    const ref = Effect.runSync(Ref.make(token))
    const runtime = Effect.runSync(
      Effect.runtime<Trivial | TokenProvider.TokenProvider>().pipe(
        Effect.provideService(Trivial, { get: Ref.get(ref) }),
        Effect.provideService(TokenProvider.TokenProvider, tokens)
      )
    )
    const effects = {
      ref: Ref.get(ref),
      providerGet: tokens.get,
      trivialTag: Effect.flatMap(Trivial, (service) => service.get),
      tag: TokenProvider.get
    }
    const keys = Object.keys(tagReadLabels) as Array<keyof typeof tagReadLabels>
    const costs = await measureCosts(keys.map((key) => subject(tagReadLabels[key], runtime, effects[key])), plan)
    return Object.fromEntries(keys.map((key, i) => [key, costs[i]!])) as TagReadCosts
  } finally {
    await close()
  }
}
