/**
 * The five measures of issue 7. Each runs every contender against the same servers,
 * one contender at a time, and returns rows for the report.
 */
import type { Contender, LoadDriver, NotApplicable, RefreshCycler } from "./Contender.js"
import { isNotApplicable } from "./Contender.js"
import type { Servers } from "./harness.js"
import { median, nowNs, quantile, settledHeapUsed, sleep } from "./harness.js"

/** The sizes of every measure; `quick` shrinks them for a smoke run. */
export interface Plan {
  readonly stampede: { readonly concurrent: number; readonly tokenLatencyMs: number }
  readonly warmRead: { readonly iterations: number; readonly rounds: number }
  readonly throughput: { readonly requests: number; readonly concurrency: number; readonly pairs: number }
  readonly rotation: {
    readonly lifetimeSeconds: number
    readonly tokenLatencyMs: number
    readonly durationMs: number
    readonly requestsPerSecond: number
  }
  readonly memory: { readonly warmUp: number; readonly first: number; readonly total: number }
  /** effect-bearer variants that show where its costs are (not judged). */
  readonly diagnostics: { readonly pairs: number; readonly fullPath: Plan["memory"] }
}

export const fullPlan: Plan = {
  stampede: { concurrent: 10_000, tokenLatencyMs: 50 },
  warmRead: { iterations: 200_000, rounds: 15 },
  throughput: { requests: 1_500, concurrency: 16, pairs: 13 },
  rotation: { lifetimeSeconds: 3, tokenLatencyMs: 20, durationMs: 9_000, requestsPerSecond: 200 },
  memory: { warmUp: 5_000, first: 1_000, total: 100_000 },
  diagnostics: { pairs: 7, fullPath: { warmUp: 1_000, first: 1_000, total: 10_000 } }
}

export const quickPlan: Plan = {
  stampede: { concurrent: 1_000, tokenLatencyMs: 50 },
  warmRead: { iterations: 20_000, rounds: 3 },
  throughput: { requests: 300, concurrency: 16, pairs: 1 },
  rotation: { lifetimeSeconds: 2, tokenLatencyMs: 20, durationMs: 3_000, requestsPerSecond: 100 },
  memory: { warmUp: 200, first: 100, total: 1_000 },
  diagnostics: { pairs: 1, fullPath: { warmUp: 100, first: 100, total: 500 } }
}

const longLived = { lifetimeSeconds: 3600, tokenLatencyMs: 0 }

export type Row<A> = { readonly contender: Contender; readonly result: A | NotApplicable }

const failure = (error: unknown): NotApplicable => ({
  notApplicable: `failed: ${error instanceof Error ? error.message : String(error)}`
})

// ---------------------------------------------------------------------------------------
// 1. Cold stampede

export interface StampedeResult {
  readonly concurrent: number
  readonly tokenCalls: number
  readonly failed: number
  readonly firstError?: string
  readonly elapsedMs: number
}

export const stampede = async (
  servers: Servers,
  contenders: ReadonlyArray<Contender>,
  plan: Plan["stampede"]
): Promise<ReadonlyArray<Row<StampedeResult>>> => {
  await servers.configure({ lifetimeSeconds: 3600, tokenLatencyMs: plan.tokenLatencyMs })
  const rows: Array<Row<StampedeResult>> = []
  for (const contender of contenders) {
    await servers.reset()
    const start = nowNs()
    const outcome = await contender.stampede(servers, plan.concurrent).catch(failure)
    const elapsedMs = (nowNs() - start) / 1e6
    const counters = await servers.counters()
    rows.push({
      contender,
      result: isNotApplicable(outcome)
        ? outcome
        : {
          concurrent: plan.concurrent,
          tokenCalls: counters.tokenCalls,
          failed: outcome.failed,
          ...(outcome.firstError === undefined ? {} : { firstError: outcome.firstError }),
          elapsedMs
        }
    })
    // Let the sockets of 10,000 requests close before the next library.
    await sleep(200)
  }
  return rows
}

// ---------------------------------------------------------------------------------------
// 2. Warm read

export interface WarmReadResult {
  readonly label: string
  readonly nsPerRead: number
  /** Median ns/op over the baseline's median ns/op. */
  readonly timesBaseline: number
}

