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
