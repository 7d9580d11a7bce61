/**
 * results.md and the stdout summary, from the rows of the measures: the header and the
 * end-to-end sections here (a little over 300 lines, mostly the prose that says how each was
 * measured); the in-process sections in reportInProcess.ts, the targets in reportTargets.ts.
 */
import { execFileSync } from "node:child_process"
import { readFileSync } from "node:fs"
import { cpus, platform, release, totalmem } from "node:os"
import type { CliStartupRow } from "./cliStartup.js"
import type { Effect4Results } from "./effect4Results.js"
import type { Contender, NotApplicable } from "./Contender.js"
import { isNotApplicable } from "./Contender.js"
import { fixed, integer, mebibytes, na, signed, table, verdict, withSpread } from "./format.js"
import type { InProcessResults } from "./reportInProcess.js"
import { cliSection, inProcessSections } from "./reportInProcess.js"
import { sharedStoreSection, sharedStoreSummary } from "./reportSharedStore.js"
import { bothLinesSection, bothLinesSummary } from "./reportBothLines.js"
import { targetRows } from "./reportTargets.js"
import type {
  Diagnostic,
  MemoryResult,
  RotationResult,
  Row,
  StampedeResult,
  ThroughputResult,
  WarmReadResult
} from "./measures.js"
import type { Plan } from "./plan.js"
import type { SharedStoreResults } from "./sharedStore.js"

export interface Results {
  readonly plan: Plan
  readonly quick: boolean
  /** Where `@effect-bearer/core` was loaded from (its built dist/). */
  readonly libraryEntry: string
  readonly contenders: ReadonlyArray<Contender>
  readonly inProcess: InProcessResults
  readonly cli: ReadonlyArray<CliStartupRow>
  readonly stampede: ReadonlyArray<Row<StampedeResult>>
  readonly warmRead: { readonly baselineNs: number; readonly rows: ReadonlyArray<Row<ReadonlyArray<WarmReadResult>>> }
  readonly throughput: ReadonlyArray<Row<ThroughputResult>>
  readonly rotation: ReadonlyArray<Row<RotationResult>>
  readonly memory: ReadonlyArray<Row<MemoryResult>>
  readonly sharedStore: SharedStoreResults
  readonly diagnostics: {
    readonly throughput: ReadonlyArray<Diagnostic<ThroughputResult>>
    readonly memory: ReadonlyArray<Diagnostic<MemoryResult>>
  }
  /** The Effect 4 line's figures (effect4/bench), or why it did not run. */
  readonly effect4: Effect4Results | NotApplicable
  readonly elapsedSeconds: number
  /** One-minute load averages when the run started and ended: other work on the machine skews timings. */
  readonly loadAverage: { readonly start: number; readonly end: number }
}

const packageJson = (name: string): { readonly version?: string } => {
  try {
    return JSON.parse(readFileSync(new URL(`../node_modules/${name}/package.json`, import.meta.url), "utf8"))
  } catch {
    return {}
  }
}

const versionOf = (name: string) => packageJson(name).version ?? "unknown"

/**
 * The commit when the run started (this module is loaded then, after `tsc -b` built what is
 * measured): a long run on a shared tree may end several commits later.
 */
const commitAtStart = (() => {
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim()
  } catch {
    return "unknown"
  }
})()

export const throughputHeader = [
  "client CPU added µs/request, median (lowest–highest round)",
  "client CPU µs/request, plain → authenticated",
  "authenticated / plain rate",
  "per-round rate ratios",
  "plain req/s",
  "authenticated req/s",
  "failed"
]

export const throughputRow = (name: string, result: ThroughputResult | NotApplicable) =>
  isNotApplicable(result)
    ? [name, na(result), "", "", "", "", "", ""]
    : [
      name,
      `**${withSpread(result.addedCpuMicroseconds, result.addedCpuSpread, 1)}**`,
      `${integer(result.plainCpuMicroseconds)} → ${integer(result.authenticatedCpuMicroseconds)}`,
      fixed(result.ratio, 3),
      result.ratios.map((r) => fixed(r, 2)).join(", "),
      integer(result.plainPerSecond),
      integer(result.authenticatedPerSecond),
      integer(result.failed)
    ]

