/**
 * How the demo prints: plain text (no colours, so it reads the same in a terminal, a
 * CI log or a pipe), wrapped to a fixed width, through Effect's `Console`.
 */
import { Console, Duration, Effect } from "effect"

const width = 100

/** Splits `text` into lines of at most `room` characters, at spaces where it can. */
export const wrap = (text: string, room: number): ReadonlyArray<string> => {
  const lines: Array<string> = []
  for (const paragraph of text.split("\n")) {
    let line = ""
    for (const word of paragraph.split(" ")) {
      if (line === "") line = word
      else if (line.length + 1 + word.length <= room) line += ` ${word}`
      else {
        lines.push(line)
        line = word
      }
    }
    lines.push(line)
  }
  return lines
}

const indented = (text: string, indent: number) =>
  wrap(text, width - indent).map((line) => `${" ".repeat(indent)}${line}`).join("\n")

/** The demo's title. */
export const title = (text: string): Effect.Effect<void> => Console.log(`${text}\n${"=".repeat(text.length)}`)

/** A paragraph. */
export const paragraph = (text: string): Effect.Effect<void> => Console.log(`\n${indented(text, 0)}`)

/** A numbered section: its heading and what it shows. */
export const section = (number: number, heading: string, explanation: string): Effect.Effect<void> => {
  const head = `${number}. ${heading}`
  return Console.log(`\n${head}\n${"-".repeat(head.length)}\n${indented(explanation, 3)}\n`)
}

const labelWidth = 15

/** One provider's line: its name in a column, the text wrapped beside it. */
export const row = (label: string, text: string): Effect.Effect<void> => {
  const [first = "", ...rest] = wrap(text, width - 3 - labelWidth)
  return Console.log(
    [`   ${label.padEnd(labelWidth)}${first}`, ...rest.map((line) => `${" ".repeat(3 + labelWidth)}${line}`)].join("\n")
  )
}

const failureLabelWidth = 20

/** A failure: what was done wrong, the error's tag, and its message. */
export const failure = (what: string, tag: string, message: string): Effect.Effect<void> =>
  Console.log(
    [
      `     ${what.padEnd(failureLabelWidth)}→ ${tag}`,
      ...wrap(message, width - 7 - failureLabelWidth).map((line) => `${" ".repeat(7 + failureLabelWidth)}${line}`)
    ].join("\n")
  )

/** A provider's name above its failures. */
export const subheading = (text: string): Effect.Effect<void> => Console.log(`   ${text}`)

/** A duration the way people say it: `6s`, `5.1s`, `4m 48s`. */
export const seconds = (millis: number): string => {
  if (millis < 60_000) {
    const value = Math.round(millis / 100) / 10
    return `${Number.isInteger(value) ? value.toFixed(0) : value.toFixed(1)}s`
  }
  return Duration.format(Duration.seconds(Math.round(millis / 1000)))
}
