/**
 * Captures everything a program could show a human or a telemetry backend: every log
 * line (rendered by Effect's own formatters, at Debug level), every span (name,
 * attributes, events, links, exit), and every error in all the ways people print
 * errors; then looks for canary strings in all of it.
 *
 * The same as packages/core/test/faults/support/Capture.ts: a package's tests cannot
 * import another package's test files.
 */
import { Cause, Effect, Exit, Layer, Logger, LogLevel, Option, Tracer } from "effect"
import { inspect } from "node:util"

/** One captured text and where it came from. */
export interface Captured {
  readonly source: string
  readonly text: string
}

export interface Capture {
  /** Records a text under a label. */
  readonly record: (source: string, text: string) => void
  /** Records an error (or any failure value) in every printable form. */
  readonly recordError: (source: string, error: unknown) => void
  /** Records an exit: its cause, pretty-printed, and its failure in every printable form. */
  readonly recordExit: (source: string, exit: Exit.Exit<unknown, unknown>) => void
  /**
   * Records only what an exit's failure says about itself: `message`, `String(e)` and
   * `Cause.pretty`, for failures whose objects are known to carry more (see the report).
   */
  readonly recordExitMessages: (source: string, exit: Exit.Exit<unknown, unknown>) => void
  /** Records a value as `String`, `JSON.stringify` and `util.inspect` render it. */
  readonly recordValue: (source: string, value: unknown) => void
  /** The logger and tracer to install around the scenarios. */
  readonly layer: Layer.Layer<never>
  /** Spans are read when asked, so attributes set after a span started are included. */
  readonly all: () => ReadonlyArray<Captured>
  /** How many of each kind were captured, to prove the capture was not empty. */
  readonly counts: () => { readonly logs: number; readonly spans: number; readonly errors: number }
  /** Every (source, canary) pair where a canary was found. */
  readonly leaks: (canaries: ReadonlyArray<string>) => ReadonlyArray<string>
}

const safeJson = (value: unknown): string => {
  try {
    return JSON.stringify(value) ?? "undefined"
  } catch (error) {
    return `<JSON.stringify threw ${String(error)}>`
  }
}

const printed = (value: unknown): ReadonlyArray<string> => [
  String(value),
  safeJson(value),
  inspect(value, { depth: 20, showHidden: false }),
  inspect(value, { depth: 20, showHidden: true, getters: true })
]

export const make = (): Capture => {
  const texts: Array<Captured> = []
  const spans: Array<{ readonly span: Tracer.Span; readonly events: Array<string> }> = []
  let logs = 0
  let errors = 0

  const record = (source: string, text: string) => {
    texts.push({ source, text })
  }
  const recordValue = (source: string, value: unknown) => {
    for (const text of printed(value)) record(source, text)
  }
  const recordError = (source: string, error: unknown) => {
    errors++
    recordValue(source, error)
    if (error instanceof Error) {
      record(`${source} message`, error.message)
      record(`${source} stack`, error.stack ?? "")
      record(`${source} toString`, error.toString())
    }
  }
  const recordExit = (source: string, exit: Exit.Exit<unknown, unknown>) => {
    if (Exit.isSuccess(exit)) return recordValue(`${source} value`, exit.value)
    record(`${source} Cause.pretty`, Cause.pretty(exit.cause))
    recordValue(`${source} cause`, exit.cause)
    for (const failure of Option.toArray(Cause.failureOption(exit.cause))) recordError(source, failure)
    for (const defect of Cause.defects(exit.cause)) recordError(`${source} defect`, defect)
  }

  const recordExitMessages = (source: string, exit: Exit.Exit<unknown, unknown>) => {
    if (Exit.isSuccess(exit)) return
    record(`${source} Cause.pretty`, Cause.pretty(exit.cause))
    for (const failure of Option.toArray(Cause.failureOption(exit.cause))) {
      errors++
      record(`${source} String`, String(failure))
      if (failure instanceof Error) record(`${source} message`, failure.message)
    }
  }

  // Every line as Effect's standard formatters would print it, whatever a user picks.
  const logger = Logger.make<unknown, void>((options) => {
    logs++
    for (const format of [Logger.logfmtLogger, Logger.stringLogger, Logger.jsonLogger]) {
      record(`log (${options.logLevel.label})`, format.log(options))
    }
    recordValue("log message", options.message)
    if (!Cause.isEmpty(options.cause)) record("log cause", Cause.pretty(options.cause))
  })

  const tracer = Effect.map(Effect.tracer, (native) =>
    Tracer.make({
      context: native.context,
      span: (name, parent, context, links, startTime, kind, options) => {
        const span = native.span(name, parent, context, links, startTime, kind, options)
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

  const layer = Layer.mergeAll(
    Logger.replace(Logger.defaultLogger, logger),
    Logger.minimumLogLevel(LogLevel.Debug),
    Layer.unwrapEffect(Effect.map(tracer, Layer.setTracer))
  )

  const spanTexts = (): ReadonlyArray<Captured> =>
    spans.flatMap(({ events, span }) => {
      const source = `span ${span.name}`
      const attributes = [...span.attributes].map(([key, value]) => `${key}=${typeof value === "string" ? value : safeJson(value)}`)
      const exit = span.status._tag === "Ended" ? [Cause.pretty(Exit.isFailure(span.status.exit) ? span.status.exit.cause : Cause.empty)] : []
      return [span.name, ...attributes, ...events, ...exit, ...span.links.map((link) => safeJson(link.attributes))].map((text) => ({
        source,
        text
      }))
    })

  const all = () => [...texts, ...spanTexts()]
  return {
    record,
    recordError,
    recordExit,
    recordExitMessages,
    recordValue,
    layer,
    all,
    counts: () => ({ logs, spans: spans.length, errors }),
    leaks: (canaries) =>
      all().flatMap(({ source, text }) =>
        canaries.filter((canary) => text.includes(canary)).map((canary) => `${source}: ${canary} in ${text.slice(0, 300)}`)
      )
  }
}
