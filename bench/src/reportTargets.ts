/**
 * The targets table: each target of issue 13 (then issue 7's), effect-bearer's figure,
 * the peers' beside it, and whether effect-bearer meets it.
 */
import type { NotApplicable } from "./Contender.js"
import { isNotApplicable } from "./Contender.js"
import { fixed, integer, kibibytes, mebibytes, signed } from "./format.js"
import type { Row } from "./measures.js"
import type { Results } from "./report.js"

export interface TargetRow {
  readonly measure: string
  readonly target: string
  readonly value: string
  readonly peers: string
  readonly met: boolean
}

const ours = <A>(rows: ReadonlyArray<Row<A>>) => {
  const result = rows.find((row) => row.contender.name === "effect-bearer")?.result
  return result === undefined || isNotApplicable(result) ? undefined : result
}

/** The peers' figures, named: rows of a measure by contender, or of a measure by name. */
const peers = <A>(
  rows: ReadonlyArray<Row<A> | { readonly name: string; readonly result: A | NotApplicable }>,
  show: (result: A) => string
) =>
  rows
    .map((row) => ({ name: "contender" in row ? row.contender.name : row.name, result: row.result }))
    .filter((row) => row.name !== "effect-bearer")
    .map(({ name, result }) => `${name}: ${isNotApplicable(result) ? "n/a" : show(result)}`)
    .join("; ")

