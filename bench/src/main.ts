/**
 * `pnpm bench`: effect-bearer next to the libraries users would otherwise pick, against
 * the same local servers, in one run (issue 7). Writes bench/results.md and prints a
 * summary. `BENCH_QUICK=1` runs a smaller smoke version of every measure.
 */
import { writeFileSync } from "node:fs"
import { cpus, loadavg } from "node:os"
import type { Contender } from "./Contender.js"
import { badgateway } from "./contenders/badgateway.js"
import { effectBearer, effectBearerDiagnostics } from "./contenders/effectBearer.js"
import { openidClientNaive, openidClientSingleFlight } from "./contenders/openidClient.js"
import { simpleOauth2 } from "./contenders/simpleOauth2.js"
import { nowNs, startServers } from "./harness.js"
import * as Measures from "./measures.js"
import { markdown, summary } from "./report.js"

const contenders: ReadonlyArray<Contender> = [
  effectBearer,
  badgateway,
  openidClientNaive,
  openidClientSingleFlight,
  simpleOauth2
]

const quick = process.env["BENCH_QUICK"] === "1"
const plan = quick ? Measures.quickPlan : Measures.fullPlan
const progress = (line: string) => process.stdout.write(`${line}\n`)

const started = nowNs()
const loadAtStart = loadavg()[0]!
if (loadAtStart > cpus().length / 2) {
  progress(`Note: the machine is busy (load average ${loadAtStart.toFixed(1)} on ${cpus().length} cores): timings will be noisy.`)
}
const servers = await startServers()
try {
  // Memory first, before the network measures leave sockets and garbage behind; the warm
  // read before the stampede's 10,000 connections.
  progress("memory (5)")
  const memory = await Measures.memory(contenders, plan.memory)
  const memoryDiagnostics = [
    await Measures.memoryDiagnostic(
      "effect-bearer, whole token-request path (`TokenProvider.fromEndpoint` over an in-process `HttpClient`)",
      effectBearerDiagnostics.fullPathRefreshCycler,
      plan.diagnostics.fullPath
    )
  ]
  progress("warm read (2)")
  const warmRead = await Measures.warmRead(servers, contenders, plan.warmRead)
  progress("cold stampede (1)")
  const stampede = await Measures.stampede(servers, contenders, plan.stampede)
  progress("authenticated throughput (3)")
  const throughput = await Measures.throughput(servers, contenders, plan.throughput)
  const throughputDiagnostics = await Measures.throughputDiagnostics(
    servers,
    effectBearerDiagnostics.load,
    plan.throughput,
    plan.diagnostics.pairs
  )
  progress("rotation (4)")
  const rotation = await Measures.rotation(servers, contenders, plan.rotation)
  const results = {
    plan,
    quick,
    contenders,
    stampede,
    warmRead,
    throughput,
    rotation,
    memory,
    diagnostics: { throughput: throughputDiagnostics, memory: memoryDiagnostics },
    elapsedSeconds: (nowNs() - started) / 1e9,
    loadAverage: { start: loadAtStart, end: loadavg()[0]! }
  }
  const path = new URL("../results.md", import.meta.url)
  writeFileSync(path, markdown(results))
  progress(summary(results))
  progress(`Tables: bench/results.md`)
} finally {
  servers.close()
}
