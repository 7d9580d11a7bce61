/**
 * Target 3 in process: N concurrent `provider.get` on a cold provider whose token
 * endpoint (the canned client) answers after a latency, next to the Effect floor: N
 * fibers awaiting a bare `Deferred` that completes after the same latency. Both fork N
 * fibers the same way (`Effect.all`, unbounded concurrency), so the ratio is what the
 * provider adds to Effect's own cost of parking and waking N fibers. Each provider run is
 * paired with a floor run back to back (alternating which goes first), and each row
 * reports the median of the pairs' ratios and its spread, with the load average.
 */
import { Deferred, Duration, Effect, Exit } from "effect"
import { loadavg } from "node:os"
import { cannedEndpoint, cannedProvider, scoped } from "./cannedClient.js"
import { median } from "./harness.js"
import type { Ratio } from "./pairedRuns.js"
import { pairedRuns, spread, timed } from "./pairedRuns.js"
import { stampedePairs } from "./plan.js"

export interface StampedeInProcessRow {
  readonly readers: number
  /** Median wall time (ms) from the first read to the last answer, and its spread. */
  readonly providerMs: number
  readonly providerSpread: readonly [number, number]
  readonly floorMs: number
  readonly floorSpread: readonly [number, number]
  /** Median CPU ms of the same spans. */
  readonly providerCpuMs: number
  readonly floorCpuMs: number
  /**
   * Provider / floor of each pair (the two runs back to back), median and spread: a pair
   * shares the machine's load of its moment, which a ratio of medians over minutes does not.
   */
  readonly wallRatio: Ratio
  /** The same on CPU time, which other processes on the machine inflate far less than wall time. */
  readonly cpuRatio: Ratio
  /** Token requests of each provider run (the highest over the runs). */
  readonly tokenRequests: number
  readonly failedReads: number
  /** The 1-minute load average when the row started and when it ended. */
  readonly loadAverage: readonly [number, number]
}

const floor = (readers: number, latency: Duration.Duration) =>
  Effect.runPromise(Effect.gen(function*() {
    const deferred = yield* Deferred.make<void>()
    yield* Effect.forkDaemon(Effect.zipRight(Effect.sleep(latency), Deferred.succeed(deferred, undefined)))
    // Each read wrapped as the provider's are below (its exit looked at), so only the read differs.
    yield* Effect.all(
      Array.from({ length: readers }, () => Effect.map(Effect.exit(Deferred.await(deferred)), Exit.isFailure)),
      { concurrency: "unbounded", discard: true }
    )
  }))

const stampede = async (readers: number, latency: Duration.Duration) => {
  const endpoint = cannedEndpoint({ latency })
  const { value: tokens, close } = await scoped(cannedProvider(endpoint))
  let failedReads = 0
  const time = await timed(() =>
    Effect.runPromise(
      Effect.all(
        Array.from({ length: readers }, () =>
          Effect.map(Effect.exit(tokens.get), (exit) => {
            if (Exit.isFailure(exit)) failedReads++
          })),
        { concurrency: "unbounded", discard: true }
      )
    )
  )
  await close()
  return { ...time, tokenRequests: endpoint.tokenRequests, failedReads }
}

export const stampedeInProcess = async (
  plan: { readonly readers: ReadonlyArray<number>; readonly latencyMs: number; readonly pairs: number }
): Promise<ReadonlyArray<StampedeInProcessRow>> => {
  const latency = Duration.millis(plan.latencyMs)
  const rows: Array<StampedeInProcessRow> = []
  // An untimed run of each first: the JIT, not the first measured run, pays for compiling.
  await floor(1_000, latency)
  await stampede(1_000, latency)
  for (const readers of plan.readers) {
    const loadAtStart = loadavg()[0]!
    const { subjects: provider, floors, wallRatio, cpuRatio } = await pairedRuns(
      stampedePairs(plan, readers),
      () => stampede(readers, latency),
      () => timed(() => floor(readers, latency))
    )
    rows.push({
      readers,
      providerMs: median(provider.map((run) => run.ms)),
      providerSpread: spread(provider.map((run) => run.ms)),
      floorMs: median(floors.map((run) => run.ms)),
      floorSpread: spread(floors.map((run) => run.ms)),
      providerCpuMs: median(provider.map((run) => run.cpuMs)),
      floorCpuMs: median(floors.map((run) => run.cpuMs)),
      wallRatio,
      cpuRatio,
      tokenRequests: Math.max(...provider.map((run) => run.tokenRequests)),
      failedReads: provider.reduce((sum, run) => sum + run.failedReads, 0),
      loadAverage: [loadAtStart, loadavg()[0]!]
    })
  }
  return rows
}
