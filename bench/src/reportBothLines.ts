/**
 * The results.md sections of both lines side by side (issue 15): the same figures of the
 * Effect 3 line (this process) and of the Effect 4 line (effect4/bench, see effect4Line.ts)
 * in one table, each judged against the floors measured on its own Effect and Node, then the
 * Effect 4 line's own tables.
 */
import type { NotApplicable } from "./Contender.js"
import { isNotApplicable } from "./Contender.js"
import type { AuthenticatedRequestCost } from "./authenticatedRequest.js"
import type { Cost } from "./effectCost.js"
import type { Effect4Results } from "./effect4Results.js"
import { fixed, integer, kibibytes, mebibytes, na, signed, table, withSpread } from "./format.js"
import type { MemoryResult, RotationResult, StampedeResult, ThroughputResult, WarmReadResult } from "./measures.js"
import { memoryHeader, memoryRow, throughputHeader, throughputRow } from "./report.js"
import type { Results } from "./report.js"
import { costHeader, costRow } from "./reportInProcess.js"
import type { ScaleResult } from "./scaleMeasure.js"
import type { StampedeInProcessRow } from "./stampedeInProcess.js"
import type { TagReadCosts } from "./tagRead.js"

/** One line's figures, whichever process measured them. */
interface LineFigures {
  readonly request: ReadonlyArray<AuthenticatedRequestCost>
  readonly refresh: Cost | undefined
  readonly requestToken: Cost | undefined
  readonly tag: TagReadCosts
  readonly stampede: ReadonlyArray<StampedeInProcessRow>
  readonly scale: ScaleResult
  readonly throughput: ThroughputResult | NotApplicable | undefined
  /** The plain client on both sides: the noise of the end-to-end CPU figures. */
  readonly control: ThroughputResult | NotApplicable | undefined
  readonly warmRead: ReadonlyArray<WarmReadResult> | NotApplicable | undefined
  readonly stampedeEndToEnd: StampedeResult | NotApplicable | undefined
  readonly rotation: RotationResult | NotApplicable | undefined
  readonly memory: MemoryResult | NotApplicable | undefined
}

const effect3Figures = (results: Results): LineFigures => {
  const ours = <A>(rows: ReadonlyArray<{ readonly contender: { readonly name: string }; readonly result: A }>) =>
    rows.find((row) => row.contender.name === "effect-bearer")?.result
  const { request, token, tag, stampede, scale } = results.inProcess
  return {
    request,
    refresh: token.effectBearer[0],
    requestToken: token.effectBearer[1],
    tag,
    stampede,
    scale,
    throughput: ours(results.throughput),
    control: results.diagnostics.throughput.find((row) => row.label.startsWith("control"))?.result,
    warmRead: ours(results.warmRead.rows),
    stampedeEndToEnd: ours(results.stampede),
    rotation: ours(results.rotation),
    memory: ours(results.memory)
  }
}

const effect4Figures = (results: Effect4Results): LineFigures => ({
  ...results.inProcess,
  refresh: results.inProcess.token[0],
  requestToken: results.inProcess.token[1],
  throughput: results.throughput[0]?.result,
  control: results.throughput[1]?.result,
  warmRead: results.warmRead.rows[0]?.result,
  stampedeEndToEnd: results.stampede[0]?.result,
  rotation: results.rotation[0]?.result,
  memory: results.memory[0]?.result
})

/** A figure, or why there is none. */
const shown = <A>(value: A | NotApplicable | undefined, show: (value: A) => string) =>
  value === undefined ? "n/a" : isNotApplicable(value) ? na(value) : show(value)

const perRequest = (cost: Cost | undefined) =>
  shown(cost, (c) =>
    `${fixed(c.cpuMicroseconds, 1)} µs, ${integer(c.operations)} operations, ` +
    `${c.allocatedBytes === undefined ? "n/a" : kibibytes(c.allocatedBytes)}`)

const requestCost = (line: LineFigures, client: AuthenticatedRequestCost["client"], tracer: AuthenticatedRequestCost["tracer"]) =>
  line.request.find((row) => row.client === client && row.tracer === tracer)

const overMapped = (tracer: AuthenticatedRequestCost["tracer"]) => (line: LineFigures) => {
  const bearer = requestCost(line, "bearer", tracer)
  const mapped = requestCost(line, "mapped", tracer)
  if (bearer === undefined || mapped === undefined) return "n/a"
  return `**${signed(bearer.cpuMicroseconds - mapped.cpuMicroseconds, 1)} µs** (${integer(bearer.operations)} vs ` +
    `${integer(mapped.operations)} operations, ${signed(((bearer.allocatedBytes ?? NaN) - (mapped.allocatedBytes ?? NaN)) / 1024, 1)} KiB)`
}

