/**
 * How the demo prints: the version-free script's layout (`DemoScript`), through Effect's `Console`.
 */
import * as DemoScript from "@effect-bearer/conformance/DemoScript"
import { Console } from "effect"
import type { Effect } from "effect"

/** The demo's title. */
export const title = (text: string): Effect.Effect<void> => Console.log(DemoScript.title(text))

/** A paragraph. */
export const paragraph = (text: string): Effect.Effect<void> => Console.log(DemoScript.paragraph(text))

/** A numbered section: its heading and what it shows. */
export const section = (number: number, step: { readonly heading: string; readonly explanation: string }): Effect.Effect<void> =>
  Console.log(DemoScript.section(number, step.heading, step.explanation))

/** One provider's line. */
export const row = (label: string, text: string): Effect.Effect<void> => Console.log(DemoScript.row(label, text))

/** A failure: what was done wrong, the error's tag, and its message. */
export const failure = (what: string, tag: string, message: string): Effect.Effect<void> =>
  Console.log(DemoScript.failure(what, tag, message))

/** A provider's name above its failures. */
export const subheading = (text: string): Effect.Effect<void> => Console.log(DemoScript.subheading(text))

/** A duration as people say it. */
export const seconds: (millis: number) => string = DemoScript.seconds
