/**
 * A token as a line's library hands it out, in plain values, for the shared conformance cases.
 */

/** The token; `handle` is the library's own token, to give back to it (e.g. as `previous`). */
export interface Token {
  readonly value: string
  readonly lifetimeSource: string
  readonly issuedAt: number
  readonly expiresAt: number
  readonly scope: string | undefined
  readonly refreshToken: string | undefined
  readonly handle: unknown
}
