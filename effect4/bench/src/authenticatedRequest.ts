/**
 * Target 1 on the Effect 4 line, as bench/src/authenticatedRequest.ts measures it on Effect 3:
 * what `BearerHttpClient` adds to one request over the canned client, next to the bare
 * client (the floor) and `HttpClient.mapRequestEffect` reading the same token (the
 * yardstick), with the default tracer and with the tracer disabled.
 */
import { BearerHttpClient } from "@effect-bearer/core"
import { Effect } from "effect"
import { HttpClient, HttpClientError, HttpClientRequest } from "effect/http"
import { cannedApiOrigin, cannedClient, cannedEndpoint, cannedProvider, scoped } from "./cannedClient.js"
import type { Cost, CostPlan } from "./effectCost.js"
import { defaultServices, measureCosts, tracerDisabled } from "./effectCost.js"

export type Client = "bare" | "mapped" | "bearer"
export type Tracer = "on" | "off"

export interface AuthenticatedRequestCost extends Cost {
  readonly client: Client
  readonly tracer: Tracer
}

const labels = { bare: "bare client", mapped: "`mapRequestEffect` + `provider.get`", bearer: "`BearerHttpClient`" }

export const authenticatedRequest = async (plan: CostPlan): Promise<ReadonlyArray<AuthenticatedRequestCost>> => {
  const endpoint = cannedEndpoint()
  const { value: tokens, close } = await scoped(cannedProvider(endpoint))
  try {
    await Effect.runPromise(tokens.get)
    const bare = cannedClient(endpoint)
    const mapped = HttpClient.mapRequestEffect(bare, (request) =>
      tokens.get.pipe(
        Effect.map((token) => HttpClientRequest.bearerToken(request, token.value)),
        Effect.mapError((cause) =>
          new HttpClientError.HttpClientError({ reason: new HttpClientError.EncodeError({ request, cause }) })
        )
      ))
    const bearer = await Effect.runPromise(BearerHttpClient.make(bare, tokens, { origins: [cannedApiOrigin] }))
    const clients = { bare, mapped, bearer }
    const services = { on: defaultServices, off: tracerDisabled }
    const url = `${cannedApiOrigin}/v1/items`
    const subjects = (["on", "off"] as const).flatMap((tracer) =>
      (["bare", "mapped", "bearer"] as const).map((client) => ({
        client,
        tracer,
        label: `${labels[client]}, ${tracer === "on" ? "default tracer" : "tracer disabled"}`,
        services: services[tracer],
        effect: clients[client].get(url)
      }))
    )
    const costs = await measureCosts(subjects, plan)
    return costs.map((cost, i) => ({ ...cost, client: subjects[i]!.client, tracer: subjects[i]!.tracer }))
  } finally {
    await close()
  }
}