const times = (value: number, floor: number) => `${fixed(value / floor, 2)}×`

const stampedeAt = (readers: number) => (line: LineFigures) =>
  shown(line.stampede.find((row) => row.readers === readers), (row) =>
    `**${fixed(row.cpuRatio.median, 2)}× CPU** (${fixed(row.cpuRatio.spread[0], 2)}–${fixed(row.cpuRatio.spread[1], 2)}), ` +
    `${fixed(row.wallRatio.median, 2)}× wall, ${integer(row.tokenRequests)} token request(s)`)

const warmReadOf = (label: string) => (line: LineFigures) =>
  shown(line.warmRead, (readers) => shown(readers.find((reader) => reader.label === label), (r) =>
    `${fixed(r.timesBaseline, 2)}× (${fixed(r.nsPerRead, 0)} ns)`))

/** The rows of the side-by-side table: what is measured, the goal, and each line's figure. */
const rows = (
  plan: Results["plan"]
): ReadonlyArray<readonly [string, string, (line: LineFigures) => string]> => [
  ["1. `BearerHttpClient` over `mapRequestEffect` + `provider.get`, in process, default tracer", "≤ 15 µs CPU", overMapped("on")],
  ["1. the same, tracer disabled", "≤ 15 µs CPU", overMapped("off")],
  ["1. the bare canned client per request (the floor)", "–", (line) => perRequest(requestCost(line, "bare", "on"))],
  ["2. Token request in process: `provider.refresh` (endpoint, decode, store)", "≤ 0.5 ms CPU", (line) => perRequest(line.refresh)],
  ["2. `TokenEndpoint.requestToken` alone", "–", (line) => perRequest(line.requestToken)],
  ...plan.stampedeInProcess.readers.map((readers) =>
    [
      `3. Stampede in process, ${integer(readers)} readers, × N fibers awaiting a bare \`Deferred\` (median of pairs)`,
      "≤ 1.1×, 1 token request",
      stampedeAt(readers)
    ] as const
  ),
  [
    "4. `TokenProvider.get` × a trivial service's tag",
    "≤ 1.2×",
    (line) => `**${times(line.tag.tag.cpuMicroseconds, line.tag.trivialTag.cpuMicroseconds)}** (${integer(line.tag.tag.operations)} vs ${integer(line.tag.trivialTag.operations)} operations)`
  ],
  [
    "4. `provider.get` × a bare `Ref.get`",
    "≤ 1.5×",
    (line) => `**${times(line.tag.providerGet.cpuMicroseconds, line.tag.ref.cpuMicroseconds)}** (${fixed(line.tag.providerGet.cpuMicroseconds * 1e3, 0)} vs ${fixed(line.tag.ref.cpuMicroseconds * 1e3, 0)} ns)`
  ],
  [
    `5. Scale: ${integer(plan.scale.providers)} providers with background refresh`,
    "reported; heap not growing",
    ({ scale }) => {
      const heaps = scale.heapOverTime.map((point) => point.heapBytes)
      return `${kibibytes(scale.heapPerProviderBytes)} each, ${signed(scale.idleCpuMsPerSecond, 2)} ms/s idle CPU, ` +
        `${signed((heaps[heaps.length - 1]! - heaps[0]!) / scale.providers, 0)} B each over ${scale.idleSeconds} s`
    }
  ],
  [
    "End to end: client CPU added per authenticated request (median of rounds)",
    "below every peer's",
    (line) => shown(line.throughput, (t) => `**${signed(t.addedCpuMicroseconds, 1)} µs** (${fixed(t.addedCpuSpread[0], 0)} to ${fixed(t.addedCpuSpread[1], 0)})`)
  ],
  [
    "End to end: control, the plain client on both sides (the noise)",
    "0 µs",
    (line) => shown(line.control, (t) => `${signed(t.addedCpuMicroseconds, 1)} µs`)
  ],
  [
    "End to end: authenticated / plain rate",
    "≥ 0.97",
    (line) => shown(line.throughput, (t) => fixed(t.ratio, 3))
  ],
  ["End to end: warm `provider.get` × bare `Ref.get`", "–", warmReadOf("`provider.get`")],
  ["End to end: warm `TokenProvider.get` × bare `Ref.get`", "–", warmReadOf("`TokenProvider.get` (through the tag)")],
  [
    `End to end: cold stampede, ${integer(plan.stampede.concurrent)} reads, ${plan.stampede.tokenLatencyMs} ms endpoint`,
    "1 token call",
    (line) => shown(line.stampedeEndToEnd, (s) => `${integer(s.tokenCalls)} call(s), ${integer(s.failed)} failed, ${integer(s.elapsedMs)} ms`)
  ],
  [
    "End to end: rotation (waited / got a 401 / token calls)",
    "0 / 0",
    (line) => shown(line.rotation, (r) => `${integer(r.waited)} / ${integer(r.unauthorizedRequests)} / ${integer(r.tokenCalls)}`)
  ],
  [
    `Heap growth over ${integer(plan.memory.total)} refresh cycles (trend per cycle)`,
    "< 1 MiB",
    (line) => shown(line.memory, (m) => `${mebibytes(m.growthBytes)} (${signed(m.trendBytesPerCycle, 1)} B)`)
  ]
]

