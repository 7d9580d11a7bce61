/**
 * What one call of a bearer client did, written by its steps as they go and recorded on
 * its span at the end: whether the token went, a 401 and its recovery, the attempts and
 * the final status. Both Effect lines' bearer clients record the same attributes.
 *
 * @since 0.1.0
 */

/**
 * The facts of one call so far.
 *
 * @since 0.1.0
 */
export interface Trace {
  tokenAttached: boolean
  unauthorized: boolean
  recovered: boolean
  attempts: number
  status: number | undefined
  /** What the current step waits for, for the message of a timeout. */
  waitingFor: "token" | "response"
}

/**
 * A trace before the first step.
 *
 * @since 0.1.0
 */
export const make = (): Trace => ({
  tokenAttached: false,
  unauthorized: false,
  recovered: false,
  attempts: 0,
  status: undefined,
  waitingFor: "response"
})

/**
 * The span's attributes when the call starts (the URL without its query, which may hold
 * a secret).
 *
 * @since 0.1.0
 */
export const startAttributes = (provider: string, method: string, url: URL): Record<string, unknown> => ({
  "bearer.provider": provider,
  "http.request.method": method,
  "server.address": url.origin,
  "url.path": url.pathname
})

/**
 * The span's attributes when the call ends, with its `outcome` (`Success`, a token error's
 * tag, an HTTP failure's reason, `Interrupted` or `Defect`).
 *
 * @since 0.1.0
 */
export const endAttributes = (trace: Trace, outcome: string): Record<string, unknown> => ({
  "bearer.token_attached": trace.tokenAttached,
  "bearer.unauthorized": trace.unauthorized,
  "bearer.recovered_from_401": trace.recovered,
  "bearer.attempts": trace.attempts,
  "bearer.outcome": outcome,
  ...(trace.status !== undefined ? { "http.response.status_code": trace.status } : {})
})

/**
 * The message of a step that timed out.
 *
 * @since 0.1.0
 */
export const timeoutDescription = (trace: Trace, timeout: string): string => `no ${trace.waitingFor} within ${timeout}`