export const targetRows = (results: Results): ReadonlyArray<TargetRow> => {
  const { request, token, tag, stampede, scale } = results.inProcess
  const cost = (client: string, tracer: string) =>
    request.find((row) => row.client === client && row.tracer === tracer)?.cpuMicroseconds ?? Number.NaN
  const overMapped = (tracer: "on" | "off") => cost("bearer", tracer) - cost("mapped", tracer)
  const throughput = ours(results.throughput)
  const ourToken = token.rows.find((row) => row.name === "effect-bearer")?.result
  const addedByPeers = results.throughput
    .filter((row) => row.contender.name !== "effect-bearer")
    .flatMap(({ result }) => isNotApplicable(result) ? [] : [result.addedCpuMicroseconds])
  const warm = ours(results.warmRead.rows)
  const stampedeEndToEnd = ours(results.stampede)
  const rotation = ours(results.rotation)
  const memory = ours(results.memory)
  const heaps = scale.heapOverTime.map((point) => point.heapBytes)
  const growthPerProvider = (heaps[heaps.length - 1]! - heaps[0]!) / scale.providers
  return [
    ...(["on", "off"] as const).map((tracer) => ({
      measure: `1. Authenticated request, in process (${tracer === "on" ? "default tracer" : "tracer disabled"})`,
      target: "≤ 15 µs CPU over `mapRequestEffect` + `provider.get`",
      value: `${signed(overMapped(tracer), 1)} µs (${fixed(cost("bearer", tracer), 1)} vs ${fixed(cost("mapped", tracer), 1)})`,
      peers: "–",
      met: overMapped(tracer) <= 15
    })),
    {
      measure: "1. Authenticated request, end to end",
      target: "client CPU added below every peer's",
      value: throughput === undefined ? "n/a" : `${signed(throughput.addedCpuMicroseconds, 1)} µs`,
      peers: peers(results.throughput, (result) => `${signed(result.addedCpuMicroseconds, 1)} µs`),
      met: throughput !== undefined && throughput.failed === 0 &&
        addedByPeers.every((added) => throughput.addedCpuMicroseconds < added)
    },
    {
      measure: "2. Token request, in process",
      target: "≤ 0.5 ms CPU",
      value: ourToken === undefined || isNotApplicable(ourToken) ? "n/a" : `${fixed(ourToken.cpuMicroseconds / 1e3, 2)} ms`,
      peers: peers(token.rows, (result) => `${fixed(result.cpuMicroseconds / 1e3, 2)} ms`),
      met: ourToken !== undefined && !isNotApplicable(ourToken) && ourToken.cpuMicroseconds <= 500
    },
    {
      measure: "3. Stampede, in process",
      target: "≤ 1.1 × N fibers awaiting a `Deferred` (CPU, median of pairs), 1 token request",
      value: stampede
        .map((row) =>
          `${integer(row.readers)}: ${fixed(row.cpuRatio.median, 2)}× CPU, ${fixed(row.wallRatio.median, 2)}× wall ` +
          `(${integer(row.tokenRequests)} req)`
        )
        .join("; "),
      peers: `end to end, ${integer(results.plan.stampede.concurrent)} reads: ` +
        peers(results.stampede, (result) => `${integer(result.elapsedMs)} ms`),
      met: stampede.every((row) => row.cpuRatio.median <= 1.1 && row.tokenRequests === 1 && row.failedReads === 0)
    },
    {
      measure: "4. Read through the tag",
      target: "`TokenProvider.get` ≤ 1.2 × a trivial service's tag",
      value: `${fixed(tag.tag.cpuMicroseconds / tag.trivialTag.cpuMicroseconds, 2)}× (${integer(tag.tag.operations)} vs ` +
        `${integer(tag.trivialTag.operations)} operations)`,
      peers: "–",
      met: tag.tag.cpuMicroseconds <= 1.2 * tag.trivialTag.cpuMicroseconds
    },
    {
      measure: "4. `provider.get`",
      target: "≤ 1.5 × bare `Ref.get`",
      value: `${fixed(tag.providerGet.cpuMicroseconds / tag.ref.cpuMicroseconds, 2)}×`,
      peers: warm === undefined
        ? "–"
        : `end to end, × bare \`Ref.get\`: ${peers(results.warmRead.rows, (readers) => fixed(readers[0]?.timesBaseline ?? Number.NaN, 2))}`,
      met: tag.providerGet.cpuMicroseconds <= 1.5 * tag.ref.cpuMicroseconds
    },
    {
      measure: `5. Scale, ${integer(scale.providers)} providers`,
      target: "heap per provider and idle CPU reported; heap not growing while idle (< 100 B per provider)",
      value: `${kibibytes(scale.heapPerProviderBytes)} each, ${signed(scale.idleCpuMsPerSecond, 2)} ms/s idle CPU, ` +
        `${signed(growthPerProvider, 0)} B each over ${scale.idleSeconds} s`,
      peers: "–",
      met: growthPerProvider < 100
    },
    {
      measure: "issue 7: cold stampede, end to end",
      target: "1 token-endpoint call",
      value: stampedeEndToEnd === undefined
        ? "n/a"
        : `${integer(stampedeEndToEnd.tokenCalls)} call(s) for ${integer(stampedeEndToEnd.concurrent)} reads`,
      peers: peers(results.stampede, (result) => `${integer(result.tokenCalls)}`),
      met: stampedeEndToEnd !== undefined && stampedeEndToEnd.tokenCalls === 1 && stampedeEndToEnd.failed === 0
    },
    {
      measure: "issue 7: rotation",
      target: "0 waits, 0 401s",
      value: rotation === undefined
        ? "n/a"
        : `${integer(rotation.waited)} waited, ${integer(rotation.unauthorizedRequests)} got a 401`,
      peers: peers(results.rotation, (result) => `${integer(result.waited)} / ${integer(result.unauthorizedRequests)}`),
      met: rotation !== undefined && rotation.waited === 0 && rotation.unauthorizedRequests === 0 && rotation.failed === 0
    },
    {
      measure: "issue 7: memory over refresh cycles",
      target: "growth < 1 MiB",
      value: memory === undefined ? "n/a" : mebibytes(memory.growthBytes),
      peers: peers(results.memory, (result) => mebibytes(result.growthBytes)),
      met: memory !== undefined && memory.growthBytes < 1024 * 1024
    }
  ]
}
