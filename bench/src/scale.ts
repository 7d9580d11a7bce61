/**
 * Target 5: many providers in one process, each with its token and its background
 * refresh scheduled (tokens live an hour, so none is due during the measure): heap per
 * provider, and then, left idle, the CPU they use and the heap over time. The same idle
 * window without the providers, first, is the baseline of the idle CPU.
 */
import { Effect } from "effect"
import { cannedEndpoint, cannedProvider, scoped } from "./cannedClient.js"
import { settledHeapUsed, sleep } from "./harness.js"

export interface ScaleResult {
  readonly providers: number
  readonly heapPerProviderBytes: number
  readonly idleSeconds: number
  /**
   * CPU milliseconds per second of the idle window (the heap readings' collections excluded),
   * minus the same window's without the providers (the runtime's and V8's own background work).
   */
  readonly idleCpuMsPerSecond: number
  readonly baselineCpuMsPerSecond: number
  /** Heap (bytes) at each checkpoint of the idle window, the first right after start-up. */
  readonly heapOverTime: ReadonlyArray<{ readonly atSeconds: number; readonly heapBytes: number }>
  readonly tokenRequests: number
}

type Plan = { readonly providers: number; readonly idleSeconds: number; readonly checkpoints: number }

/** Idles for the plan's window; returns the CPU used (µs) and the heap at each checkpoint. */
const idle = async (plan: Plan) => {
  const heapOverTime = [{ atSeconds: 0, heapBytes: await settledHeapUsed() }]
  let cpuMicroseconds = 0
  const stepMs = (plan.idleSeconds * 1000) / plan.checkpoints
  for (let step = 1; step <= plan.checkpoints; step++) {
    const cpu = process.cpuUsage()
    await sleep(stepMs)
    const used = process.cpuUsage(cpu)
    cpuMicroseconds += used.user + used.system
    heapOverTime.push({ atSeconds: (step * stepMs) / 1000, heapBytes: await settledHeapUsed() })
  }
  return { cpuMicroseconds, heapOverTime }
}

export const scale = async (plan: Plan) => {
  const endpoint = cannedEndpoint()
  const baseline = await idle(plan)
  const before = await settledHeapUsed()
  const { value: providers, close } = await scoped(
    Effect.forEach(Array.from({ length: plan.providers }), () => cannedProvider(endpoint))
  )
  try {
    await Effect.runPromise(Effect.forEach(providers, (provider) => provider.get, { discard: true }))
    const { cpuMicroseconds, heapOverTime } = await idle(plan)
    const perSecond = (microseconds: number) => microseconds / 1e3 / plan.idleSeconds
    return {
      providers: plan.providers,
      heapPerProviderBytes: (heapOverTime[0]!.heapBytes - before) / plan.providers,
      idleSeconds: plan.idleSeconds,
      idleCpuMsPerSecond: perSecond(cpuMicroseconds) - perSecond(baseline.cpuMicroseconds),
      baselineCpuMsPerSecond: perSecond(baseline.cpuMicroseconds),
      heapOverTime,
      tokenRequests: endpoint.tokenRequests
    } satisfies ScaleResult
  } finally {
    await close()
  }
}
