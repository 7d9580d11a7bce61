/**
 * The `Retry-After` response header (RFC 9110 §10.2.3): how long a server asks a client to
 * wait. Only the parsing lives here; what to do with the wait (the library's one policy) is
 * `TokenRetry`'s.
 *
 * @since 0.1.0
 */

/**
 * The wait a `Retry-After` value asks for, in milliseconds from `now` (epoch milliseconds):
 * delay-seconds (`120`) or an HTTP-date (a date in the past asks for no wait);
 * `undefined` when the header is absent or neither form.
 *
 * @example
 * import { RetryAfter } from "@effect-bearer/kernel"
 *
 * RetryAfter.parse("120", Date.now()) // 120000
 * RetryAfter.parse("Wed, 21 Oct 2015 07:28:00 GMT", Date.parse("Wed, 21 Oct 2015 07:27:00 GMT")) // 60000
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3
 * @since 0.1.0
 */
export const parse = (header: string | undefined, now: number): number | undefined => {
  if (header === undefined) return undefined
  const trimmed = header.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000
  const date = Date.parse(trimmed)
  if (Number.isNaN(date)) return undefined
  return Math.max(0, date - now)
}
