/**
 * What one run of an effect costs on Effect 4, measured as bench/src/effectCost.ts measures
 * it on Effect 3: Effect operations, bytes allocated (heap growth over a batch during which
 * no garbage collection ran) and CPU time (`process.cpuUsage` over a long batch, median of
 * interleaved rounds). Effect 4 has no `Supervisor`: its fiber counts its own operations
 * (`currentOpCount`, every step of the run loop, the continuations it runs inline
 * included, reset when a run-loop pass starts), so the count here is the sum of that
 * counter over every pass of every fiber, read by wrapping the fibers' `runLoop` while a
 * count is taken.
 */
import { Context, Effect, References } from "effect"
import { PerformanceObserver, performance } from "node:perf_hooks"
import type { Cost } from "../../../bench/src/effectCost.js"
import { median } from "../../../bench/src/harness.js"

export type { Cost }

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

/** `runs` runs of `body` in Effect's own loop primitive, with `measure` read around them. */
const loop = <A>(body: Effect.Effect<unknown, unknown, any>, runs: number, measure: () => () => A) =>
  Effect.suspend(() => {
    const done = measure()
    let i = 0
    return Effect.whileLoop({ while: () => i < runs, body: () => body, step: () => i++ }).pipe(Effect.map(done))
  })

/**
 * Bytes allocated per run of `effect`, over `batch` runs with no garbage collection in
 * between; halves the batch until one fits (undefined when none does).
 */
export const allocatedBytes = async (
  services: Services,
  effect: Effect.Effect<unknown, unknown, any>,
  batch: number
): Promise<number | undefined> => {
  const perRun = async (body: Effect.Effect<unknown, unknown, any>, runs: number) => {
    const outcome = await Effect.runPromiseWith(services)(loop(body, runs, () => {
      collectGarbage()
      const start = performance.now()
      const before = process.memoryUsage().heapUsed
      return () => ({ bytes: process.memoryUsage().heapUsed - before, start, end: performance.now() })
    }))
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

/** CPU time (user + system) per run of `effect`, in microseconds. */
export const cpuMicroseconds = (services: Services, effect: Effect.Effect<unknown, unknown, any>, runs: number) =>
  Effect.runPromiseWith(services)(loop(effect, runs, () => {
    const before = process.cpuUsage()
    return () => {
      const used = process.cpuUsage(before)
      return (used.user + used.system) / runs
    }
  }))

/** How long a cost is measured: `rounds` rounds of `runs` runs; allocation over batches of `allocationBatch`. */
export interface CostPlan {
  readonly runs: number
  readonly rounds: number
  readonly allocationBatch: number
}

/** A named effect whose cost is measured, and where it runs (its services set once, not per run). */
export interface Subject {
  readonly label: string
  readonly services: Services
  readonly effect: Effect.Effect<unknown, unknown, any>
}

/**
 * The cost of each subject: CPU in `rounds` rounds of `runs` runs, all subjects
 * interleaved in each round (reversed every other round) after an untimed warm-up round.
 */
export const measureCosts = async (
  subjects: ReadonlyArray<Subject>,
  plan: CostPlan
): Promise<ReadonlyArray<Cost>> => {
  const samples = subjects.map(() => [] as Array<number>)
  for (const subject of subjects) await cpuMicroseconds(subject.services, subject.effect, plan.runs)
  for (let round = 0; round < plan.rounds; round++) {
    const order = round % 2 === 0 ? subjects.keys() : [...subjects.keys()].reverse()
    for (const i of order) samples[i]!.push(await cpuMicroseconds(subjects[i]!.services, subjects[i]!.effect, plan.runs))
  }
  const costs: Array<Cost> = []
  for (const [i, subject] of subjects.entries()) {
    const cpu = samples[i]!
    costs.push({
      label: subject.label,
      cpuMicroseconds: median(cpu),
      cpuSpread: [Math.min(...cpu), Math.max(...cpu)],
      allocatedBytes: await allocatedBytes(subject.services, subject.effect, plan.allocationBatch),
      operations: await countOperations(subject.services, subject.effect)
    })
  }
  return costs
}
