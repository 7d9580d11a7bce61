/**
 * What `effect-bearer decode` prints for a JWT: its header, claims and times, as aligned text
 * or as JSON, every string made terminal-safe (a token's claims are anyone's text).
 */
import { Option } from "effect"
import * as JwtReport from "./jwtReport.js"

/** The report as JSON: header, claims, and when it expires, how long it has left, whether it has expired. */
export const json = (report: JwtReport.JwtReport, now: number): string =>
  JwtReport.terminalSafeJson(
    {
      header: report.header,
      claims: report.claims,
      ...Option.match(report.expiresAt, {
        onNone: () => ({}),
        onSome: (expiresAt) => ({
          expires_at: new Date(expiresAt).toISOString(),
          seconds_left: Math.max(0, Math.floor((expiresAt - now) / 1000)),
          expired: expiresAt <= now
        })
      })
    },
    2
  )

/** The report as aligned lines: header, claims, issued, expires (or expired, or never). */
export const text = (report: JwtReport.JwtReport, now: number): string =>
  [
    `header   ${JwtReport.terminalSafeJson(report.header)}`,
    `claims   ${JwtReport.terminalSafeJson(report.claims, 2).split("\n").join("\n         ")}`,
    ...Option.match(report.issuedAt, {
      onNone: () => [],
      onSome: (issuedAt) => [`issued   ${new Date(issuedAt).toISOString()} (${JwtReport.relative(issuedAt, now)})`]
    }),
    Option.match(report.expiresAt, {
      onNone: () => "expires  never (no exp claim)",
      onSome: (expiresAt) =>
        expiresAt > now
          ? `expires  ${new Date(expiresAt).toISOString()} (${JwtReport.relative(expiresAt, now)})`
          : `expired  ${new Date(expiresAt).toISOString()} (${JwtReport.relative(expiresAt, now)})`
    })
  ].join("\n")
