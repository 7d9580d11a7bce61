import * as KernelJwt from "@effect-bearer/kernel/Jwt"
import { Duration, Option } from "effect"

/** @internal */
export interface JwtReport {
  readonly header: Readonly<Record<string, unknown>>
  readonly claims: KernelJwt.Claims
  /** Epoch milliseconds, when the token has an `exp` claim. */
  readonly expiresAt: Option.Option<number>
  readonly issuedAt: Option.Option<number>
}

/**
 * The header and claims of a compact JWS, `None` when the value is not one. The
 * signature is neither checked nor kept: only the authorization server can check it.
 * @internal
 */
export const decode = (token: string): Option.Option<JwtReport> =>
  Option.map(Option.fromNullable(KernelJwt.decode(token.trim().replace(/^Bearer\s+/i, ""))), ({ claims, header }) => ({
    header,
    claims,
    expiresAt: Option.map(Option.fromNullable(claims.exp), (exp) => exp * 1000),
    issuedAt: Option.map(Option.fromNullable(claims.iat), (iat) => iat * 1000)
  }))

/**
 * A span of time rounded to the second, the way people say it: `4m 12s`.
 * @internal
 */
export const formatSpan = (millis: number): string => {
  const seconds = Math.round(Math.abs(millis) / 1000)
  return seconds === 0 ? "0s" : Duration.format(Duration.seconds(seconds))
}

/**
 * `in 4m 12s` or `4m 12s ago`, relative to `now`.
 * @internal
 */
export const relative = (instant: number, now: number): string =>
  instant >= now ? `in ${formatSpan(instant - now)}` : `${formatSpan(now - instant)} ago`

// Characters JSON.stringify leaves as they are that a terminal may act on or that make a
// text read otherwise: DEL and C1 controls (U+009B is a CSI), zero-width and bidirectional
// formatting characters, line and paragraph separators, the byte-order mark.
const unsafeInTerminal = /[\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g

/**
 * `JSON.stringify` for a terminal: the same JSON value, with every character a terminal
 * could act on written as a `\uXXXX` escape (JSON.stringify already escapes C0 controls,
 * ESC included). Claims and scopes come from servers; printing them must not move the
 * cursor, set the title or reorder the text.
 * @internal
 */
export const terminalSafeJson = (value: unknown, indent?: number): string =>
  (JSON.stringify(value, null, indent) ?? "null").replace(
    unsafeInTerminal,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`
  )
