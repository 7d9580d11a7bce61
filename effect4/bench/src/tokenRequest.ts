/**
 * Target 2 on the Effect 4 line: the exact Effect operations, allocation and CPU of
 * `provider.refresh` (endpoint, decode, store: one whole token request) and of
 * `TokenEndpoint.requestToken` alone, over the canned client, as bench/src/tokenRequest.ts
 * measures the Effect 3 line's.
 */
import { Grant, TokenEndpoint } from "@effect-bearer/core"
import { Context, Effect } from "effect"
import { HttpClient } from "effect/http"
import { cannedClient, cannedEndpoint, cannedProvider, cannedTokenEndpoint, scoped } from "./cannedClient.js"
import type { Cost, CostPlan } from "./effectCost.js"
import { defaultServices, measureCosts } from "./effectCost.js"

export const tokenRequest = async (plan: CostPlan): Promise<ReadonlyArray<Cost>> => {
  const endpoint = cannedEndpoint()
  const { value: tokens, close } = await scoped(cannedProvider(endpoint))
  try {
    const services = Context.add(defaultServices, HttpClient.HttpClient, cannedClient(endpoint))
    const tokenEndpoint = await Effect.runPromise(cannedTokenEndpoint)
    return await measureCosts([
      { label: "`provider.refresh` (endpoint, decode, store)", services, effect: tokens.refresh },
      {
        label: "`TokenEndpoint.requestToken` alone",
        services,
        effect: TokenEndpoint.requestToken(tokenEndpoint, Grant.clientCredentials)
      }
    ], plan)
  } finally {
    await close()
  }
}
