/**
 * What the bench process and the server process (servers.ts) share: the credential, the
 * API paths, the IPC messages, and the clock both use to stamp requests and tokens.
 */

/** The only credential the token endpoint accepts. */
export const credentials = { clientId: "bench-client", clientSecret: "bench-secret" } as const

/** What the servers counted since the last reset. */
export interface Counters {
  /** Token responses issued (successful token-endpoint calls). */
  readonly tokenCalls: number
  /** Token requests refused (bad credentials, wrong grant). */
  readonly tokenErrors: number
  /** API requests answered 200. */
  readonly apiOk: number
  /** API requests answered 401 (missing, unknown or expired token). */
  readonly apiUnauthorized: number
  /** 401s for a token that the token endpoint issued but that had expired. */
  readonly apiExpired: number
  /**
   * Requests (by their `x-bench-request` id) that arrived with a token issued after the
   * request started (`x-bench-start`): they cannot have been sent before a token fetch
   * finished, so they waited on it.
   */
  readonly requestsWaited: number
  /** Requests (by id) that received at least one 401. */
  readonly requestsUnauthorized: number
}

/** How the token endpoint behaves. */
export interface Settings {
  /** `expires_in` of issued tokens, in seconds (the server enforces exactly this). */
  readonly lifetimeSeconds: number
  /** Time the token endpoint takes before answering, like a real authorization server. */
  readonly tokenLatencyMs: number
}

export type ServerCommand =
  | { readonly id: number; readonly type: "configure"; readonly settings: Settings }
  | { readonly id: number; readonly type: "reset" }
  | { readonly id: number; readonly type: "counters" }

export type ServerMessage =
  | { readonly type: "ready"; readonly tokenOrigin: string; readonly apiOrigin: string }
  | { readonly type: "reply"; readonly id: number; readonly counters: Counters }

/** The API paths: the same answer, one behind a bearer token, one open (the unauthenticated baseline). */
export const apiPaths = { protected: "/v1/items", open: "/open/v1/items" } as const

/**
 * Epoch milliseconds with sub-millisecond precision, comparable across the two processes
 * (both derive it from the system clock at process start plus a monotonic clock).
 */
export const preciseNow = (): number => performance.timeOrigin + performance.now()
