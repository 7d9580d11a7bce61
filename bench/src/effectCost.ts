/**
 * What one run of an effect costs, measured exactly where it can be: Effect operations
 * (every step of the fiber run loop, counted by a supervisor with `OpSupervision` on, as
 * Effect's own runtime calls `Supervisor.onEffect` once per evaluated operation), bytes
 * allocated (heap growth over a batch during which no garbage collection ran, checked
 * with a `gc` performance observer; the process runs with a large young generation so
 * a batch fits), and CPU time (`process.cpuUsage` over a long batch, median of rounds).
 */
import { Effect, Runtime, RuntimeFlags, RuntimeFlagsPatch, Supervisor } from "effect"
import type { Cost, CostPlan, Meter } from "./costRounds.js"
import { allocatedPerRun, cpuPerRun, heapBatch, measureCosts as measureRounds } from "./costRounds.js"

export type { Cost, CostPlan }

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

/** `runs` runs of `body` in Effect's own loop primitive, with `measure` read around them. */
const loop = <A>(body: Effect.Effect<unknown, unknown, any>, runs: number, measure: () => () => A) =>
  Effect.suspend(() => {
    const done = measure()
    let i = 0
    return Effect.whileLoop({ while: () => i < runs, body: () => body, step: () => i++ }).pipe(Effect.map(done))
  })

/** A named effect whose cost is measured. */
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

const meter: Meter<Subject> = {
  cpuMicroseconds: ({ runtime, effect }, runs) => Runtime.runPromise(runtime)(loop(effect, runs, () => cpuPerRun(runs))),
  allocatedBytes: ({ runtime, effect }, batch) =>
    allocatedPerRun((loopOnly, runs) => Runtime.runPromise(runtime)(loop(loopOnly ? Effect.void : effect, runs, heapBatch)), batch),
  operations: ({ runtime, effect }) => countOperations(runtime, effect)
}

/**
 * The cost of each subject: CPU in `rounds` rounds of `runs` runs, all subjects
 * interleaved in each round (reversed every other round) after an untimed warm-up round.
 */
export const measureCosts = (subjects: ReadonlyArray<Subject>, plan: CostPlan): Promise<ReadonlyArray<Cost>> =>
  measureRounds(subjects, plan, meter)
