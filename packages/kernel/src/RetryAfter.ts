/**
 * The `Retry-After` response header (RFC 9110 §10.2.3): how long a server asks a client to
 * wait. Only the parsing lives here; what to do with the wait (the library's one policy) is
 * `TokenRetry`'s.
 *
 * @since 0.1.0
 */

const dayNames = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].join("|")
const longDayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"].join("|")
const monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
const month = `(${monthNames.join("|")})`
const timeOfDay = "(\\d{2}):(\\d{2}):(\\d{2})"

// The grammar of RFC 9110 §5.6.7, which is case-sensitive; the capture groups are in a fixed
// order per form so that one function can read all three.
const imfFixdate = new RegExp(`^(?:${dayNames}), (\\d{2}) ${month} (\\d{4}) ${timeOfDay} GMT$`)
const rfc850Date = new RegExp(`^(?:${longDayNames}), (\\d{2})-${month}-(\\d{2}) ${timeOfDay} GMT$`)
const asctimeDate = new RegExp(`^(?:${dayNames}) ${month} (\\d{2}| \\d) ${timeOfDay} (\\d{4})$`)

const fiftyYears = 50 * 365.25 * 24 * 60 * 60 * 1000

// Epoch milliseconds of a calendar time, or `undefined` when the fields name no real time
// (31 Feb, 24:00:00): `Date.UTC` would silently roll those over.
const utc = (
  year: number,
  monthName: string,
  day: number,
  hour: number,
  minute: number,
  second: number
): number | undefined => {
  const monthIndex = monthNames.indexOf(monthName)
  // setUTCFullYear, unlike Date.UTC, does not read years 0-99 as 1900-1999.
  const date = new Date(0)
  date.setUTCFullYear(year, monthIndex + 1, 0)
  const daysInMonth = date.getUTCDate()
  if (day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 60) return undefined
  date.setUTCFullYear(year, monthIndex, day)
  // A leap second (60) is read as the last second of its minute.
  return date.setUTCHours(hour, minute, Math.min(second, 59), 0)
}

// An HTTP-date (RFC 9110 §5.6.7) in epoch milliseconds; `undefined` for anything else.
const parseHttpDate = (text: string, now: number): number | undefined => {
  const fixdate = imfFixdate.exec(text)
  if (fixdate !== null) {
    const [, day, monthName, year, hour, minute, second] = fixdate
    return utc(Number(year), monthName!, Number(day), Number(hour), Number(minute), Number(second))
  }
  const asctime = asctimeDate.exec(text)
  if (asctime !== null) {
    const [, monthName, day, hour, minute, second, year] = asctime
    return utc(Number(year), monthName!, Number(day), Number(hour), Number(minute), Number(second))
  }
  const rfc850 = rfc850Date.exec(text)
  if (rfc850 === null) return undefined
  const [, day, monthName, twoDigitYear, hour, minute, second] = rfc850
  // §5.6.7: a two-digit year more than 50 years ahead is the most recent past year with those digits.
  const read = (century: number) =>
    utc(century + Number(twoDigitYear), monthName!, Number(day), Number(hour), Number(minute), Number(second))
  const century = Math.floor(new Date(now).getUTCFullYear() / 100) * 100
  const sameCentury = read(century)
  if (sameCentury === undefined || sameCentury - now <= fiftyYears) return sameCentury
  return read(century - 100)
}

/**
 * The wait a `Retry-After` value asks for, in milliseconds from `now` (epoch milliseconds):
 * delay-seconds (`120`, digits only) or an HTTP-date (IMF-fixdate, or the obsolete rfc850-date
 * and asctime-date; a date in the past asks for no wait); `undefined` when the header is absent
 * or neither form (`-5`, `1.5`, an ISO 8601 date).
 *
 * @example
 * import { RetryAfter } from "@effect-bearer/kernel"
 *
 * RetryAfter.parse("120", Date.now()) // 120000
 * RetryAfter.parse("Wed, 21 Oct 2015 07:28:00 GMT", Date.parse("Wed, 21 Oct 2015 07:27:00 GMT")) // 60000
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-5.6.7
 * @since 0.1.0
 */
export const parse = (header: string | undefined, now: number): number | undefined => {
  if (header === undefined) return undefined
  const trimmed = header.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000
  const date = parseHttpDate(trimmed, now)
  if (date === undefined) return undefined
  return Math.max(0, date - now)
}
