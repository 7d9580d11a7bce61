/**
 * Target 5 on the Effect 4 line, as bench/src/scale.ts measures the Effect 3 line's: many
 * providers in one process, each with its token and its background refresh scheduled (tokens
 * live an hour): heap per provider, then idle CPU (over the same window without them) and
 * the heap over time.
 */
import { Effect } from "effect"
import { settledHeapUsed } from "../../../bench/src/harness.js"
import type { ScaleResult } from "../../../bench/src/scale.js"
import { cannedEndpoint, cannedProvider, scoped } from "./cannedClient.js"
import type { IdlePlan } from "./idleWindow.js"
import { idleWindow } from "./idleWindow.js"

export const scale = async (plan: IdlePlan & { readonly providers: number }): Promise<ScaleResult> => {
  const endpoint = cannedEndpoint()
  const baseline = await idleWindow(plan)
  const before = await settledHeapUsed()
  const { value: providers, close } = await scoped(
    Effect.forEach(Array.from({ length: plan.providers }), () => cannedProvider(endpoint))
  )
  try {
    await Effect.runPromise(Effect.forEach(providers, (provider) => provider.get, { discard: true }))
    const { cpuMicroseconds, heapOverTime } = await idleWindow(plan)
    const perSecond = (microseconds: number) => microseconds / 1e3 / plan.idleSeconds
    return {
      providers: plan.providers,
      heapPerProviderBytes: (heapOverTime[0]!.heapBytes - before) / plan.providers,
      idleSeconds: plan.idleSeconds,
      idleCpuMsPerSecond: perSecond(cpuMicroseconds) - perSecond(baseline.cpuMicroseconds),
      baselineCpuMsPerSecond: perSecond(baseline.cpuMicroseconds),
      heapOverTime,
      tokenRequests: endpoint.tokenRequests
    }
  } finally {
    await close()
  }
}
