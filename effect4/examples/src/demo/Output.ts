/**
 * How the demo prints: plain text wrapped to a fixed width (no colours: it reads the same
 * in a terminal, a CI log or a pipe), through Effect's `Console`.
 */
import { Console, Duration } from "effect"
import type { Effect } from "effect"

const width = 100
const labelWidth = 15
const failureLabelWidth = 20

/** Splits text into lines of at most `room` characters, at spaces where it can. */
const wrap = (text: string, room: number): ReadonlyArray<string> =>
  text.split("\n").flatMap((paragraph) =>
    paragraph.split(" ").reduce<Array<string>>((lines, word) => {
      const last = lines[lines.length - 1]
      if (last === undefined || last === "") return [...lines.slice(0, -1), word]
      return last.length + 1 + word.length <= room ? [...lines.slice(0, -1), `${last} ${word}`] : [...lines, word]
    }, [""])
  )

/** Lines after the first indented by `indent`, the first prefixed by `first`. */
const block = (first: string, indent: number, text: string): string =>
  wrap(text, width - indent).map((line, index) => `${index === 0 ? first.padEnd(indent) : " ".repeat(indent)}${line}`).join("\n")

/** The demo's title, underlined. */
export const title = (text: string): Effect.Effect<void> => Console.log(`${text}\n${"=".repeat(text.length)}`)

/** A paragraph after a blank line. */
export const paragraph = (text: string): Effect.Effect<void> => Console.log(`\n${block("", 0, text)}`)

/** A numbered section: its heading and what it shows. */
export const section = (number: number, heading: string, explanation: string): Effect.Effect<void> => {
  const head = `${number}. ${heading}`
  return Console.log(`\n${head}\n${"-".repeat(head.length)}\n${block("", 3, explanation)}\n`)
}

/** One provider's line: its name in a column, the text wrapped beside it. */
export const row = (label: string, text: string): Effect.Effect<void> =>
  Console.log(block(`   ${label}`, 3 + labelWidth, text))

/** A failure: what was done wrong, the error's tag, and its message below. */
export const failure = (what: string, tag: string, message: string): Effect.Effect<void> =>
  Console.log(`     ${what.padEnd(failureLabelWidth)}→ ${tag}\n${block("", 7 + failureLabelWidth, message)}`)

/** A provider's name above its failures. */
export const subheading = (text: string): Effect.Effect<void> => Console.log(`   ${text}`)

/** A duration as people say it: `6s`, `5.1s`, `4m 48s`. */
export const seconds = (millis: number): string => {
  if (millis >= 60_000) return Duration.format(Duration.seconds(Math.round(millis / 1000)))
  const tenths = Math.round(millis / 100) / 10
  return `${Number.isInteger(tenths) ? tenths.toFixed(0) : tenths.toFixed(1)}s`
}