const effect4Detail = (results: Effect4Results): ReadonlyArray<string> => [
  "### The Effect 4 line's own tables",
  "",
  `effect ${results.versions.effect}, @effect/platform-node ${results.versions.platformNode}, @effect-bearer/core ` +
    `${results.versions.core} loaded from \`${results.libraryEntry.replace(/^.*?\/effect4\//, "effect4/")}\`, on Node ` +
    `${results.versions.node}; ${integer(results.elapsedSeconds)} s, load average ${fixed(results.loadAverage.start, 2)} → ` +
    `${fixed(results.loadAverage.end, 2)}. How it is used: ${results.usage}.`,
  "",
  table(["in process (one run)", ...costHeader], [
    ...results.inProcess.request.map((cost) => costRow(cost)),
    ...results.inProcess.token.map((cost) => costRow(cost, 0)),
    ...Object.values(results.inProcess.tag).map((cost) => costRow({ ...cost, label: `read: ${cost.label}` }, 3))
  ]),
  "",
  table(
    ["stampede, readers", "provider ms (spread)", "floor ms (spread)", "CPU ms provider / floor", "token requests", "failed reads", "load average"],
    results.inProcess.stampede.map((row) => [
      integer(row.readers),
      withSpread(row.providerMs, row.providerSpread, 0),
      withSpread(row.floorMs, row.floorSpread, 0),
      `${integer(row.providerCpuMs)} / ${integer(row.floorCpuMs)}`,
      integer(row.tokenRequests),
      integer(row.failedReads),
      `${fixed(row.loadAverage[0], 1)} → ${fixed(row.loadAverage[1], 1)}`
    ])
  ),
  "",
  table(["end to end", ...throughputHeader], results.throughput.map(({ label, result }) => throughputRow(label, result))),
  "",
  table(["memory", ...memoryHeader], results.memory.map(({ label, result }) => memoryRow(label, result))),
  ""
]

export const bothLinesSection = (results: Results): ReadonlyArray<string> => {
  const { effect4 } = results
  const lines = isNotApplicable(effect4) ? undefined : [effect3Figures(results), effect4Figures(effect4)] as const
  return [
    "## Both lines: Effect 3 and Effect 4 (issue 15)",
    "",
    "The same measures of the two lines of effect-bearer, each from its built package: the Effect 3 line in this " +
      `process (Node ${process.version}), the Effect 4 line (effect4/bench) in its own process afterwards, on the ` +
      "Node its packages require (≥ 22.19), with servers of its own. Every in-process figure is relative to a " +
      "floor measured on the same line's Effect and Node (the bare client, `mapRequestEffect`, N fibers awaiting " +
      "a bare `Deferred`, a trivial service's tag, a bare `Ref.get`), so the ratios compare across the lines; the " +
      "absolute microseconds also carry the two Node versions and the load of their moment. Effect 4 has no " +
      "`Supervisor`: its operations are the fibers' own count (`currentOpCount`, every run-loop step and every " +
      "continuation it runs inline), summed over every run-loop pass, so an operation is not the same unit on " +
      "both lines. End to end, the Effect 4 line's client is not interleaved with the peers' rounds (its own " +
      "plain and authenticated runs are, and the added CPU is their difference).",
    "",
    lines === undefined
      ? `The Effect 4 line did not run: ${na(effect4 as NotApplicable)}.`
      : table(
        ["measure", "goal", "Effect 3 line", "Effect 4 line"],
        rows(results.plan).map(([measure, goal, figure]) => [measure, goal, figure(lines[0]), figure(lines[1])])
      ),
    "",
    ...(isNotApplicable(effect4) ? [] : effect4Detail(effect4))
  ]
}

/** One line for the terminal. */
export const bothLinesSummary = (results: Results): string => {
  if (isNotApplicable(results.effect4)) return `  Effect 4 line: ${na(results.effect4)}`
  const [three, four] = [effect3Figures(results), effect4Figures(results.effect4)]
  return rows(results.plan)
    .slice(0, 2)
    .map(([measure, , figure]) => `  both lines, ${measure}: Effect 3 ${figure(three)}; Effect 4 ${figure(four)}`.replaceAll("**", ""))
    .join("\n")
}
