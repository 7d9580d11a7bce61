/**
 * Target 1 in process: what the authenticated client adds to one request, over the
 * canned client (no I/O), with the default tracer and with the tracer disabled. The
 * bare client is the floor; `mapRequestEffect` reading the same token is the smallest
 * authenticating middleware, the yardstick of the target.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { BearerHttpClient } from "@effect-bearer/core"
import { Effect, Runtime } from "effect"
import { cannedApiOrigin, cannedClient, cannedEndpoint, cannedProvider, scoped } from "./cannedClient.js"
import type { Cost } from "./effectCost.js"
import { measureCosts, subject } from "./effectCost.js"

export interface CostPlan {
  readonly runs: number
  readonly rounds: number
  readonly allocationBatch: number
}

export const clientLabels = {
  bare: "bare client",
  mapped: "`mapRequestEffect` + `provider.get`",
  bearer: "`BearerHttpClient`"
} as const

export const tracerLabels = { on: "default tracer", off: "tracer disabled" } as const

export interface AuthenticatedRequestCost extends Cost {
  readonly client: keyof typeof clientLabels
  readonly tracer: keyof typeof tracerLabels
}

export const authenticatedRequest = async (plan: CostPlan): Promise<ReadonlyArray<AuthenticatedRequestCost>> => {
  const endpoint = cannedEndpoint()
  const { value: tokens, close } = await scoped(cannedProvider(endpoint))
  try {
    await Effect.runPromise(tokens.get)
    const bare = cannedClient(endpoint)
    const mapped = HttpClient.mapRequestEffect(bare, (request) =>
      tokens.get.pipe(
        Effect.map((token) => HttpClientRequest.bearerToken(request, token.value)),
        Effect.mapError((cause) => new HttpClientError.RequestError({ request, reason: "Encode", cause }))
      ))
    const bearer = await Effect.runPromise(BearerHttpClient.make(bare, tokens, { origins: [cannedApiOrigin] }))
    const clients = { bare, mapped, bearer }
    const runtimes = {
      on: Runtime.defaultRuntime,
      off: Effect.runSync(Effect.withTracerEnabled(Effect.runtime<never>(), false))
    }
    const url = `${cannedApiOrigin}/v1/items`
    const subjects = (["on", "off"] as const).flatMap((tracer) =>
      (["bare", "mapped", "bearer"] as const).map((client) => ({
        client,
        tracer,
        ...subject(`${clientLabels[client]}, ${tracerLabels[tracer]}`, runtimes[tracer], clients[client].get(url))
      }))
    )
    const costs = await measureCosts(subjects, plan)
    return costs.map((cost, i) => ({ ...cost, client: subjects[i]!.client, tracer: subjects[i]!.tracer }))
  } finally {
    await close()
  }
}
