/**
 * What the CLI's `decode` shows of a JWT, for both Effect lines: its header, claims and times,
 * as aligned text or as JSON, every string made terminal-safe (a token's claims are anyone's
 * text). The signature is neither checked nor kept: only the authorization server can check it.
 *
 * @since 0.1.0
 */
import * as Jwt from "./Jwt.js"
import * as TerminalText from "./TerminalText.js"

/**
 * A decoded JWT and its times.
 *
 * @since 0.1.0
 */
export interface JwtReport {
  readonly header: Readonly<Record<string, unknown>>
  readonly claims: Jwt.Claims
  /** Epoch milliseconds, when the token has an `exp` claim. */
  readonly expiresAt: number | undefined
  /** Epoch milliseconds, when the token has an `iat` claim. */
  readonly issuedAt: number | undefined
}

/**
 * The report of a compact JWS (a `Bearer ` prefix and surrounding blanks allowed), `undefined`
 * when the value is not one.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7519#section-4.1
 * @since 0.1.0
 */
export const decode = (token: string): JwtReport | undefined => {
  const decoded = Jwt.decode(token.trim().replace(/^Bearer\s+/i, ""))
  return decoded === undefined ? undefined : {
    header: decoded.header,
    claims: decoded.claims,
    expiresAt: decoded.claims.exp === undefined ? undefined : decoded.claims.exp * 1000,
    issuedAt: decoded.claims.iat === undefined ? undefined : decoded.claims.iat * 1000
  }
}

/**
 * A span of time rounded to the second, the way people say it: `4m 12s`, `1d 1h`, `0s`.
 *
 * @since 0.1.0
 */
export const formatSpan = (millis: number): string => {
  let seconds = Math.round(Math.abs(millis) / 1000)
  if (seconds === 0) return "0s"
  const pieces: Array<string> = []
  for (const [unit, size] of [["d", 86_400], ["h", 3_600], ["m", 60], ["s", 1]] as const) {
    const count = Math.floor(seconds / size)
    seconds -= count * size
    if (count !== 0) pieces.push(`${count}${unit}`)
  }
  return pieces.join(" ")
}

/**
 * `in 4m 12s` or `4m 12s ago`, relative to `now`.
 *
 * @since 0.1.0
 */
export const relative = (instant: number, now: number): string =>
  instant >= now ? `in ${formatSpan(instant - now)}` : `${formatSpan(now - instant)} ago`

/**
 * The report as JSON: header, claims, and when it expires, how long it has left, whether it has expired.
 *
 * @since 0.1.0
 */
export const json = (report: JwtReport, now: number): string =>
  TerminalText.safeJson(
    {
      header: report.header,
      claims: report.claims,
      ...(report.expiresAt === undefined ? {} : {
        expires_at: new Date(report.expiresAt).toISOString(),
        seconds_left: Math.max(0, Math.floor((report.expiresAt - now) / 1000)),
        expired: report.expiresAt <= now
      })
    },
    2
  )

/**
 * The report as aligned lines: header, claims, issued, expires (or expired, or never).
 *
 * @since 0.1.0
 */
export const text = (report: JwtReport, now: number): string =>
  [
    `header   ${TerminalText.safeJson(report.header)}`,
    `claims   ${TerminalText.safeJson(report.claims, 2).split("\n").join("\n         ")}`,
    ...(report.issuedAt === undefined ? [] : [
      `issued   ${new Date(report.issuedAt).toISOString()} (${relative(report.issuedAt, now)})`
    ]),
    report.expiresAt === undefined
      ? "expires  never (no exp claim)"
      : `${report.expiresAt > now ? "expires" : "expired"}  ${new Date(report.expiresAt).toISOString()} (${
        relative(report.expiresAt, now)
      })`
  ].join("\n")
