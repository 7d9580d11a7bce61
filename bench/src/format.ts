/**
 * How figures are written in results.md: numbers, verdicts and markdown tables.
 */
import type { NotApplicable } from "./Contender.js"

export const integer = (n: number) => Math.round(n).toLocaleString("en-US")
export const fixed = (n: number, digits: number) => n.toFixed(digits)
export const mebibytes = (bytes: number) => `${bytes >= 0 ? "+" : "−"}${(Math.abs(bytes) / 1024 / 1024).toFixed(3)} MiB`
/** A difference with its sign, e.g. `+12.3` or `−4.0`. */
export const signed = (n: number, digits: number) => `${n >= 0 ? "+" : "−"}${Math.abs(n).toFixed(digits)}`
export const kibibytes = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`
export const verdict = (met: boolean) => (met ? "✅ met" : "❌ missed")
export const na = (value: NotApplicable) => `n/a: ${value.notApplicable}`
/** A median and its spread (lowest–highest), e.g. `12.3 (11.0–14.2)`. */
export const withSpread = (value: number, spread: readonly [number, number], digits: number) =>
  `${fixed(value, digits)} (${fixed(spread[0], digits)}–${fixed(spread[1], digits)})`

export const table = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>) =>
  [
    `| ${header.join(" | ")} |`,
    `|${header.map(() => "---").join("|")}|`,
    ...rows.map((row) => `| ${row.join(" | ")} |`)
  ].join("\n")
