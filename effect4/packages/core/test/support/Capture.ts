/**
 * Captures everything a program could show a human or a telemetry backend: every log line
 * (as each of Effect 4's built-in loggers formats or prints it, at Debug level), every span
 * (name, attributes, events, links, exit), and every error in all the ways people print
 * errors; then looks for canary strings in all of it.
 */
import { Cause, Console, Effect, Exit, Layer, Logger, References, Tracer } from "effect"
import { HttpClientError } from "effect/http"
import { Console as NodeConsole } from "node:console"
import { Writable } from "node:stream"
import { inspect } from "node:util"

/** One captured text and where it came from. */
export interface Captured {
  readonly source: string
  readonly text: string
}

const safeJson = (value: unknown): string => {
  try {
    return JSON.stringify(value) ?? "undefined"
  } catch (error) {
    return `<JSON.stringify threw ${String(error)}>`
  }
}

const safeString = (value: unknown): string => {
  try {
    return String(value)
  } catch (error) {
    return `<String threw ${String(error)}>`
  }
}

/** Up to 80 characters either side of the first occurrence of `canary`, which is shortened. */
const around = (text: string, canary: string) => {
  const at = text.indexOf(canary)
  return `${text.slice(Math.max(0, at - 80), at)}${canary.slice(0, 24)}…${text.slice(at + canary.length, at + canary.length + 80)}`
}

/** A Node console whose output is kept: what `console.log(x)` would have written (no colours). */
const makePrintingConsole = () => {
  let written = ""
  const sink = new Writable({
    write(chunk, _encoding, done) {
      written += String(chunk)
      done()
    }
  })
  const console: Console.Console = new NodeConsole({ stdout: sink, stderr: sink, colorMode: false })
  /** Runs `print` and returns what it wrote. */
  const capture = (print: (console: Console.Console) => void): string => {
    const before = written.length
    print(console)
    const text = written.slice(before)
    written = ""
    return text
  }
  return { capture, console }
}

/** Effect 4's built-in formats, each as a user installs it (a logger per format). */
const formats: ReadonlyArray<readonly [string, Logger.Logger<unknown, unknown>]> = [
  ["simple", Logger.formatSimple],
  ["logfmt", Logger.formatLogFmt],
  ["json", Logger.formatJson],
  ["structured", Logger.formatStructured]
]

const prettyLogger = Logger.consolePretty({ colors: false })

