/**
 * The end-to-end measures of issue 7 (throughput judged on client CPU since issue 13).
 * Each runs every contender against the same servers and returns rows for the report.
 * A little over 300 lines: the five share rows, failure handling and servers, one section each.
 */
import type { Contender, LoadDriver, NotApplicable, RefreshCycler } from "./Contender.js"
import { isNotApplicable } from "./Contender.js"
import type { Servers } from "./harness.js"
import { median, nowNs, quantile, settledHeapUsed, sleep } from "./harness.js"
import type { Plan } from "./plan.js"

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
// 3. Authenticated throughput, judged on client CPU

export interface ThroughputResult {
  readonly plainPerSecond: number
  readonly authenticatedPerSecond: number
  /** Median over the rounds of authenticated / plain requests per second (noisy on shared cores). */
  readonly ratio: number
  readonly ratios: ReadonlyArray<number>
  /** Median CPU time of the client process per request, in microseconds. */
  readonly plainCpuMicroseconds: number
  readonly authenticatedCpuMicroseconds: number
  /** Median over the rounds of (authenticated − plain) client CPU µs per request: the judged figure. */
  readonly addedCpuMicroseconds: number
  /** Lowest and highest round of the added CPU. */
  readonly addedCpuSpread: readonly [number, number]
  readonly failed: number
}

/** A load driver to compare, labelled (a contender's name or a diagnostic variant). */
export interface LoadSubject {
  readonly label: string
  readonly open: (servers: Servers) => Promise<LoadDriver | NotApplicable>
}

/**
 * Every subject's plain and authenticated runs in `rounds` rounds, all subjects
 * interleaved in each round (reversed every other round, and plain or authenticated
 * first in turn), so the machine's drift and other load hit every subject alike.
 */
export const throughput = async (
  servers: Servers,
  subjects: ReadonlyArray<LoadSubject>,
  plan: Plan["throughput"]
): Promise<ReadonlyArray<Diagnostic<ThroughputResult>>> => {
  await servers.configure(longLived)
  await servers.reset()
  const opened: Array<{ readonly label: string; readonly driver: LoadDriver | NotApplicable }> = []
  for (const subject of subjects) opened.push({ label: subject.label, driver: await subject.open(servers).catch(failure) })
  const live = opened.flatMap(({ driver, label }) => isNotApplicable(driver) ? [] : [{ label, driver }])
  const run = async (driver: LoadDriver, authenticated: boolean, requests = plan.requests) => {
    const before = process.cpuUsage()
    const outcome = await driver.run({ requests, concurrency: plan.concurrency, authenticated })
    const cpu = process.cpuUsage(before)
    return { ...outcome, perSecond: requests / (outcome.elapsedNs / 1e9), cpuMicroseconds: (cpu.user + cpu.system) / requests }
  }
  type Sample = { plain: Array<number>; authenticated: Array<number>; plainCpu: Array<number>; authenticatedCpu: Array<number>; failed: number }
  const samples = new Map<string, Sample>(
    live.map(({ label }) => [label, { plain: [], authenticated: [], plainCpu: [], authenticatedCpu: [], failed: 0 }])
  )
  // Warm both paths of every driver (connections, JIT) before timing.
  for (const { driver } of live) {
    await run(driver, false, plan.requests / 2)
    await run(driver, true, plan.requests / 2)
  }
  for (let round = 0; round < plan.rounds; round++) {
    for (const { label, driver } of round % 2 === 0 ? live : [...live].reverse()) {
      const sample = samples.get(label)!
      for (const authenticated of round % 4 < 2 ? [false, true] : [true, false]) {
        const outcome = await run(driver, authenticated)
        sample.failed += outcome.failed
        ;(authenticated ? sample.authenticated : sample.plain).push(outcome.perSecond)
        ;(authenticated ? sample.authenticatedCpu : sample.plainCpu).push(outcome.cpuMicroseconds)
      }
    }
  }
  for (const { driver } of live) await driver.close()
  return opened.map(({ label, driver }) => {
    if (isNotApplicable(driver)) return { label, result: driver }
    const sample = samples.get(label)!
    const ratios = sample.authenticated.map((rate, i) => rate / sample.plain[i]!)
    const added = sample.authenticatedCpu.map((cpu, i) => cpu - sample.plainCpu[i]!)
    return {
      label,
      result: {
        plainPerSecond: median(sample.plain),
        authenticatedPerSecond: median(sample.authenticated),
        ratio: median(ratios),
        ratios,
        plainCpuMicroseconds: median(sample.plainCpu),
        authenticatedCpuMicroseconds: median(sample.authenticatedCpu),
        addedCpuMicroseconds: median(added),
        addedCpuSpread: [Math.min(...added), Math.max(...added)],
        failed: sample.failed
      }
    }
  })
}

/** A labelled variant and its result, for the diagnostics tables. */
export interface Diagnostic<A> {
  readonly label: string
  readonly result: A | NotApplicable
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
    for (let step = 1; step <= plan.checkpoints + 1; step++) {
      const target = Math.round(plan.first + ((plan.total - plan.first) * step) / (plan.checkpoints + 1))
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
