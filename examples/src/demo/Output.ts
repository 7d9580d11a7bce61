/**
 * How the demo prints: the version-free script's layout (`DemoScript`: plain text wrapped to
 * 100 columns, no colours, so it reads the same in a terminal, a CI log or a pipe), each
 * block one line of Effect's `Console`.
 */
import * as DemoScript from "@effect-bearer/conformance/DemoScript"
import { Console } from "effect"
import type { Effect } from "effect"

/** A block of the script's layout, printed. */
const printed = <Parts extends ReadonlyArray<string>>(layout: (...parts: Parts) => string) =>
(...parts: Parts): Effect.Effect<void> => Console.log(layout(...parts))

/** The demo's title. */
export const title: (text: string) => Effect.Effect<void> = printed(DemoScript.title)

/** A paragraph. */
export const paragraph: (text: string) => Effect.Effect<void> = printed(DemoScript.paragraph)

/** A numbered section: its heading and what it shows (one of the script's `sections`). */
export const section = (number: number, step: { readonly heading: string; readonly explanation: string }) =>
  Console.log(DemoScript.section(number, step.heading, step.explanation))

/** One provider's line: its name in a column, the text wrapped beside it. */
export const row: (label: string, text: string) => Effect.Effect<void> = printed(DemoScript.row)

/** A failure: what was done wrong, the error's tag, and its message. */
export const failure: (what: string, tag: string, message: string) => Effect.Effect<void> = printed(DemoScript.failure)

/** A provider's name above its failures. */
export const subheading: (text: string) => Effect.Effect<void> = printed(DemoScript.subheading)

/** A duration the way people say it: `6s`, `5.1s`, `4m 48s`. */
export const seconds: (millis: number) => string = DemoScript.seconds
