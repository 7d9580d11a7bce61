/**
 * The Effect 4 line's part of `pnpm bench`, run by bench/src/main.ts (through
 * `node scripts/effect4.mjs tsx ...`, on Node >= 22.19) or alone with `pnpm bench` in this
 * package: the in-process measures of issue 13 and the end-to-end measures of issue 7 for
 * "effect-bearer (Effect 4)", with the version-free measures, plan and servers of bench/src,
 * against servers of its own. Writes its results as JSON (the path in argv[2], by default
 * build/results.json) for bench/src/main.ts to report beside the Effect 3 line.
 *
 * `BENCH_ONLY=inprocess` runs only the in-process cost measures (the authenticated request,
 * the token request, the read through the tag, the stampede against the Effect floor) and
 * writes just those, with the versions and load: a quick look while working on the library,
 * not a file bench/src/main.ts can report.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { loadavg } from "node:os"
import { dirname } from "node:path"
import { fileURLToPath } from "node:url"
import type { Effect4Results } from "../../../bench/src/effect4Results.js"
import { labelled } from "../../../bench/src/effect4Results.js"
import { nowNs, startServers } from "../../../bench/src/harness.js"
import * as Measures from "../../../bench/src/measures.js"
import { fullPlan, quickPlan } from "../../../bench/src/plan.js"
import { authenticatedRequest } from "./authenticatedRequest.js"
import { diagnostics, effectBearerEffect4 } from "./contender.js"
import { scale } from "./scale.js"
import { stampedeInProcess } from "./stampedeInProcess.js"
import { tagRead } from "./tagRead.js"
import { tokenRequest } from "./tokenRequest.js"

// The library as users run it: the compiled package through its default condition.
const libraryEntry = fileURLToPath(import.meta.resolve("@effect-bearer/core"))
if (!libraryEntry.includes("/dist/")) {
  throw new Error(`@effect-bearer/core resolved to ${libraryEntry}, not its built dist/: run without --conditions=source`)
}
const versionOf = (module: string) =>
  (JSON.parse(readFileSync(fileURLToPath(new URL(`../node_modules/${module}/package.json`, import.meta.url)), "utf8")) as {
    readonly version: string
  }).version

const output = process.argv[2] ?? fileURLToPath(new URL("../build/results.json", import.meta.url))
const quick = process.env["BENCH_QUICK"] === "1"
const inProcessOnly = process.env["BENCH_ONLY"] === "inprocess"
const plan = quick ? quickPlan : fullPlan
const started = nowNs()
const progress = (line: string) =>
  process.stdout.write(`[${Math.round((nowNs() - started) / 1e9).toString().padStart(4)} s] Effect 4: ${line}\n`)

const loadAtStart = loadavg()[0]!
const versions = {
  node: process.version,
  effect: versionOf("effect"),
  platformNode: versionOf("@effect/platform-node"),
  core: versionOf("@effect-bearer/core")
}

/** The in-process cost measures of targets 1 to 4. */
const inProcessCosts = async () => {
  progress("in process: the authenticated request (target 1)")
  const request = await authenticatedRequest(plan.authenticatedRequest)
  progress("in process: the token request (target 2)")
  const token = await tokenRequest(plan.tokenRequest.costs)
  progress("in process: the read through the tag (target 4)")
  const tag = await tagRead(plan.tagRead)
  progress("in process: the stampede against the Effect floor (target 3)")
  const stampede = await stampedeInProcess(plan.stampedeInProcess)
  return { request, token, tag, stampede }
}

const write = (results: unknown) => {
  mkdirSync(dirname(output), { recursive: true })
  writeFileSync(output, JSON.stringify(results, null, 1))
  progress(`results: ${output}`)
}

if (inProcessOnly) {
  const inProcess = await inProcessCosts()
  write({ quick, libraryEntry, versions, inProcess, elapsedSeconds: (nowNs() - started) / 1e9, loadAverage: { start: loadAtStart, end: loadavg()[0]! } })
  process.exit(0)
}

const contenders = [effectBearerEffect4]
const servers = await startServers()
try {
  progress("memory over refresh cycles")
  const memory = await Measures.memory(contenders, plan.memory)
  const memoryDiagnostic = await Measures.memoryDiagnostic(
    "effect-bearer (Effect 4), whole token-request path (`TokenProvider.fromEndpoint` over an in-process `HttpClient`)",
    diagnostics.fullPathRefreshCycler,
    plan.diagnostics.fullPath
  )
  progress(`scale: ${plan.scale.providers} providers (target 5)`)
  const scaleResult = await scale(plan.scale)
  const { request, token, tag, stampede: stampedeFloor } = await inProcessCosts()
  progress("end to end: warm read")
  const warmRead = await Measures.warmRead(servers, contenders, plan.warmRead)
  progress("end to end: cold stampede")
  const stampede = await Measures.stampede(servers, contenders, plan.stampede)
  progress("end to end: authenticated throughput (client CPU)")
  const loads = await Measures.throughput(
    servers,
    [{ label: effectBearerEffect4.name, open: effectBearerEffect4.load }, ...diagnostics.load],
    plan.throughput
  )
  progress("end to end: rotation")
  const rotation = await Measures.rotation(servers, contenders, plan.rotation)
  const results: Effect4Results = {
    quick,
    libraryEntry,
    versions,
    usage: effectBearerEffect4.usage,
    inProcess: { request, token, tag, stampede: stampedeFloor, scale: scaleResult },
    warmRead: { baselineNs: warmRead.baselineNs, rows: labelled(warmRead.rows) },
    stampede: labelled(stampede),
    throughput: loads,
    rotation: labelled(rotation),
    memory: [...labelled(memory), memoryDiagnostic],
    elapsedSeconds: (nowNs() - started) / 1e9,
    loadAverage: { start: loadAtStart, end: loadavg()[0]! }
  }
  write(results)
} finally {
  servers.close()
}
