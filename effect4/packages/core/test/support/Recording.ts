/**
 * A tracer, a logger and a metric reader that keep what they were given, for the tests
 * that check what the library shows a telemetry backend (and that no secret is in it).
 */
import type { Context } from "effect"
import { Cause, Effect, Exit, Layer, Logger, Metric, Option, References, Tracer } from "effect"

/** A span that keeps what it was told. */
export class RecordedSpan implements Tracer.Span {
  readonly _tag = "Span"
  readonly sampled = true
  readonly traceId: string
  readonly spanId = `span-${Math.random().toString(16).slice(2)}`
  readonly attributes = new Map<string, unknown>()
  readonly events: Array<{ readonly name: string; readonly attributes: Record<string, unknown> }> = []
  readonly links: Array<Tracer.SpanLink>
  status: Tracer.SpanStatus
  constructor(
    readonly name: string,
    readonly parent: Option.Option<Tracer.AnySpan>,
    readonly annotations: Context.Context<never>,
    links: ReadonlyArray<Tracer.SpanLink>,
    startTime: bigint,
    readonly kind: Tracer.SpanKind
  ) {
    this.traceId = Option.match(parent, { onNone: () => `trace-${this.spanId}`, onSome: (span) => span.traceId })
    this.links = [...links]
    this.status = { _tag: "Started", startTime }
  }
  end(endTime: bigint, exit: Exit.Exit<unknown, unknown>) {
    this.status = { _tag: "Ended", startTime: this.status.startTime, endTime, exit }
  }
  attribute(key: string, value: unknown) {
    this.attributes.set(key, value)
  }
  event(name: string, _startTime: bigint, attributes?: Record<string, unknown>) {
    this.events.push({ name, attributes: attributes ?? {} })
  }
  addLinks(links: ReadonlyArray<Tracer.SpanLink>) {
    this.links.push(...links)
  }
}

/** A tracer recording every span into `spans`. */
export const tracer = () => {
  const spans: Array<RecordedSpan> = []
  const recording = Tracer.make({
    span: (options) => {
      const span = new RecordedSpan(
        options.name,
        options.parent,
        options.annotations,
        options.links,
        options.startTime,
        options.kind
      )
      spans.push(span)
      return span
    }
  })
  return { spans, tracer: recording }
}

/** Everything a span exporter would send: name, attributes, events, failure. */
export const describeSpan = (span: RecordedSpan) =>
  [
    span.name,
    ...[...span.attributes].map(([key, value]) => `${key}=${String(value)}`),
    ...span.events.map((event) => `${event.name} ${JSON.stringify(event.attributes)}`),
    span.status._tag === "Ended" && Exit.isFailure(span.status.exit) ? Cause.pretty(span.status.exit.cause) : ""
  ].join("\n")

/** One log line as a backend would get it. */
export interface LogLine {
  readonly level: string
  readonly message: string
  readonly annotations: Record<string, unknown>
}

/** A logger recording every line (Debug and up) into `lines`, installed beside the default one by `layer`. */
export const logger = () => {
  const lines: Array<LogLine> = []
  const recording = Logger.make(({ fiber, logLevel, message }) => {
    lines.push({
      level: logLevel,
      message: (Array.isArray(message) ? message : [message]).map(String).join(" "),
      annotations: { ...fiber.getRef(References.CurrentLogAnnotations) }
    })
  })
  const layer = Layer.merge(
    Logger.layer([recording], { mergeWithExisting: true }),
    Layer.succeed(References.MinimumLogLevel, "Debug")
  )
  return { lines, layer }
}

/** A counter's count or a gauge's value, summed over the metric `name`'s series carrying all `attributes`. */
export const metricValue = (name: string, attributes: Record<string, string>) =>
  Effect.map(Metric.snapshot, (snapshots) =>
    snapshots
      .filter((snapshot) =>
        snapshot.id === name &&
        Object.entries(attributes).every(([key, value]) => snapshot.attributes?.[key] === value)
      )
      .reduce(
        (sum, snapshot) =>
          sum + (snapshot.type === "Counter"
            ? Number(snapshot.state.count)
            : snapshot.type === "Gauge"
            ? Number(snapshot.state.value)
            : 0),
        0
      ))

/** Every metric attribute as `<name> <key>=<value>`, to search for secrets. */
export const metricLabels = Effect.map(Metric.snapshot, (snapshots) =>
  snapshots.flatMap((snapshot) =>
    Object.entries(snapshot.attributes ?? {}).map(([key, value]) => `${snapshot.id} ${key}=${value}`)
  ))