export const memoryHeader = [
  "heap after first",
  "heap after all",
  "growth",
  "µs per cycle",
  "trend per cycle",
  "spread of the readings"
]

export const memoryRow = (name: string, result: MemoryResult | NotApplicable) =>
  isNotApplicable(result)
    ? [name, na(result), "", "", "", "", ""]
    : [
      name,
      `${(result.heapAfterFirst / 1024 / 1024).toFixed(2)} MiB (${integer(result.first)})`,
      `${(result.heapAfterTotal / 1024 / 1024).toFixed(2)} MiB (${integer(result.total)})`,
      `**${mebibytes(result.growthBytes)}**`,
      fixed(result.microsecondsPerCycle, 1),
      `${signed(result.trendBytesPerCycle, 1)} B`,
      `${((result.highest - result.lowest) / 1024 / 1024).toFixed(2)} MiB`
    ]

export const markdown = (results: Results): string => {
  const { plan } = results
  const cpu = cpus()
  const lines: Array<string> = []
  const push = (...more: ReadonlyArray<string>) => lines.push(...more)

  push(
    "# effect-bearer benchmarks",
    "",
    `Generated by \`pnpm bench\` (${results.quick ? "**quick smoke run, not representative**" : "full run"}) on ` +
      `${new Date().toISOString().slice(0, 10)} in ${integer(results.elapsedSeconds)} s. ` +
      "Do not edit by hand: run the command again.",
    "",
    "The library runs from its built package, as users run it: `tsc -b` first, then `@effect-bearer/*` " +
      `imported through their \`import\` condition (loaded from \`${results.libraryEntry.replace(/^.*?\/packages\//, "packages/")}\`), ` +
      "not from TypeScript source through tsx.",
    "",
    "## Machine and versions",
    "",
    table(["", ""], [
      ["CPU", `${cpu[0]?.model ?? "unknown"}, ${cpu.length} cores`],
      ["Memory", `${(totalmem() / 1024 ** 3).toFixed(1)} GiB`],
      ["OS", `${platform()} ${release()}`],
      ["Load average (1 min) at start / end", `${fixed(results.loadAverage.start, 2)} / ${fixed(results.loadAverage.end, 2)}`],
      ["Node", process.version],
      ["effect-bearer", `${versionOf("@effect-bearer/core")} (commit ${commitAtStart})`],
      ["effect / @effect/platform / @effect/platform-node", `${versionOf("effect")} / ${versionOf("@effect/platform")} / ${versionOf("@effect/platform-node")}`],
      ...[...new Set(results.contenders.map((c) => c.packageName))]
        .filter((name) => name !== "@effect-bearer/core")
        .map((name) => [name, versionOf(name)])
    ]),
    "",
    "## Setup",
    "",
    "- One process runs the clients; a child process runs two plain `node:http` servers on 127.0.0.1 " +
      "(port 0), shared by every library in the run: a token endpoint (client_credentials, " +
      "`client_secret_basic` or `_post`, opaque tokens, `expires_in` configurable per measure, optional " +
      "latency) and an API that answers 200 to a bearer token only while it has not expired by the " +
      "server's own clock, else 401. The API's open twin route does the same work without the check: it " +
      "is the unauthenticated baseline.",
    "- The libraries run one after the other against the same servers with the same load.",
    "- The authenticated effect-bearer client is `BearerHttpClient.make(client, provider, { origins })` with its " +
      "defaults, over `NodeHttpClient.layerUndici`.",
    "",
    table(["library", "how it is used"], results.contenders.map((c) => [c.name, c.usage])),
    "",
    "## Targets (judged on effect-bearer, the peers beside it)",
    "",
    "Issue 13's targets 1–5 first, then issue 7's. Sections below give every figure and how it was measured.",
    "",
    table(
      ["target", "goal", "effect-bearer", "peers", ""],
      targetRows(results).map((t) => [t.measure, t.target, t.value, t.peers, verdict(t.met)])
    ),
    "",
    ...bothLinesSection(results),
    ...inProcessSections(results),
    ...cliSection(results)
  )

  push(
    "## 1. Cold stampede",
    "",
    `${integer(plan.stampede.concurrent)} concurrent token reads for one credential on a new (cold) client; the ` +
      `token endpoint takes ${plan.stampede.tokenLatencyMs} ms to answer. Token-endpoint calls are counted by the server.`,
    "",
    table(
      ["library", "concurrent reads", "token-endpoint calls", "failed reads", "time (ms)"],
      results.stampede.map(({ contender, result }) =>
        isNotApplicable(result)
          ? [contender.name, na(result), "", "", ""]
          : [
            contender.name,
            integer(result.concurrent),
            integer(result.tokenCalls),
            integer(result.failed) + (result.firstError === undefined ? "" : ` (first: ${result.firstError})`),
            integer(result.elapsedMs)
          ]
      )
    ),
    ""
  )

  push(
    "## 2. Warm read",
    "",
    `Cost of one read of a cached, valid token: ${integer(plan.warmRead.iterations)} reads in a loop, median of ` +
      `${plan.warmRead.rounds} rounds (all readers interleaved in each round, after an untimed warm-up round). ` +
      "Effect readers loop with `Effect.whileLoop` inside one program; the others with `for … await`. The baseline " +
      `is a bare \`Ref.get\` in the same Effect loop in the same process: **${fixed(results.warmRead.baselineNs, 1)} ns/op**. ` +
      "The loop's own cost is in every row, the baseline's included.",
    "",
    table(
      ["library", "read", "ns/op (median)", "× bare `Ref.get`"],
      results.warmRead.rows.flatMap(({ contender, result }) =>
        isNotApplicable(result)
          ? [[contender.name, na(result), "", ""]]
          : result.map((r) => [contender.name, r.label, fixed(r.nsPerRead, 1), fixed(r.timesBaseline, 2)])
      )
    ),
    ""
  )

  push(
    "## 3. Authenticated throughput",
    "",
    "The client CPU each library adds to a request over undici/fetch/node:http, end to end: the client " +
      "process's CPU time per request through the authenticated client minus through the same client " +
      `without authentication (${integer(plan.throughput.requests)} GETs per run, ${plan.throughput.concurrency} at a ` +
      `time, every body read), in ${plan.throughput.rounds} rounds in which every library and variant runs its ` +
      "plain and its authenticated run, all interleaved (order reversed every other round, plain or " +
      "authenticated first in turn), after a warm-up of each. The judged figure is the median over the rounds " +
      "of the added CPU; the rate ratio is shown but not judged: client and servers share the machine's " +
      "cores, and the ratio swings with other load (see the control below). Tokens live an hour, so no " +
      "request waits for one.",
    "",
    table(
      ["library", ...throughputHeader],
      results.throughput.map(({ contender, result }) => throughputRow(contender.name, result))
    ),
    "",
    "Diagnostics, not judged: effect-bearer variants against the same plain client, in the same rounds, to " +
      "show where the authenticated client's cost is, and a control that runs the plain client on both " +
      "sides: its added CPU (ideally 0) and its distance from 1.000 are the noise of this measure on this machine.",
    "",
    table(
      ["variant", ...throughputHeader],
      results.diagnostics.throughput.map(({ label, result }) => throughputRow(label, result))
    ),
    ""
  )

  push(
    "## 4. Rotation",
    "",
    `Tokens live ${plan.rotation.lifetimeSeconds} s (\`expires_in\`), the token endpoint takes ${plan.rotation.tokenLatencyMs} ms, ` +
      `and authenticated GETs start at a steady ${plan.rotation.requestsPerSecond}/s (open loop: on schedule, whether ` +
      `or not earlier ones finished) for ${plan.rotation.durationMs / 1000} s. The first token is fetched before the ` +
      "load starts, so only rotations count.",
    "",
    "- **waited**: requests that reached the API with a token issued *after* the request started. Each request " +
      "carries its start time (`performance.timeOrigin + performance.now()`, comparable across the two processes) " +
      "and the server knows when it issued each token, so such a request cannot have been sent before a token " +
      "fetch finished: it waited on a refresh (including a replay after a 401). A request that read a valid " +
      "cached token never counts, however slow the machine.",
    "- **got a 401**: requests the API refused at least once (the server checks expiry itself); " +
      "**failed**: requests whose final answer was not 2xx after whatever the library does about a 401.",
    "- **token calls**: token-endpoint calls during the load. Latency is client-side, from start to body read.",
    "",
    table(
      ["library", "requests", "waited", "got a 401", "401 responses", "failed", "token calls", "p50 ms", "p99 ms", "max ms"],
      results.rotation.map(({ contender, result }) =>
        isNotApplicable(result)
          ? [contender.name, na(result), "", "", "", "", "", "", "", ""]
          : [
            contender.name,
            integer(result.requests),
            integer(result.waited),
            integer(result.unauthorizedRequests),
            integer(result.unauthorizedResponses),
            integer(result.failed),
            integer(result.tokenCalls),
            fixed(result.p50Ms, 1),
            fixed(result.p99Ms, 1),
            fixed(result.maxMs, 1)
          ]
      )
    ),
    ""
  )

  push(
    "## 5. Memory",
    "",
    `Heap in use (after forced full collections, \`--expose-gc\`) after ${integer(plan.memory.total)} refresh cycles vs ` +
      `after the first ${integer(plan.memory.first)}. A refresh cycle is the library fetching a new token that ` +
      "replaces the current one; no socket is involved (100,000 HTTP round trips would take minutes per library):",
    "",
    "- effect-bearer: `provider.refresh` on `TokenProvider.make` over a fast in-process `TokenSource` (a fresh " +
      "one-hour token at once): the provider's cache, single flight, background fiber and state. Its whole " +
      "token-request path (`TokenEndpoint`, `TokenSource.fromEndpoint`) is the diagnostic row below, over an " +
      `in-process \`HttpClient\`, for ${integer(plan.diagnostics.fullPath.total)} cycles (it is slower per cycle).`,
    "- the others: their whole token-request code against an in-process token endpoint through their documented " +
      "seam: `OAuth2Fetch.refreshToken()` with the `fetch` setting (@badgateway); the user cache's " +
      "`clientCredentialsGrant` with `customFetch` (openid-client); `getToken` into the user's variable with an " +
      "`http.Agent` whose sockets answer in process (simple-oauth2: wreck over node:http).",
    "",
    "Each first runs a throwaway instance (" + integer(plan.memory.warmUp) + " cycles) so that the JIT's compiled " +
      "code and type feedback, which are process-wide and kept by no instance, are in place before the measured " +
      `instance starts. The heap is also read at ${plan.memory.checkpoints} checkpoints in between: the trend is the least-squares ` +
      "slope over the readings after the first (a leak is a steady positive slope: 1 KiB kept per cycle reads " +
      "+1,024 B), the spread is highest minus lowest reading, the noise of a single reading.",
    "",
    table(
      ["library", ...memoryHeader],
      [
        ...results.memory.map(({ contender, result }) => memoryRow(contender.name, result)),
        ...results.diagnostics.memory.map(({ label, result }) => memoryRow(`diagnostic: ${label}`, result))
      ]
    ),
    "",
    ...sharedStoreSection(results)
  )
  return lines.join("\n")
}

/** A few lines for the terminal. */
export const summary = (results: Results): string =>
  [
    "",
    `effect-bearer benchmarks (${results.quick ? "quick" : "full"} run, ${integer(results.elapsedSeconds)} s)`,
    ...targetRows(results).map((t) => `  ${verdict(t.met)}  ${t.measure}: ${t.value} (target ${t.target})`),
    sharedStoreSummary(results),
    bothLinesSummary(results),
    ""
  ].join("\n")