/** The readers of every contender, timed in interleaved rounds so drift hits all alike. */
export const warmRead = async (
  servers: Servers,
  contenders: ReadonlyArray<Contender>,
  plan: Plan["warmRead"]
): Promise<{ readonly baselineNs: number; readonly rows: ReadonlyArray<Row<ReadonlyArray<WarmReadResult>>> }> => {
  await servers.configure(longLived)
  await servers.reset()
  const sessions = []
  for (const contender of contenders) sessions.push({ contender, session: await contender.warmReaders(servers) })
  const all = sessions.flatMap(({ session }) => session.readers)
  const samples = new Map(all.map((reader) => [reader, [] as Array<number>]))
  // One untimed round first so every path is compiled before it is measured.
  for (const reader of all) await reader.time(plan.iterations)
  for (let round = 0; round < plan.rounds; round++) {
    const order = round % 2 === 0 ? all : [...all].reverse()
    for (const reader of order) samples.get(reader)!.push((await reader.time(plan.iterations)) / plan.iterations)
  }
  for (const { session } of sessions) await session.close()
  // The first reader of the first contender (effect-bearer) is the bare `Ref.get`.
  const baselineNs = median(samples.get(all[0]!)!)
  return {
    baselineNs,
    rows: sessions.map(({ contender, session }) => ({
      contender,
      result: session.readers.map((reader) => {
        const nsPerRead = median(samples.get(reader)!)
        return { label: reader.label, nsPerRead, timesBaseline: nsPerRead / baselineNs }
      })
    }))
  }
}

// ---------------------------------------------------------------------------------------
// 3. Authenticated throughput

export interface ThroughputResult {
  readonly plainPerSecond: number
  readonly authenticatedPerSecond: number
  /** Median over the pairs of authenticated / plain requests per second. */
  readonly ratio: number
  readonly ratios: ReadonlyArray<number>
  /** Median CPU time of the client process per request, in microseconds (less noisy than rates). */
  readonly plainCpuMicroseconds: number
  readonly authenticatedCpuMicroseconds: number
  readonly failed: number
}

export const throughput = async (
  servers: Servers,
  contenders: ReadonlyArray<Contender>,
  plan: Plan["throughput"]
): Promise<ReadonlyArray<Row<ThroughputResult>>> => {
  await servers.configure(longLived)
  const rows: Array<Row<ThroughputResult>> = []
  for (const contender of contenders) {
    await servers.reset()
    const driver = await contender.load(servers).catch(failure)
    if (isNotApplicable(driver)) {
      rows.push({ contender, result: driver })
      continue
    }
    const result = await comparePairs(driver, plan, plan.pairs)
    await driver.close()
    rows.push({ contender, result })
  }
  return rows
}

/** Alternating pairs of plain and authenticated runs, after a warm-up of each. */
const comparePairs = async (driver: LoadDriver, plan: Plan["throughput"], pairs: number): Promise<ThroughputResult> => {
  const run = async (authenticated: boolean, requests = plan.requests) => {
    const before = process.cpuUsage()
    const outcome = await driver.run({ requests, concurrency: plan.concurrency, authenticated })
    const cpu = process.cpuUsage(before)
    return { ...outcome, cpuMicroseconds: (cpu.user + cpu.system) / requests }
  }
  // Warm both paths (connections, JIT) before timing.
  await run(false, plan.requests / 2)
  await run(true, plan.requests / 2)
  const plain: Array<number> = []
  const authenticated: Array<number> = []
  const ratios: Array<number> = []
  const cpu: Record<string, Array<number>> = { false: [], true: [] }
  let failed = 0
  for (let pair = 0; pair < pairs; pair++) {
    // Alternate which goes first, so neither side always runs on a warmer machine.
    const order = pair % 2 === 0 ? [false, true] : [true, false]
    const perSecond: Record<string, number> = {}
    for (const withToken of order) {
      const outcome = await run(withToken)
      failed += outcome.failed
      perSecond[String(withToken)] = plan.requests / (outcome.elapsedNs / 1e9)
      cpu[String(withToken)]!.push(outcome.cpuMicroseconds)
    }
    plain.push(perSecond["false"]!)
    authenticated.push(perSecond["true"]!)
    ratios.push(perSecond["true"]! / perSecond["false"]!)
  }
  return {
    plainPerSecond: median(plain),
    authenticatedPerSecond: median(authenticated),
    ratio: median(ratios),
    ratios,
    plainCpuMicroseconds: median(cpu["false"]!),
    authenticatedCpuMicroseconds: median(cpu["true"]!),
    failed
  }
}

/** A labelled variant and its result, for the diagnostics tables. */
export interface Diagnostic<A> {
  readonly label: string
  readonly result: A | NotApplicable
}

export const throughputDiagnostics = async (
  servers: Servers,
  variants: ReadonlyArray<{ readonly label: string; readonly open: (servers: Servers) => Promise<LoadDriver> }>,
  plan: Plan["throughput"],
  pairs: number
): Promise<ReadonlyArray<Diagnostic<ThroughputResult>>> => {
  await servers.configure(longLived)
  const rows: Array<Diagnostic<ThroughputResult>> = []
  for (const variant of variants) {
    await servers.reset()
    try {
      const driver = await variant.open(servers)
      rows.push({ label: variant.label, result: await comparePairs(driver, plan, pairs) })
      await driver.close()
    } catch (error) {
      rows.push({ label: variant.label, result: failure(error) })
    }
  }
  return rows
}

// ---------------------------------------------------------------------------------------
// 4. Rotation

export interface RotationResult {
  readonly requests: number
  readonly waited: number
  readonly unauthorizedRequests: number
  readonly unauthorizedResponses: number
  readonly failed: number
  readonly tokenCalls: number
  readonly p50Ms: number
  readonly p99Ms: number
  readonly maxMs: number
}

