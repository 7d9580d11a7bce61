/**
 * `pnpm bench`: effect-bearer next to the libraries users would otherwise pick, in one
 * run: the in-process measures (canned client, exact Effect operations and allocation,
 * issue 13) next to the end-to-end ones against local servers (issue 7). Writes
 * bench/results.md and prints a summary. `BENCH_QUICK=1` runs a smoke version of each.
 */
import { writeFileSync } from "node:fs"
import { cpus, loadavg } from "node:os"
import { fileURLToPath } from "node:url"
import { authenticatedRequest } from "./authenticatedRequest.js"
import { cliStartup } from "./cliStartup.js"
import { effect4Line } from "./effect4Line.js"
import type { Contender } from "./Contender.js"
import { badgateway } from "./contenders/badgateway.js"
import { effectBearer, effectBearerDiagnostics } from "./contenders/effectBearer.js"
import { openidClientNaive, openidClientSingleFlight } from "./contenders/openidClient.js"
import { simpleOauth2 } from "./contenders/simpleOauth2.js"
import { nowNs, startServers } from "./harness.js"
import * as Measures from "./measures.js"
import { fullPlan, quickPlan } from "./plan.js"
import { markdown, summary } from "./report.js"
import { scale } from "./scale.js"
import { sharedStore } from "./sharedStore.js"
import { stampedeInProcess } from "./stampedeInProcess.js"
import { tagRead } from "./tagRead.js"
import { tokenRequest } from "./tokenRequest.js"

const contenders: ReadonlyArray<Contender> = [
  effectBearer,
  badgateway,
  openidClientNaive,
  openidClientSingleFlight,
  simpleOauth2
]

// The library as users run it: the compiled package through its `import` condition.
const libraryEntry = fileURLToPath(import.meta.resolve("@effect-bearer/core"))
if (!libraryEntry.includes("/dist/")) {
  throw new Error(`@effect-bearer/core resolved to ${libraryEntry}, not its built dist/: run through \`pnpm bench\``)
}

const quick = process.env["BENCH_QUICK"] === "1"
const plan = quick ? quickPlan : fullPlan
const started = nowNs()
const progress = (line: string) =>
  process.stdout.write(`[${Math.round((nowNs() - started) / 1e9).toString().padStart(4)} s] ${line}\n`)

const loadAtStart = loadavg()[0]!
if (loadAtStart > cpus().length / 2) {
  progress(`Note: the machine is busy (load average ${loadAtStart.toFixed(1)} on ${cpus().length} cores): timings will be noisy.`)
}
const servers = await startServers()
try {
  // Memory and scale first, before the network measures leave sockets and garbage behind.
  progress("memory over refresh cycles")
  const memory = await Measures.memory(contenders, plan.memory)
  const memoryDiagnostics = [
    await Measures.memoryDiagnostic(
      "effect-bearer, whole token-request path (`TokenProvider.fromEndpoint` over an in-process `HttpClient`)",
      effectBearerDiagnostics.fullPathRefreshCycler,
      plan.diagnostics.fullPath
    )
  ]
  progress(`scale: ${plan.scale.providers} providers (target 5)`)
  const scaleResult = await scale(plan.scale)
  progress("in process: the authenticated request (target 1)")
  const request = await authenticatedRequest(plan.authenticatedRequest)
  progress("in process: the token request (target 2)")
  const token = await tokenRequest(
    contenders.map((contender) => ({
      name: contender.name,
      // effect-bearer's whole token-request path, as the peers' cyclers run theirs.
      open: contender === effectBearer ? effectBearerDiagnostics.fullPathRefreshCycler : contender.refreshCycler
    })),
    plan.tokenRequest
  )
  progress("in process: the read through the tag (target 4)")
  const tag = await tagRead(plan.tagRead)
  progress("in process: the stampede against the Effect floor (target 3)")
  const stampedeFloor = await stampedeInProcess(plan.stampedeInProcess)
  progress("end to end: warm read")
  const warmRead = await Measures.warmRead(servers, contenders, plan.warmRead)
  progress("end to end: cold stampede")
  const stampede = await Measures.stampede(servers, contenders, plan.stampede)
  progress("end to end: authenticated throughput (client CPU)")
  const loads = await Measures.throughput(
    servers,
    [...contenders.map((contender) => ({ label: contender.name, open: contender.load })), ...effectBearerDiagnostics.load],
    plan.throughput
  )
  const throughput = contenders.map((contender, i) => ({ contender, result: loads[i]!.result }))
  progress("end to end: rotation")
  const rotation = await Measures.rotation(servers, contenders, plan.rotation)
  progress("one token for many processes: the token stores and the peers (issue 12)")
  const shared = await sharedStore(servers, contenders.filter((contender) => contender !== effectBearer), plan.sharedStore, progress)
  progress("CLI start-up")
  const cli = await cliStartup(servers, plan.cliStartup.runs)
  progress("the Effect 4 line (effect4/bench through scripts/effect4.mjs, issue 15)")
  const effect4 = await effect4Line(quick)
  const results = {
    plan,
    quick,
    libraryEntry,
    contenders,
    inProcess: { request, token, tag, stampede: stampedeFloor, scale: scaleResult },
    cli,
    stampede,
    warmRead,
    throughput,
    rotation,
    memory,
    sharedStore: shared,
    diagnostics: { throughput: loads.slice(contenders.length), memory: memoryDiagnostics },
    effect4,
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
