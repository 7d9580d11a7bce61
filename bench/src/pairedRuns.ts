/**
 * Runs of a subject paired with runs of its floor back to back, each on a collected heap,
 * and the ratios of each pair (median and spread): a pair shares the machine's load of its
 * moment, which a ratio of medians over minutes does not. Version-free: both lines' stampede
 * measures (stampedeInProcess.ts here and in effect4/bench) pair their runs with it.
 */
import { median, nowNs, sleep } from "./harness.js"

/** Wall and CPU time of one run. */
export interface Run {
  readonly ms: number
  readonly cpuMs: number
}

/** A median of ratios and its spread (lowest–highest). */
export interface Ratio {
  readonly median: number
  readonly spread: readonly [number, number]
}

const collectGarbage = (): void => {
  const collect = (globalThis as { gc?: () => void }).gc
  if (collect === undefined) throw new Error("run with --expose-gc (pnpm bench does)")
  collect()
  collect()
}

/**
 * Wall and CPU time of `run`, started on a collected heap (and after V8's concurrent sweeping
 * of it), so that no run pays for the garbage of the one before.
 */
export const timed = async (run: () => Promise<void>): Promise<Run> => {
  collectGarbage()
  await sleep(20)
  const cpu = process.cpuUsage()
  const start = nowNs()
  await run()
  const used = process.cpuUsage(cpu)
  return { ms: (nowNs() - start) / 1e6, cpuMs: (used.user + used.system) / 1e3 }
}

export const spread = (values: ReadonlyArray<number>) => [Math.min(...values), Math.max(...values)] as const

export const ratio = (values: ReadonlyArray<number>): Ratio => ({ median: median(values), spread: spread(values) })

/** `pairs` pairs of a subject run and a floor run, alternating which goes first. */
export const pairedRuns = async <A extends Run>(pairs: number, subject: () => Promise<A>, floor: () => Promise<Run>) => {
  const subjects: Array<A> = []
  const floors: Array<Run> = []
  for (let pair = 0; pair < pairs; pair++) {
    // Alternate which goes first, so neither always runs on a warmer (or fuller) heap.
    if (pair % 2 === 0) {
      floors.push(await floor())
      subjects.push(await subject())
    } else {
      subjects.push(await subject())
      floors.push(await floor())
    }
  }
  return {
    subjects,
    floors,
    wallRatio: ratio(subjects.map((run, i) => run.ms / floors[i]!.ms)),
    cpuRatio: ratio(subjects.map((run, i) => run.cpuMs / floors[i]!.cpuMs))
  }
}
