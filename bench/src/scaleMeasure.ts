/**
 * Target 5's measure, whatever library line runs the providers: an idle window without them
 * (the baseline), then `open` starts many providers, each with its token and its background
 * refresh scheduled; heap per provider, then, left idle, the CPU they use and the heap over
 * time. Version-free: scale.ts here (Effect 3) and in effect4/bench (Effect 4) start their
 * line's providers and measure through it.
 */
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

export interface ScalePlan {
  readonly providers: number
  readonly idleSeconds: number
  readonly checkpoints: number
}

/** Providers started and holding their tokens: how many token requests that took, and how to stop them. */
export interface RunningProviders {
  readonly tokenRequests: () => number
  readonly close: () => Promise<void>
}

/** Idles for the plan's window; returns the CPU used (µs) and the heap at each checkpoint. */
const idle = async (plan: ScalePlan) => {
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

/** `open(plan.providers)` measured as target 5 says. */
export const measureScale = async (
  plan: ScalePlan,
  open: (providers: number) => Promise<RunningProviders>
): Promise<ScaleResult> => {
  const baseline = await idle(plan)
  const before = await settledHeapUsed()
  const running = await open(plan.providers)
  try {
    const { cpuMicroseconds, heapOverTime } = await idle(plan)
    const perSecond = (microseconds: number) => microseconds / 1e3 / plan.idleSeconds
    return {
      providers: plan.providers,
      heapPerProviderBytes: (heapOverTime[0]!.heapBytes - before) / plan.providers,
      idleSeconds: plan.idleSeconds,
      idleCpuMsPerSecond: perSecond(cpuMicroseconds) - perSecond(baseline.cpuMicroseconds),
      baselineCpuMsPerSecond: perSecond(baseline.cpuMicroseconds),
      heapOverTime,
      tokenRequests: running.tokenRequests()
    }
  } finally {
    await running.close()
  }
}
