/**
 * The results.md sections of the in-process measures (issue 13) and of the CLI's start-up.
 */
import type { AuthenticatedRequestCost } from "./authenticatedRequest.js"
import type { Cost } from "./effectCost.js"
import { fixed, integer, kibibytes, na, signed, table, withSpread } from "./format.js"
import { isNotApplicable } from "./Contender.js"
import type { Results } from "./report.js"
import type { ScaleResult } from "./scale.js"
import type { StampedeInProcessRow } from "./stampedeInProcess.js"
import type { TagReadCosts } from "./tagRead.js"
import type { TokenRequestResults } from "./tokenRequest.js"
import { stampedePairs } from "./plan.js"

export interface InProcessResults {
  readonly request: ReadonlyArray<AuthenticatedRequestCost>
  readonly token: TokenRequestResults
  readonly tag: TagReadCosts
  readonly stampede: ReadonlyArray<StampedeInProcessRow>
  readonly scale: ScaleResult
}

const bytes = (value: number | undefined) => value === undefined ? "n/a (a collection ran in every batch)" : integer(value)

export const costHeader = ["CPU µs per run, median (lowest–highest round)", "allocated bytes per run", "Effect operations per run"]
export const costRow = (cost: Cost, digits = 1) => [
  cost.label,
  withSpread(cost.cpuMicroseconds, cost.cpuSpread, digits),
  bytes(cost.allocatedBytes),
  integer(cost.operations)
]

const method = (runs: number, rounds: number, batch: number) =>
  `CPU: \`process.cpuUsage\` over ${integer(runs)} runs in one Effect loop, median of ${rounds} rounds with every ` +
  "row interleaved (after an untimed warm-up). Allocation: heap growth over a batch of up to " +
  `${integer(batch)} runs during which no garbage collection ran (checked by a \`gc\` performance observer; the ` +
  "process has a 64 MiB young generation), minus the loop's own. Effect operations: exact, counted by a " +
  "`Supervisor` whose `onEffect` the fiber run loop calls once per evaluated operation when the `OpSupervision` " +
  "runtime flag is on (forked fibers included), minus the counting wrapper's own."