export const make = () => {
  const texts: Array<Captured> = []
  const spans: Array<{ readonly span: Tracer.Span; readonly events: Array<string> }> = []
  const printing = makePrintingConsole()
  let logs = 0
  let errors = 0

  const record = (source: string, text: string) => {
    texts.push({ source, text })
  }
  /** A value as `String`, `JSON.stringify`, `util.inspect` (to any depth) and `console.log` render it. */
  const recordValue = (source: string, value: unknown) => {
    record(`${source} String`, safeString(value))
    record(`${source} JSON.stringify`, safeJson(value))
    record(`${source} util.inspect`, inspect(value, { depth: Infinity }))
    record(`${source} console.log`, printing.capture((console) => console.log(value)))
  }
  /**
   * An error in every printable form, and for an `HttpClientError` its reason, request and
   * response printed the same ways.
   */
  const recordError = (source: string, error: unknown) => {
    errors++
    recordValue(source, error)
    record(`${source} util.inspect (hidden, getters)`, inspect(error, { depth: 20, showHidden: true, getters: true }))
    record(`${source} console.error`, printing.capture((console) => console.error(error)))
    if (error instanceof Error) {
      record(`${source} message`, error.message)
      record(`${source} stack`, error.stack ?? "")
      record(`${source} toString`, error.toString())
    }
    if (HttpClientError.isHttpClientError(error)) {
      recordValue(`${source} .reason`, error.reason)
      recordValue(`${source} .request`, error.request)
      recordValue(`${source} .request.headers`, error.request.headers)
      if (error.response !== undefined) {
        recordValue(`${source} .response`, error.response)
        recordValue(`${source} .response.request`, error.response.request)
        recordValue(`${source} .response.request.headers`, error.response.request.headers)
      }
    }
    if (typeof error === "object" && error !== null && "cause" in error && error.cause !== undefined && error.cause !== error) {
      recordValue(`${source} .cause`, error.cause)
    }
  }
  /** An exit: its cause pretty-printed, and its failures and defects in every printable form. */
  const recordExit = (source: string, exit: Exit.Exit<unknown, unknown>) => {
    if (Exit.isSuccess(exit)) return recordValue(`${source} value`, exit.value)
    record(`${source} Cause.pretty`, Cause.pretty(exit.cause))
    recordValue(`${source} cause`, exit.cause)
    for (const reason of exit.cause.reasons) {
      if (Cause.isFailReason(reason)) recordError(source, reason.error)
      if (Cause.isDieReason(reason)) recordError(`${source} defect`, reason.defect)
    }
  }

  /**
   * Records only what an exit's failure says about itself: `message`, `String(e)` and
   * `Cause.pretty`, for failures already printed in full.
   */
  const recordExitMessages = (source: string, exit: Exit.Exit<unknown, unknown>) => {
    if (Exit.isSuccess(exit)) return
    record(`${source} Cause.pretty`, Cause.pretty(exit.cause))
    for (const reason of exit.cause.reasons) {
      if (!Cause.isFailReason(reason)) continue
      errors++
      record(`${source} String`, String(reason.error))
      if (reason.error instanceof Error) record(`${source} message`, reason.error.message)
    }
  }
  /**
   * Records an exit, then logs it as users do: a failure's cause with `Effect.logError`
   * and its error on its own; a success's value with `Effect.logInfo`.
   */
  const recordAndLog = (source: string, exit: Exit.Exit<unknown, unknown>): Effect.Effect<void> =>
    Effect.gen(function*() {
      recordExit(source, exit)
      if (Exit.isSuccess(exit)) return yield* Effect.logInfo(source, exit.value)
      yield* Effect.logError(source, exit.cause)
      for (const reason of exit.cause.reasons) {
        if (Cause.isFailReason(reason)) yield* Effect.logError(reason.error)
      }
    })

  // Every line as each of Effect's built-in loggers formats it, and as the pretty one prints it.
  const logger = Logger.make((options) => {
    logs++
    const label = options.logLevel
    for (const [name, format] of formats) {
      record(`log (${label}) ${name} logger`, safeJson(format.log(options)))
    }
    record(`log (${label}) pretty logger`, printing.capture(() => prettyLogger.log(options)))
  })

  const tracer = Effect.map(Effect.tracer, (native) =>
    Tracer.make({
      ...(native.context !== undefined ? { context: native.context } : {}),
      span: (options) => {
        const span = native.span(options)
        const events: Array<string> = []
        const event = span.event.bind(span)
        span.event = (eventName, time, attributes) => {
          events.push(`${eventName} ${safeJson(attributes)}`)
          event(eventName, time, attributes)
        }
        spans.push({ span, events })
        return span
      }
    }))

  /** The logger (beside none other), the Debug level, the printing console and the tracer. */
  const layer = Layer.mergeAll(
    Logger.layer([logger]),
    Layer.succeed(References.MinimumLogLevel, "Debug"),
    Layer.succeed(Console.Console, printing.console),
    Layer.unwrap(Effect.map(tracer, (recording) => Layer.succeed(Tracer.Tracer, recording)))
  )

  const spanTexts = (): ReadonlyArray<Captured> =>
    spans.flatMap(({ events, span }) => {
      const attributes = [...span.attributes].map(([key, value]) => `${key}=${typeof value === "string" ? value : safeJson(value)}`)
      const exit = span.status._tag === "Ended" && Exit.isFailure(span.status.exit) ? [Cause.pretty(span.status.exit.cause)] : []
      return [span.name, ...attributes, ...events, ...exit, ...span.links.map((link) => safeJson(link.attributes))].map((text) => ({
        source: `span ${span.name}`,
        text
      }))
    })

  const all = () => [...texts, ...spanTexts()]
  return {
    record,
    recordValue,
    recordError,
    recordExit,
    recordExitMessages,
    recordAndLog,
    layer,
    all,
    /** How many of each kind were captured, to prove the capture was not empty. */
    counts: () => ({ logs, spans: spans.length, errors }),
    /** Every (source, canary) pair where a canary was found. */
    leaks: (canaries: ReadonlyArray<string>): ReadonlyArray<string> =>
      all().flatMap(({ source, text }) =>
        [...new Set(canaries)].filter((canary) => text.includes(canary)).map((canary) =>
          `${source}: ${canary.slice(0, 24)}… in …${around(text, canary)}…`
        )
      )
  }
}

export type Capture = ReturnType<typeof make>
