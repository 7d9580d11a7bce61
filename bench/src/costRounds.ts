/**
 * How a cost is measured, whatever runs the effect: CPU in interleaved rounds (median and
 * spread), allocation as heap growth over a batch during which no garbage collection ran
 * (checked with a `gc` performance observer; the process runs with a large young generation
 * so that a batch fits), and the operation count each line's effectCost.ts takes with its
 * own Effect. Version-free: effectCost.ts here (Effect 3) and in effect4/bench (Effect 4)
 * measure through it.
 */
import { PerformanceObserver, performance } from "node:perf_hooks"
import { median } from "./harness.js"

/** How long a cost is measured: `rounds` rounds of `runs` runs; allocation over batches of `allocationBatch`. */
export interface CostPlan {
  readonly runs: number
  readonly rounds: number
  readonly allocationBatch: number
}

export interface Cost {
  readonly label: string
  /** Median over the rounds of CPU microseconds per run. */
  readonly cpuMicroseconds: number
  /** Lowest and highest round. */
  readonly cpuSpread: readonly [number, number]
  readonly allocatedBytes: number | undefined
  readonly operations: number
}

/** One line's way of running a subject `runs` times for each figure. */
export interface Meter<S> {
  readonly cpuMicroseconds: (subject: S, runs: number) => Promise<number>
  readonly allocatedBytes: (subject: S, batch: number) => Promise<number | undefined>
  readonly operations: (subject: S) => Promise<number>
}

/**
 * The cost of each subject: CPU in `rounds` rounds of `runs` runs, all subjects
 * interleaved in each round (reversed every other round) after an untimed warm-up round.
 */
export const measureCosts = async <S extends { readonly label: string }>(
  subjects: ReadonlyArray<S>,
  plan: CostPlan,
  meter: Meter<S>
): Promise<ReadonlyArray<Cost>> => {
  const samples = subjects.map(() => [] as Array<number>)
  for (const subject of subjects) await meter.cpuMicroseconds(subject, plan.runs)
  for (let round = 0; round < plan.rounds; round++) {
    const order = round % 2 === 0 ? [...subjects.keys()] : [...subjects.keys()].reverse()
    for (const i of order) samples[i]!.push(await meter.cpuMicroseconds(subjects[i]!, plan.runs))
  }
  const costs: Array<Cost> = []
  for (const [i, subject] of subjects.entries()) {
    const cpu = samples[i]!
    costs.push({
      label: subject.label,
      cpuMicroseconds: median(cpu),
      cpuSpread: [Math.min(...cpu), Math.max(...cpu)],
      allocatedBytes: await meter.allocatedBytes(subject, plan.allocationBatch),
      operations: await meter.operations(subject)
    })
  }
  return costs
}

/** CPU time (user + system) since `start()`, per run, in microseconds. */
export const cpuPerRun = (runs: number) => {
  const before = process.cpuUsage()
  return () => {
    const used = process.cpuUsage(before)
    return (used.user + used.system) / runs
  }
}

const collectGarbage = (): void => {
  const collect = (globalThis as { gc?: () => void }).gc
  if (collect === undefined) throw new Error("run with --expose-gc (pnpm bench does)")
  collect()
  collect()
}

/** Start times (performance.now()) of every garbage collection seen so far. */
const collections: Array<number> = []
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) collections.push(entry.startTime)
}).observe({ entryTypes: ["gc"] })

const afterCallbacks = () => new Promise<void>((resolve) => setImmediate(resolve))

/** Heap growth over one batch, and when it ran. */
export interface HeapBatch {
  readonly bytes: number
  readonly start: number
  readonly end: number
}

/** Starts a batch on a collected heap; the returned function ends it. */
export const heapBatch = (): () => HeapBatch => {
  collectGarbage()
  const start = performance.now()
  const before = process.memoryUsage().heapUsed
  return () => ({ bytes: process.memoryUsage().heapUsed - before, start, end: performance.now() })
}

/**
 * Bytes allocated per run, from `batch(loopOnly, runs)` (a {@link heapBatch} around `runs`
 * runs of the subject, or of the loop alone): the loop's own allocation is subtracted, and
 * the batch halves until one runs with no garbage collection (undefined when none does).
 */
export const allocatedPerRun = async (
  batch: (loopOnly: boolean, runs: number) => Promise<HeapBatch>,
  size: number
): Promise<number | undefined> => {
  const perRun = async (loopOnly: boolean, runs: number) => {
    const outcome = await batch(loopOnly, runs)
    await afterCallbacks()
    return collections.some((at) => at >= outcome.start && at <= outcome.end) ? undefined : outcome.bytes / runs
  }
  for (let runs = size; runs >= 4; runs = Math.floor(runs / 2)) {
    const bytes = await perRun(false, runs)
    const loopOnly = await perRun(true, runs)
    if (bytes !== undefined && loopOnly !== undefined) return bytes - loopOnly
  }
  return undefined
}
