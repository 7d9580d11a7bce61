/**
 * What one run of an effect costs on Effect 4, measured as bench/src/effectCost.ts measures
 * it on Effect 3 (both through bench/src/costRounds.ts): CPU over interleaved rounds,
 * allocation as heap growth over a batch without garbage collection, and Effect operations.
 * Effect 4 has no `Supervisor`: its fiber counts its own operations (`currentOpCount`, every
 * step of the run loop, the continuations it runs inline included, reset when a run-loop
 * pass starts), so the count here is the sum of that counter over every pass of every fiber,
 * read by wrapping the fibers' `runLoop` while a count is taken.
 */
import { Context, Effect, References } from "effect"
import type { Cost, CostPlan, Meter } from "../../../bench/src/costRounds.js"
import { allocatedPerRun, cpuPerRun, heapBatch, measureCosts as measureRounds } from "../../../bench/src/costRounds.js"

export type { Cost, CostPlan }

/** Where a subject runs: Effect 4 runs an effect with a context instead of a `Runtime`. */
export type Services = Context.Context<any>

/** The default services: Effect's own references only. */
export const defaultServices: Services = Effect.runSync(Effect.context<never>()) as Services

/** The default services with the tracer disabled. */
export const tracerDisabled: Services = Context.add(defaultServices, References.TracerEnabled, false)

interface CountingFiber {
  readonly currentOpCount: number
  runLoop(effect: unknown): unknown
}

/** The prototype every fiber shares (Effect 4's internal `FiberImpl`). */
const fiberPrototype = Object.getPrototypeOf(Effect.runFork(Effect.void)) as CountingFiber

/** The operations one run of `effect` evaluates, in its fiber and any it forks. */
const operationsOf = async (services: Services, effect: Effect.Effect<unknown, unknown, any>) => {
  const runLoop = fiberPrototype.runLoop
  let count = 0
  fiberPrototype.runLoop = function(this: CountingFiber, step: unknown) {
    try {
      return runLoop.call(this, step)
    } finally {
      count += this.currentOpCount
    }
  }
  try {
    await Effect.runPromiseWith(services)(effect)
  } finally {
    fiberPrototype.runLoop = runLoop
  }
  return count
}

/**
 * Exact Effect operations of `effect`: the count for it minus the count for `Effect.void`,
 * plus the one operation `Effect.void` is.
 */
export const countOperations = async (services: Services, effect: Effect.Effect<unknown, unknown, any>) => {
  // Twice: the first run may initialise lazily built values (layers, memoised effects).
  await operationsOf(services, effect)
  return (await operationsOf(services, effect)) - (await operationsOf(services, Effect.void)) + 1
}

/** `runs` runs of `body` in Effect's own loop primitive, with `measure` read around them. */
const loop = <A>(body: Effect.Effect<unknown, unknown, any>, runs: number, measure: () => () => A) =>
  Effect.suspend(() => {
    const done = measure()
    let i = 0
    return Effect.whileLoop({ while: () => i < runs, body: () => body, step: () => i++ }).pipe(Effect.map(done))
  })

/** A named effect whose cost is measured, and where it runs (its services set once, not per run). */
export interface Subject {
  readonly label: string
  readonly services: Services
  readonly effect: Effect.Effect<unknown, unknown, any>
}

const meter: Meter<Subject> = {
  cpuMicroseconds: ({ services, effect }, runs) => Effect.runPromiseWith(services)(loop(effect, runs, () => cpuPerRun(runs))),
  allocatedBytes: ({ services, effect }, batch) =>
    allocatedPerRun((loopOnly, runs) => Effect.runPromiseWith(services)(loop(loopOnly ? Effect.void : effect, runs, heapBatch)), batch),
  operations: ({ services, effect }) => countOperations(services, effect)
}

/** The cost of each subject, in interleaved rounds (see bench/src/costRounds.ts). */
export const measureCosts = (subjects: ReadonlyArray<Subject>, plan: CostPlan): Promise<ReadonlyArray<Cost>> =>
  measureRounds(subjects, plan, meter)