export const rotation = async (
  servers: Servers,
  contenders: ReadonlyArray<Contender>,
  plan: Plan["rotation"]
): Promise<ReadonlyArray<Row<RotationResult>>> => {
  await servers.configure({ lifetimeSeconds: plan.lifetimeSeconds, tokenLatencyMs: plan.tokenLatencyMs })
  const rows: Array<Row<RotationResult>> = []
  for (const contender of contenders) {
    await servers.reset()
    const outcome = await contender
      .rotation(servers, { durationMs: plan.durationMs, requestsPerSecond: plan.requestsPerSecond })
      .catch(failure)
    const counters = await servers.counters()
    rows.push({
      contender,
      result: isNotApplicable(outcome) ? outcome : {
        requests: outcome.requests,
        waited: counters.requestsWaited,
        unauthorizedRequests: counters.requestsUnauthorized,
        unauthorizedResponses: counters.apiUnauthorized,
        failed: outcome.failed,
        // The first token, fetched before the load started, is not a rotation.
        tokenCalls: counters.tokenCalls - 1,
        p50Ms: quantile(outcome.latenciesMs, 0.5),
        p99Ms: quantile(outcome.latenciesMs, 0.99),
        maxMs: quantile(outcome.latenciesMs, 1)
      }
    })
  }
  return rows
}

// ---------------------------------------------------------------------------------------
// 5. Memory

export interface MemoryResult {
  readonly first: number
  readonly total: number
  readonly heapAfterFirst: number
  readonly heapAfterTotal: number
  /** After `total` cycles minus after `first`: the measure of issue 7. */
  readonly growthBytes: number
  /**
   * Least-squares slope of the heap over the checkpoints after the first, in bytes per
   * cycle: a leak is a steady positive slope, noise is not.
   */
  readonly trendBytesPerCycle: number
  /** Lowest and highest reading over all checkpoints. */
  readonly lowest: number
  readonly highest: number
  readonly microsecondsPerCycle: number
}

/** Heap readings between `first` and `total` cycles, besides those two. */
const checkpoints = 9

const slope = (points: ReadonlyArray<readonly [number, number]>): number => {
  const n = points.length
  const meanX = points.reduce((sum, [x]) => sum + x, 0) / n
  const meanY = points.reduce((sum, [, y]) => sum + y, 0) / n
  const covariance = points.reduce((sum, [x, y]) => sum + (x - meanX) * (y - meanY), 0)
  const variance = points.reduce((sum, [x]) => sum + (x - meanX) ** 2, 0)
  return variance === 0 ? 0 : covariance / variance
}

export const memory = async (
  contenders: ReadonlyArray<Contender>,
  plan: Plan["memory"]
): Promise<ReadonlyArray<Row<MemoryResult>>> => {
  const rows: Array<Row<MemoryResult>> = []
  for (const contender of contenders) {
    rows.push({ contender, result: await measureMemory(contender.refreshCycler, plan) })
  }
  return rows
}

export const memoryDiagnostic = async (
  label: string,
  open: () => Promise<RefreshCycler | NotApplicable>,
  plan: Plan["memory"]
): Promise<Diagnostic<MemoryResult>> => ({ label, result: await measureMemory(open, plan) })

const measureMemory = async (
  open: () => Promise<RefreshCycler | NotApplicable>,
  plan: Plan["memory"]
): Promise<MemoryResult | NotApplicable> => {
  // A throwaway instance first: the JIT's code and type feedback for these paths are
  // process-wide, not memory the measured instance keeps.
  const warm = await open().catch(failure)
  if (isNotApplicable(warm)) return warm
  await warm.cycle(plan.warmUp).finally(warm.close)
  const cycler = await open().catch(failure)
  if (isNotApplicable(cycler)) return cycler
  try {
    await cycler.cycle(plan.first)
    const readings: Array<readonly [number, number]> = [[plan.first, await settledHeapUsed()]]
    let done = plan.first
    let cycling = 0
    for (let step = 1; step <= checkpoints + 1; step++) {
      const target = Math.round(plan.first + ((plan.total - plan.first) * step) / (checkpoints + 1))
      const start = nowNs()
      await cycler.cycle(target - done)
      cycling += nowNs() - start
      done = target
      readings.push([done, await settledHeapUsed()])
    }
    const heaps = readings.map(([, heap]) => heap)
    return {
      first: plan.first,
      total: plan.total,
      heapAfterFirst: heaps[0]!,
      heapAfterTotal: heaps[heaps.length - 1]!,
      growthBytes: heaps[heaps.length - 1]! - heaps[0]!,
      trendBytesPerCycle: slope(readings.slice(1)),
      lowest: Math.min(...heaps),
      highest: Math.max(...heaps),
      microsecondsPerCycle: cycling / 1e3 / (plan.total - plan.first)
    }
  } catch (error) {
    return failure(error)
  } finally {
    await cycler.close()
  }
}
