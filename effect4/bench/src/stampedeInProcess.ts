/**
 * Target 3 on the Effect 4 line, as bench/src/stampedeInProcess.ts measures the Effect 3
 * line's: N concurrent `provider.get` on a cold provider whose token endpoint (the canned
 * client) answers after a latency, next to the Effect 4 floor: N fibers awaiting a bare
 * `Deferred` completed after the same latency, both forked by `Effect.all` with unbounded
 * concurrency, in pairs run back to back.
 */
import { Deferred, Duration, Effect, Exit } from "effect"
import { loadavg } from "node:os"
import { median } from "../../../bench/src/harness.js"
import { cannedEndpoint, cannedProvider, scoped } from "./cannedClient.js"
import type { StampedeInProcessRow } from "../../../bench/src/stampedeInProcess.js"
import type { Run } from "../../../bench/src/pairedRuns.js"
import { pairedRuns, spread, timed } from "../../../bench/src/pairedRuns.js"
import { stampedePairs } from "../../../bench/src/plan.js"

const floor = (readers: number, latency: Duration.Duration) =>
  Effect.runPromise(Effect.gen(function*() {
    const deferred = yield* Deferred.make<void>()
    yield* Effect.forkDetach(Effect.andThen(Effect.sleep(latency), Deferred.succeed(deferred, undefined)))
    // Each read wrapped as the provider's are below (its exit looked at), so only the read differs.
    yield* Effect.all(
      Array.from({ length: readers }, () => Effect.map(Effect.exit(Deferred.await(deferred)), Exit.isFailure)),
      { concurrency: "unbounded", discard: true }
    )
  }))

const stampede = async (readers: number, latency: Duration.Duration) => {
  const endpoint = cannedEndpoint(latency)
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
    const ms = (runs: ReadonlyArray<Run>) => runs.map((run) => run.ms)
    rows.push({
      readers,
      providerMs: median(ms(provider)),
      providerSpread: spread(ms(provider)),
      floorMs: median(ms(floors)),
      floorSpread: spread(ms(floors)),
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
