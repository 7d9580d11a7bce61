/**
 * Target 4 on the Effect 4 line: the warm read through the tag (`TokenProvider.get`) next to
 * a trivial service read through its tag (the Effect floor), and `provider.get` next to a
 * bare `Ref.get`, as bench/src/tagRead.ts measures the Effect 3 line's. The services are in
 * the context once, as in an application, never provided per read.
 */
import { TokenProvider } from "@effect-bearer/core"
import { Context, Effect, Ref } from "effect"
import { cannedEndpoint, cannedProvider, scoped } from "./cannedClient.js"
import type { Cost, CostPlan } from "./effectCost.js"
import { defaultServices, measureCosts } from "./effectCost.js"

/** A trivial service: one value behind a `Ref`, read through its tag like `TokenProvider.get`. */
class Trivial extends Context.Service<Trivial, { readonly get: Effect.Effect<unknown> }>()("bench/Trivial") {}

export type TagRead = "ref" | "providerGet" | "trivialTag" | "tag"

export const tagRead = async (plan: CostPlan): Promise<Record<TagRead, Cost>> => {
  const { value: tokens, close } = await scoped(cannedProvider(cannedEndpoint()))
  try {
    const ref = Effect.runSync(Ref.make(await Effect.runPromise(tokens.get)))
    const services = defaultServices.pipe(
      Context.add(Trivial, { get: Ref.get(ref) }),
      Context.add(TokenProvider.TokenProvider, tokens)
    )
    const subjects: ReadonlyArray<readonly [TagRead, string, Effect.Effect<unknown, unknown, any>]> = [
      ["ref", "bare `Ref.get`", Ref.get(ref)],
      ["providerGet", "`provider.get`", tokens.get],
      ["trivialTag", "trivial service through its tag", Effect.flatMap(Trivial, (service) => service.get)],
      ["tag", "`TokenProvider.get` (through the tag)", TokenProvider.get]
    ]
    const costs = await measureCosts(subjects.map(([, label, effect]) => ({ label, services, effect })), plan)
    return Object.fromEntries(subjects.map(([key], i) => [key, costs[i]!])) as Record<TagRead, Cost>
  } finally {
    await close()
  }
}
