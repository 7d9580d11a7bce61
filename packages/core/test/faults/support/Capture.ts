/**
 * Captures everything a program could show a human or a telemetry backend: every log
 * line (as each of Effect's built-in loggers renders and prints it, at Debug level),
 * every span (name, attributes, events, links, exit), and every error in all the ways
 * people print errors; then looks for canary strings in all of it.
 */
import * as ClientSecretBasic from "@effect-bearer/kernel/ClientSecretBasic"
import { Cause, Console, Context, DefaultServices, Effect, Exit, FiberId, FiberRefs, Layer, Logger, LogLevel, Option, Tracer } from "effect"
import { Console as NodeConsole } from "node:console"
import { Writable } from "node:stream"
import { inspect } from "node:util"

/** One captured text and where it came from. */
export interface Captured {
  readonly source: string
  readonly text: string
}

export interface Capture {
  /** Records a text under a label. */
  readonly record: (source: string, text: string) => void
  /**
   * Records an error (or any failure value) in every printable form: `String`,
   * `JSON.stringify`, `util.inspect` (to any depth, and with hidden properties and
   * getters), `console.error`, its `message`, `stack` and `toString()`, and, for an
   * `HttpClientError`, its `request` and `response` printed the same ways.
   */
  readonly recordError: (source: string, error: unknown) => void
  /**
   * Records an exit: its cause, pretty-printed (as `Cause.pretty` and as the pretty
   * logger renders it), and its failure in every printable form.
   */
  readonly recordExit: (source: string, exit: Exit.Exit<unknown, unknown>) => void
  /**
   * Records only what an exit's failure says about itself: `message`, `String(e)` and
   * `Cause.pretty`, for failures whose objects are known to carry more (see the report).
   */
  readonly recordExitMessages: (source: string, exit: Exit.Exit<unknown, unknown>) => void
  /** Records a value as `String`, `JSON.stringify`, `util.inspect` (to any depth) and `console.log` render it. */
  readonly recordValue: (source: string, value: unknown) => void
  /**
   * The logger and tracer to install around the scenarios: every log line goes through
   * each of Effect's built-in loggers (string, logfmt, JSON, structured, pretty), both as
   * each returns it and as each prints it on a console.
   */
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

/**
 * A Node console whose output is kept: what `console.log(x)` and `console.error(x)` would
 * have written to the terminal (util.inspect's default depth, no colours).
 */
const makePrintingConsole = () => {
  let written = ""
  const sink = new Writable({
    write(chunk, _encoding, done) {
      written += String(chunk)
      done()
    }
  })
  const node = new NodeConsole({ stdout: sink, stderr: sink, colorMode: false })
  /** Runs `print` against the console and returns what it wrote. */
  const capture = (print: (console: Console.UnsafeConsole) => void): string => {
    const before = written.length
    print(node)
    const text = written.slice(before)
    written = ""
    return text
  }
  const sync = (f: () => void) => Effect.sync(f)
  const service: Console.Console = {
    [Console.TypeId]: Console.TypeId,
    assert: (condition, ...args) => sync(() => node.assert(condition, ...args)),
    clear: sync(() => {}),
    count: (label) => sync(() => node.count(label)),
    countReset: (label) => sync(() => node.countReset(label)),
    debug: (...args) => sync(() => node.debug(...args)),
    dir: (item, options) => sync(() => node.dir(item, options)),
    dirxml: (...args) => sync(() => node.dirxml(...args)),
    error: (...args) => sync(() => node.error(...args)),
    group: (options) => sync(() => options?.collapsed ? node.groupCollapsed(options.label) : node.group(options?.label)),
    groupEnd: sync(() => node.groupEnd()),
    info: (...args) => sync(() => node.info(...args)),
    log: (...args) => sync(() => node.log(...args)),
    table: (data, properties) => sync(() => node.table(data, properties)),
    time: (label) => sync(() => node.time(label)),
    timeEnd: (label) => sync(() => node.timeEnd(label)),
    timeLog: (label, ...args) => sync(() => node.timeLog(label, ...args)),
    trace: (...args) => sync(() => node.trace(...args)),
    warn: (...args) => sync(() => node.warn(...args)),
    unsafe: node
  }
  return { capture, service }
}

/** Effect's built-in loggers as a user installs them (`Logger.json` and friends), each printing on a console. */
const builtInLoggers: ReadonlyArray<readonly [string, Logger.Logger<unknown, void>]> = [
  ["string", Logger.withConsoleLog(Logger.stringLogger)],
  ["logfmt", Logger.withConsoleLog(Logger.logfmtLogger)],
  ["json", Logger.withConsoleLog(Logger.jsonLogger)],
  ["structured", Logger.withConsoleLog(Logger.structuredLogger)],
  ["pretty", Logger.prettyLogger({ colors: false })]
]

export const make = (): Capture => {
  const texts: Array<Captured> = []
  const spans: Array<{ readonly span: Tracer.Span; readonly events: Array<string> }> = []
  const printing = makePrintingConsole()
  let logs = 0
  let errors = 0

  const record = (source: string, text: string) => {
    texts.push({ source, text })
  }
  const recordValue = (source: string, value: unknown) => {
    record(`${source} String`, safeString(value))
    record(`${source} JSON.stringify`, safeJson(value))
    record(`${source} util.inspect`, inspect(value, { depth: Infinity }))
    record(`${source} console.log`, printing.capture((console) => console.log(value)))
  }
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
    if (typeof error === "object" && error !== null) {
      // What users print of an HttpClientError: the request and the response themselves.
      if ("request" in error) {
        recordValue(`${source} .request`, error.request)
        if (typeof error.request === "object" && error.request !== null && "headers" in error.request) {
          recordValue(`${source} .request.headers`, error.request.headers)
        }
      }
      if ("response" in error) {
        recordValue(`${source} .response`, error.response)
        if (typeof error.response === "object" && error.response !== null && "request" in error.response) {
          recordValue(`${source} .response.request`, error.response.request)
        }
      }
      if ("cause" in error && error.cause !== undefined && error.cause !== error) {
        recordValue(`${source} .cause`, error.cause)
      }
    }
  }
  const recordCause = (source: string, cause: Cause.Cause<unknown>) => {
    record(`${source} Cause.pretty`, Cause.pretty(cause))
    record(`${source} Cause.pretty (error causes)`, Cause.pretty(cause, { renderErrorCause: true }))
    recordValue(`${source} cause`, cause)
  }
  const recordExit = (source: string, exit: Exit.Exit<unknown, unknown>) => {
    if (Exit.isSuccess(exit)) return recordValue(`${source} value`, exit.value)
    recordCause(source, exit.cause)
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

  // Every line as each of Effect's built-in loggers would render and print it.
  const logger = Logger.make<unknown, void>((options) => {
    logs++
    const label = options.logLevel.label
    // What a JSON shipper (pino-style) does with the structured form.
    const structured = Logger.structuredLogger.log(options)
    record(`log (${label}) structured JSON.stringify`, safeJson(structured))
    const services = FiberRefs.getOrDefault(options.context, DefaultServices.currentServices)
    const context = FiberRefs.updateAs(options.context, {
      fiberId: FiberId.none,
      fiberRef: DefaultServices.currentServices,
      value: Context.add(services, Console.Console, printing.service)
    })
    for (const [name, builtIn] of builtInLoggers) {
      record(`log (${label}) ${name} logger`, printing.capture(() => builtIn.log({ ...options, context })))
    }
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
        [...new Set(canaries)].filter((canary) => text.includes(canary)).map((canary) => `${source}: ${canary.slice(0, 24)}… in …${around(text, canary)}…`)
      )
  }
}

/**
 * Records an exit, then logs it as users do: a failure's cause with `Effect.logError`
 * (what `Effect.tapErrorCause(Effect.logError)` prints) and its error on its own (what
 * `Effect.logError(error)` prints); a success's value with `Effect.logInfo`.
 */
export const recordAndLog = (capture: Capture, label: string, exit: Exit.Exit<unknown, unknown>): Effect.Effect<void> =>
  Effect.gen(function*() {
    capture.recordExit(label, exit)
    if (Exit.isFailure(exit)) {
      yield* Effect.logError(label, exit.cause)
      for (const failure of Option.toArray(Cause.failureOption(exit.cause))) yield* Effect.logError(failure)
    } else {
      yield* Effect.logInfo(label, exit.value)
    }
  })

/**
 * The short list of ways users print a failure (`String`, `JSON.stringify`, `util.inspect`
 * plain and with hidden properties, `message`, the exit's `Cause.pretty`), for the tests
 * that look in them without a whole capture.
 */
export const printedForms = (exit: Exit.Exit<unknown, unknown>, error: unknown): ReadonlyArray<string> => [
  String(error),
  JSON.stringify(error),
  inspect(error, { depth: 20 }),
  inspect(error, { depth: 20, showHidden: true, getters: true }),
  error instanceof Error ? error.message : "",
  Exit.isFailure(exit) ? Cause.pretty(exit.cause) : ""
]

/** A value as `application/x-www-form-urlencoded` sends it (the kernel's): a canary is looked for in this form too. */
export const formEncode: (value: string) => string = ClientSecretBasic.formEncode

/**
 * The encoded forms a client secret travels in, each a canary of its own: form-encoded (a
 * `client_secret_post` body), URL-encoded, and the `client_secret_basic` header value
 * (RFC 6749 §2.3.1: the form-encoded id and secret, joined and Base64-encoded).
 */
export const clientSecretForms = (clientId: string, clientSecret: string): ReadonlyArray<string> => [
  formEncode(clientSecret),
  encodeURIComponent(clientSecret),
  ClientSecretBasic.authorization(clientId, clientSecret).slice("Basic ".length)
]
