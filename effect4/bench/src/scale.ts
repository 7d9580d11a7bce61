/**
 * Target 5 on the Effect 4 line, measured as the Effect 3 line's (bench/src/scaleMeasure.ts):
 * many providers in one process, each with its token and its background refresh scheduled
 * (tokens live an hour): heap per provider, idle CPU over a baseline window, heap over time.
 */
import { Effect } from "effect"
import type { ScalePlan, ScaleResult } from "../../../bench/src/scaleMeasure.js"
import { measureScale } from "../../../bench/src/scaleMeasure.js"
import { cannedEndpoint, cannedProvider, scoped } from "./cannedClient.js"

export const scale = (plan: ScalePlan): Promise<ScaleResult> =>
  measureScale(plan, async (count) => {
    const endpoint = cannedEndpoint()
    const { value: providers, close } = await scoped(
      Effect.forEach(Array.from({ length: count }), () => cannedProvider(endpoint))
    )
    await Effect.runPromise(Effect.forEach(providers, (provider) => provider.get, { discard: true }))
    return { tokenRequests: () => endpoint.tokenRequests, close }
  })
