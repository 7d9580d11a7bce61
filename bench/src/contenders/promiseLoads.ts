/**
 * The load shapes of the measures, for the promise-based libraries. They mirror the
 * Effect programs in effectBearer.ts: a closed loop of `concurrency` workers for
 * throughput, an open loop at a fixed rate for rotation.
 */
import type { RotationOutcome } from "../Contender.js"
import { nowNs, sleep } from "../harness.js"

/** `requests` calls of `send`, `concurrency` at a time; `send` resolves to "was it a 2xx". */
export const closedLoop = async (
  requests: number,
  concurrency: number,
  send: () => Promise<boolean>
): Promise<{ readonly elapsedNs: number; readonly failed: number }> => {
  let next = 0
  let failed = 0
  const start = nowNs()
  const worker = async () => {
    while (next < requests) {
      next++
      const ok = await send().catch(() => false)
      if (!ok) failed++
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return { elapsedNs: nowNs() - start, failed }
}

/** Starts `send(id)` on schedule, `requestsPerSecond`, for `durationMs`, then waits for all. */
export const openLoop = async (
  durationMs: number,
  requestsPerSecond: number,
  send: (id: number) => Promise<boolean>
): Promise<RotationOutcome> => {
  const total = Math.round((durationMs / 1000) * requestsPerSecond)
  const inFlight: Array<Promise<void>> = []
  const latenciesMs: Array<number> = []
  let failed = 0
  const start = Date.now()
  while (inFlight.length < total) {
    const due = Math.min(total, Math.floor(((Date.now() - start) / 1000) * requestsPerSecond) + 1)
    while (inFlight.length < due) {
      const id = inFlight.length
      const begun = nowNs()
      inFlight.push(
        send(id).catch(() => false).then((ok) => {
          latenciesMs.push((nowNs() - begun) / 1e6)
          if (!ok) failed++
        })
      )
    }
    await sleep(2)
  }
  await Promise.all(inFlight)
  return { requests: total, failed, latenciesMs }
}

/** `iterations` awaits of `read`, timed. */
export const timeAwaitLoop = async (read: () => Promise<unknown>, iterations: number): Promise<number> => {
  const start = nowNs()
  for (let i = 0; i < iterations; i++) await read()
  return nowNs() - start
}

/** Reads the body and tells whether the status was 2xx. */
export const consume = async (response: Response): Promise<boolean> => {
  await response.text()
  return response.ok
}

/** How many of a stampede's reads failed, and the first reason (without any secret: errors here name URLs and codes). */
export const settledOutcome = (
  results: ReadonlyArray<PromiseSettledResult<unknown>>
): { readonly failed: number; readonly firstError?: string } => {
  const rejected = results.filter((result): result is PromiseRejectedResult => result.status === "rejected")
  const first = rejected[0]?.reason
  return {
    failed: rejected.length,
    ...(first === undefined ? {} : { firstError: describe(first) })
  }
}

const describe = (error: unknown): string => {
  if (!(error instanceof Error)) return String(error)
  const code = (error as { code?: unknown }).code ?? (error.cause as { code?: unknown } | undefined)?.code
  return `${error.name}: ${error.message}${typeof code === "string" ? ` (${code})` : ""}`.slice(0, 160)
}
