/**
 * What one run of an effect costs, measured exactly where it can be: Effect operations
 * (every step of the fiber run loop, counted by a supervisor with `OpSupervision` on, as
 * Effect's own runtime calls `Supervisor.onEffect` once per evaluated operation), bytes
 * allocated (heap growth over a batch during which no garbage collection ran, checked
 * with a `gc` performance observer; the process runs with a large young generation so
 * a batch fits), and CPU time (`process.cpuUsage` over a long batch, median of rounds).
 */
import { Effect, Runtime, RuntimeFlags, RuntimeFlagsPatch, Supervisor } from "effect"
import { PerformanceObserver, performance } from "node:perf_hooks"
import { median } from "./harness.js"

/** Counts every operation the fibers it supervises evaluate. */
class OperationCounter extends Supervisor.AbstractSupervisor<number> {
  count = 0
  get value() {
    return Effect.sync(() => this.count)
  }
  override onEffect(): void {
    this.count++
  }
}

/** The operations one run of `effect` evaluates, in its fiber and any it forks. */
const operationsOf = async <A, E>(runtime: Runtime.Runtime<any>, effect: Effect.Effect<A, E, any>) => {
  const counter = new OperationCounter()
  await Runtime.runPromise(runtime)(
    effect.pipe(
      Effect.supervised(counter),
      Effect.withRuntimeFlagsPatch(RuntimeFlagsPatch.enable(RuntimeFlags.OpSupervision))
    )
  )
  return counter.count
}

/**
 * Exact Effect operations of `effect`: the count for it minus the count for `Effect.void`
 * in the same wrapper, plus the one operation `Effect.void` is.
 */
export const countOperations = async <A, E>(runtime: Runtime.Runtime<any>, effect: Effect.Effect<A, E, any>) => {
  // Twice: the first run may initialise lazily built values (layers, memoised effects).
  await operationsOf(runtime, effect)
  return (await operationsOf(runtime, effect)) - (await operationsOf(runtime, Effect.void)) + 1
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

/**
 * Bytes allocated per run of `effect`, over `batch` runs with no garbage collection in
 * between; halves the batch until one fits (undefined when none does).
 */
export const allocatedBytes = async <A, E>(
  runtime: Runtime.Runtime<any>,
  effect: Effect.Effect<A, E, any>,
  batch: number
): Promise<number | undefined> => {
  const loop = (body: Effect.Effect<unknown, unknown, any>, runs: number) =>
    Effect.suspend(() => {
      collectGarbage()
      const start = performance.now()
      const before = process.memoryUsage().heapUsed
      let i = 0
      return Effect.whileLoop({ while: () => i < runs, body: () => body, step: () => i++ }).pipe(
        Effect.map(() => ({ bytes: process.memoryUsage().heapUsed - before, start, end: performance.now() }))
      )
    })
  const perRun = async (body: Effect.Effect<unknown, unknown, any>, runs: number) => {
    const outcome = await Runtime.runPromise(runtime)(loop(body, runs))
    await afterCallbacks()
    return collections.some((at) => at >= outcome.start && at <= outcome.end) ? undefined : outcome.bytes / runs
  }
  for (let runs = batch; runs >= 4; runs = Math.floor(runs / 2)) {
    const bytes = await perRun(effect, runs)
    // The loop's own allocation per run, measured the same way, is subtracted.
    const loopOnly = await perRun(Effect.void, runs)
    if (bytes !== undefined && loopOnly !== undefined) return bytes - loopOnly
  }
  return undefined
}

/** A run's CPU time (user + system) per run of `effect`, in microseconds. */
export const cpuMicroseconds = async <A, E>(runtime: Runtime.Runtime<any>, effect: Effect.Effect<A, E, any>, runs: number) =>
  Runtime.runPromise(runtime)(
    Effect.suspend(() => {
      const before = process.cpuUsage()
      let i = 0
      return Effect.whileLoop({ while: () => i < runs, body: () => effect, step: () => i++ }).pipe(
        Effect.map(() => {
          const used = process.cpuUsage(before)
          return (used.user + used.system) / runs
        })
      )
    })
  )

/** A named effect whose cost is measured, and the figures. */
export interface Subject {
  readonly label: string
  /** Where it runs: its services and fiber refs (e.g. the tracer disabled) are set once, not per run. */
  readonly runtime: Runtime.Runtime<any>
  readonly effect: Effect.Effect<unknown, unknown, any>
}

/** A subject whose effect needs no more than its runtime provides. */
export const subject = <R>(label: string, runtime: Runtime.Runtime<R>, effect: Effect.Effect<unknown, unknown, R>): Subject => ({
  label,
  runtime: runtime as Runtime.Runtime<any>,
  effect
})

export interface Cost {
  readonly label: string
  /** Median over the rounds of CPU microseconds per run. */
  readonly cpuMicroseconds: number
  /** Lowest and highest round. */
  readonly cpuSpread: readonly [number, number]
  readonly allocatedBytes: number | undefined
  readonly operations: number
}

/**
 * The cost of each subject: CPU in `rounds` rounds of `runs` runs, all subjects
 * interleaved in each round (reversed every other round) after an untimed warm-up round.
 */
export const measureCosts = async (
  subjects: ReadonlyArray<Subject>,
  plan: { readonly runs: number; readonly rounds: number; readonly allocationBatch: number }
): Promise<ReadonlyArray<Cost>> => {
  const samples = new Map(subjects.map((subject) => [subject, [] as Array<number>]))
  for (const subject of subjects) await cpuMicroseconds(subject.runtime, subject.effect, plan.runs)
  for (let round = 0; round < plan.rounds; round++) {
    const order = round % 2 === 0 ? subjects : [...subjects].reverse()
    for (const subject of order) samples.get(subject)!.push(await cpuMicroseconds(subject.runtime, subject.effect, plan.runs))
  }
  const costs: Array<Cost> = []
  for (const subject of subjects) {
    const cpu = samples.get(subject)!
    costs.push({
      label: subject.label,
      cpuMicroseconds: median(cpu),
      cpuSpread: [Math.min(...cpu), Math.max(...cpu)],
      allocatedBytes: await allocatedBytes(subject.runtime, subject.effect, plan.allocationBatch),
      operations: await countOperations(subject.runtime, subject.effect)
    })
  }
  return costs
}
