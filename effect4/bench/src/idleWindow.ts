/**
 * Version-free: an idle window of a process, its CPU and its settled heap at checkpoints
 * (the idle part of bench/src/scale.ts's measure of many providers in one process).
 */
import { settledHeapUsed, sleep } from "../../../bench/src/harness.js"

export interface IdlePlan {
  readonly idleSeconds: number
  readonly checkpoints: number
}

/** Idles for the plan's window; returns the CPU used (µs, the heap readings excluded) and the heap at each checkpoint. */
export const idleWindow = async (plan: IdlePlan) => {
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
