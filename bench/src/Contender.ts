/**
 * One library under measurement, driven through the same primitives so every measure
 * treats every library alike. Each primitive is written in the library's own idiom
 * (an Effect program for effect-bearer, async functions for the others).
 */
import type { Servers } from "./harness.js"
import { preciseNow } from "./protocol.js"

/** Why a library cannot take part in a measure. */
export interface NotApplicable {
  readonly notApplicable: string
}

export const notApplicable = (why: string): NotApplicable => ({ notApplicable: why })

export const isNotApplicable = (value: unknown): value is NotApplicable =>
  typeof value === "object" && value !== null && "notApplicable" in value

/** Reads a cached token `iterations` times in a loop; resolves with the elapsed nanoseconds. */
export interface WarmReader {
  readonly label: string
  readonly time: (iterations: number) => Promise<number>
}

/** A client that sends GET requests to the API, with or without authentication. */
export interface LoadDriver {
  /** Sends `requests` requests, `concurrency` at a time; every response body is read. */
  readonly run: (options: {
    readonly requests: number
    readonly concurrency: number
    readonly authenticated: boolean
  }) => Promise<{ readonly elapsedNs: number; readonly failed: number }>
  readonly close: () => Promise<void>
}

/** Options of the rotation measure: a steady, open-loop load of authenticated requests. */
export interface RotationOptions {
  readonly durationMs: number
  readonly requestsPerSecond: number
}

/** What the client saw during the rotation measure (the server counts the rest). */
export interface RotationOutcome {
  readonly requests: number
  /** Requests whose final outcome was not a 2xx (after any retry the library does). */
  readonly failed: number
  /** Client-side latency of every request, in milliseconds. */
  readonly latenciesMs: ReadonlyArray<number>
}

/** Fetches a new token `cycles` times, each replacing the one before. */
export interface RefreshCycler {
  readonly cycle: (cycles: number) => Promise<void>
  readonly close: () => Promise<void>
}

export interface Contender {
  /** Row name in the tables. */
  readonly name: string
  /** The npm package whose installed version is reported. */
  readonly packageName: string
  /** How the library is used here, for results.md. */
  readonly usage: string
  /** Measure 1: `concurrent` token reads at once on a cold cache. */
  readonly stampede: (
    servers: Servers,
    concurrent: number
  ) => Promise<{ readonly failed: number; readonly firstError?: string } | NotApplicable>
  /** Measure 2: readers of a warm cache (after one token was fetched). */
  readonly warmReaders: (servers: Servers) => Promise<{ readonly readers: ReadonlyArray<WarmReader>; readonly close: () => Promise<void> }>
  /** Measure 3. */
  readonly load: (servers: Servers) => Promise<LoadDriver | NotApplicable>
  /** Measure 4: authenticated requests at a steady rate while tokens expire. */
  readonly rotation: (servers: Servers, options: RotationOptions) => Promise<RotationOutcome | NotApplicable>
  /** Measure 5: refresh cycles against an in-process token endpoint. */
  readonly refreshCycler: () => Promise<RefreshCycler | NotApplicable>
}

/** The headers by which the API server tells whether a request waited for a new token. */
export const requestHeaders = (id: number): Record<string, string> => ({
  "x-bench-request": String(id),
  "x-bench-start": String(preciseNow())
})

