/**
 * Target 5: many providers in one process, each with its token and its background
 * refresh scheduled (tokens live an hour, so none is due during the measure): heap per
 * provider, and then, left idle, the CPU they use and the heap over time. The same idle
 * window without the providers, first, is the baseline of the idle CPU (scaleMeasure.ts).
 */
import { Effect } from "effect"
import { cannedEndpoint, cannedProvider, scoped } from "./cannedClient.js"
import type { ScalePlan, ScaleResult } from "./scaleMeasure.js"
import { measureScale } from "./scaleMeasure.js"

export type { ScaleResult }

export const scale = (plan: ScalePlan): Promise<ScaleResult> =>
  measureScale(plan, async (count) => {
    const endpoint = cannedEndpoint()
    const { value: providers, close } = await scoped(
      Effect.forEach(Array.from({ length: count }), () => cannedProvider(endpoint))
    )
    await Effect.runPromise(Effect.forEach(providers, (provider) => provider.get, { discard: true }))
    return { tokenRequests: () => endpoint.tokenRequests, close }
  })