export const inProcessSections = (results: Results): ReadonlyArray<string> => {
  const { plan, inProcess } = results
  const { request, token, tag, stampede, scale } = inProcess
  return [
    "## In process: the authenticated request (target 1)",
    "",
    "One GET through each client over a canned `HttpClient` that answers 200 without I/O, the token read " +
    "from a warm `TokenProvider.fromEndpoint`. With the default tracer (Effect's native spans) and with " +
    "`Effect.withTracerEnabled(false)` set once in the runtime. " +
    method(plan.authenticatedRequest.runs, plan.authenticatedRequest.rounds, plan.authenticatedRequest.allocationBatch),
    "",
    table(["client", ...costHeader], request.map((cost) => costRow(cost))),
    "",
    "## In process: the token request (target 2)",
    "",
    "One token request (request built, response decoded, the new token stored) through each library's in-process " +
    "token endpoint (see §5 Memory for each library's seam; effect-bearer: `provider.refresh` on " +
    "`TokenProvider.fromEndpoint` over an in-process `HttpClient`): CPU per request over " +
    `${integer(plan.tokenRequest.cycles)} requests, median of ${plan.tokenRequest.rounds} interleaved rounds.`,
    "",
    table(
      ["library", "CPU µs per token request, median (lowest–highest round)"],
      token.rows.map(({ name, result }) =>
        isNotApplicable(result) ? [name, na(result)] : [name, withSpread(result.cpuMicroseconds, result.cpuSpread, 0)]
      )
    ),
    "",
    "effect-bearer's token request in detail, over the canned client. " +
    method(plan.tokenRequest.costs.runs, plan.tokenRequest.costs.rounds, plan.tokenRequest.costs.allocationBatch),
    "",
    table(["effect", ...costHeader], token.effectBearer.map((cost) => costRow(cost, 0))),
    "",
    "## In process: the stampede against the Effect floor (target 3)",
    "",
    "N concurrent `provider.get` on a new (cold) provider whose token endpoint, the canned client, answers " +
    `after ${plan.stampedeInProcess.latencyMs} ms; beside it the Effect floor: N fibers awaiting a bare \`Deferred\` ` +
    "completed after the same latency, forked the same way (`Effect.all`, unbounded concurrency). Wall and CPU " +
    "time from the first read to the last answer, each run on a collected heap, in pairs of a provider run and a " +
    "floor run back to back (alternating which goes first): " +
    plan.stampedeInProcess.readers.map((readers) =>
      `${stampedePairs(plan.stampedeInProcess, readers)} pairs at ${readers.toLocaleString("en-US")} readers`
    ).join(", ") +
    ` (smaller rows get more pairs, so that each covers as many reads as ${plan.stampedeInProcess.pairs} pairs of ` +
    "10,000 readers). Each pair's ratio is taken in its own moment, so a load that changes over minutes cancels out; the " +
    "target is judged on the median CPU ratio, which other processes on the shared cores inflate far less than " +
    "wall time (both shown, with the lowest–highest pair). The peers, promise-based, are in the end-to-end stampede (§1).",
    "",
    table(
      [
        "readers",
        "provider ms (spread)",
        "floor ms (spread)",
        "wall × floor, median of pairs (spread)",
        "CPU ms provider / floor",
        "CPU × floor, median of pairs (spread)",
        "token requests",
        "failed reads",
        "load average (start → end)"
      ],
      stampede.map((row) => [
        integer(row.readers),
        withSpread(row.providerMs, row.providerSpread, 0),
        withSpread(row.floorMs, row.floorSpread, 0),
        withSpread(row.wallRatio.median, row.wallRatio.spread, 2),
        `${integer(row.providerCpuMs)} / ${integer(row.floorCpuMs)}`,
        `**${withSpread(row.cpuRatio.median, row.cpuRatio.spread, 2)}**`,
        integer(row.tokenRequests),
        integer(row.failedReads),
        `${fixed(row.loadAverage[0], 1)} → ${fixed(row.loadAverage[1], 1)}`
      ])
    ),
    "",
    "## In process: the read through the tag (target 4)",
    "",
    "A warm read: `TokenProvider.get` (the form the README teaches) next to a trivial service read through its " +
    "tag the same way (`Effect.flatMap(Tag, (service) => service.get)` over a `Ref`), and `provider.get` next to " +
    "a bare `Ref.get`; both services are in the runtime's context once. " +
    method(plan.tagRead.runs, plan.tagRead.rounds, plan.tagRead.allocationBatch),
    "",
    table(
      ["read", "ns per read, median (lowest–highest round)", "allocated bytes per read", "Effect operations per read"],
      Object.values(tag).map((cost) => [
        cost.label,
        withSpread(cost.cpuMicroseconds * 1e3, [cost.cpuSpread[0] * 1e3, cost.cpuSpread[1] * 1e3], 0),
        bytes(cost.allocatedBytes),
        integer(cost.operations)
      ])
    ),
    "",
    "## In process: scale (target 5)",
    "",
    `${integer(scale.providers)} providers (\`TokenProvider.fromEndpoint\`, defaults, over the canned client), each ` +
    "holding a one-hour token with its background refresh scheduled, then left idle for " +
    `${scale.idleSeconds} s. Heap in use after forced collections; idle CPU is the process's CPU over the idle ` +
    "window (the heap readings' collections excluded) minus the same window's before the providers were made " +
    "(the baseline: V8's background threads, the runtime).",
    "",
    table(["", ""], [
      ["heap per provider", kibibytes(scale.heapPerProviderBytes)],
      [
        "idle CPU",
        `${signed(scale.idleCpuMsPerSecond, 2)} ms per second for all ${integer(scale.providers)} ` +
        `(baseline ${fixed(scale.baselineCpuMsPerSecond, 2)} ms per second)`
      ],
      [
        "heap over time",
        scale.heapOverTime.map((point) => `${fixed(point.atSeconds, 0)} s: ${kibibytes(point.heapBytes)}`).join(", ")
      ],
      ["token requests", integer(scale.tokenRequests)]
    ]),
    ""
  ]
}

export const cliSection = (results: Results): ReadonlyArray<string> => [
  "## CLI start-up (issue 14)",
  "",
  "The built bin (`node packages/platform-node/bin/effect-bearer.js`), spawned as a user runs it; `token oauth2` " +
  "fetches a token from the bench's local token endpoint (set in `OAUTH2_TOKEN_URL`, `OAUTH2_CLIENT_ID`, " +
  `\`OAUTH2_CLIENT_SECRET\`). Wall time from spawn to exit, median of ${results.plan.cliStartup.runs} runs ` +
  "after an untimed one.",
  "",
  table(
    ["command", "ms, median (lowest–highest)", "failed runs"],
    results.cli.map((row) => [`\`${row.command}\``, withSpread(row.medianMs, row.spread, 0), integer(row.failed)])
  ),
  ""
]
