/**
 * One token for many processes (issue 12): N OS processes, each with a provider of
 * short-lived tokens and a few concurrent readers, read for a fixed window against the
 * bench's token server; the server counts the token requests. effect-bearer runs with each
 * `TokenStore` layer (memory: one token per process; file and Redis: one for all), the peers
 * with their own caches (one per process: none of them shares). Beside it, the warm read's
 * cost in process with each store layer in context: the warm read must not touch the store.
 *
 * Redis is a real `redis-server`, started and stopped by PID through the test-support helper.
 */
import { TokenStore } from "@effect-bearer/core"
import * as FileTokenStore from "@effect-bearer/platform-node/FileTokenStore"
import * as RedisTokenStore from "@effect-bearer/platform-node/RedisTokenStore"
import { startRedisServer } from "@effect-bearer/test-support/RedisServer"
import { Effect, Layer, Redacted, Runtime } from "effect"
import { type ChildProcess, fork } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import type { CostPlan } from "./authenticatedRequest.js"
import { cannedEndpoint, cannedProvider, scoped } from "./cannedClient.js"
import type { Contender } from "./Contender.js"
import type { Cost } from "./effectCost.js"
import { measureCosts, subject } from "./effectCost.js"
import type { Servers } from "./harness.js"

/** The sizes of the measure. */
export interface SharedStorePlan {
  /** The process counts, one run of every subject at each. */
  readonly processes: ReadonlyArray<number>
  /** `expires_in` of the server's tokens. */
  readonly lifetimeSeconds: number
  readonly tokenLatencyMs: number
  /** How long the readers read, after every process has its first token. */
  readonly windowSeconds: number
  /** Concurrent readers in each process. */
  readonly readersPerProcess: number
  readonly warmRead: CostPlan
}

export type Backend = "memory" | "file" | "redis"

/** What a worker runs: effect-bearer with a store, or a peer (by its `Contender.name`). */
export interface WorkerSettings {
  readonly subject:
    | { readonly kind: "store"; readonly backend: Backend; readonly target: string; readonly keyPrefix: string }
    | { readonly kind: "peer"; readonly name: string }
  readonly tokenUrl: string
  readonly tokenOrigin: string
  readonly apiOrigin: string
  readonly readers: number
}

/** Parent to worker: read for the window, then report. */
export type WorkerCommand = { readonly type: "go"; readonly windowMs: number }

/** Worker to parent. */
export type WorkerMessage =
  | { readonly type: "ready" }
  | {
    readonly type: "report"
    readonly reads: number
    /** Reads that returned a token already past its expiry (effect-bearer tells it; the peers do not). */
    readonly expired: number
    readonly failed: number
    readonly firstFailure: string | undefined
  }

/** One subject at one process count. */
export interface SharedStoreRun {
  readonly processes: number
  /** Token requests the server answered during the window. */
  readonly tokenRequests: number
  /** `tokenRequests` per token lifetime of the window. */
  readonly perLifetime: number
  readonly reads: number
  readonly expired: number
  readonly failed: number
  readonly firstFailure: string | undefined
}

export interface SharedStoreRow {
  /** Row name: `effect-bearer, <store>` or the peer's name. */
  readonly subject: string
  readonly backend: Backend | "peer"
  readonly runs: ReadonlyArray<SharedStoreRun>
}

export interface SharedStoreResults {
  readonly rows: ReadonlyArray<SharedStoreRow>
  /** `provider.get` on a warm provider with no store, then with each store layer in context. */
  readonly warmRead: ReadonlyArray<Cost & { readonly tokenRequests: number }>
}

export const storeLabels: Record<Backend, string> = {
  memory: "`TokenStore.layerMemory`",
  file: "`FileTokenStore.layer`",
  redis: "`RedisTokenStore.layer`"
}

const workerPath = fileURLToPath(new URL("./sharedStoreWorker.ts", import.meta.url))

/** Forks `count` workers, waits until each has its first token, opens the window, collects the reports. */
const runOnce = async (
  servers: Servers,
  subjectOf: WorkerSettings["subject"],
  count: number,
  plan: SharedStorePlan
): Promise<SharedStoreRun> => {
  const children: Array<ChildProcess> = []
  try {
    const settings = (): WorkerSettings => ({
      subject: subjectOf,
      tokenUrl: servers.tokenUrl,
      tokenOrigin: servers.tokenOrigin,
      apiOrigin: servers.apiOrigin,
      readers: plan.readersPerProcess
    })
    const messages = Array.from({ length: count }, () => {
      const child = fork(workerPath, [JSON.stringify(settings())], {
        execArgv: ["--import", import.meta.resolve("tsx")],
        stdio: ["ignore", "inherit", "inherit", "ipc"]
      })
      children.push(child)
      let onReady: () => void = () => {}
      let onReport: (message: Extract<WorkerMessage, { type: "report" }>) => void = () => {}
      const ready = new Promise<void>((resolve) => (onReady = resolve))
      const report = new Promise<Extract<WorkerMessage, { type: "report" }>>((resolve, reject) => {
        onReport = resolve
        // `close`, not `exit`: it comes after every message the worker sent.
        child.once("close", (code) => reject(new Error(`shared-store worker exited with ${code} before its report`)))
      })
      // A worker that dies before `ready` fails the wait below through its report.
      report.catch(() => {})
      child.on("message", (message: WorkerMessage) => (message.type === "ready" ? onReady() : onReport(message)))
      return { child, ready: Promise.race([ready, report.then(() => undefined)]), report }
    })
    await Promise.all(messages.map((worker) => worker.ready))
    const before = await servers.counters()
    const windowMs = plan.windowSeconds * 1000
    for (const { child } of messages) child.send({ type: "go", windowMs } satisfies WorkerCommand)
    const reports = await Promise.all(messages.map((worker) => worker.report))
    const after = await servers.counters()
    const tokenRequests = after.tokenCalls - before.tokenCalls
    return {
      processes: count,
      tokenRequests,
      perLifetime: tokenRequests / (plan.windowSeconds / plan.lifetimeSeconds),
      reads: reports.reduce((sum, r) => sum + r.reads, 0),
      expired: reports.reduce((sum, r) => sum + r.expired, 0),
      failed: reports.reduce((sum, r) => sum + r.failed, 0),
      firstFailure: reports.find((r) => r.firstFailure !== undefined)?.firstFailure
    }
  } finally {
    // Only the workers this run started, by their own handle.
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL")
  }
}

/** `provider.get` on a warm provider over the canned client, with each store layer in context. */
const warmReadCosts = async (layers: ReadonlyArray<readonly [string, Layer.Layer<TokenStore.TokenStore> | undefined]>, plan: CostPlan) => {
  const { value: providers, close } = await scoped(Effect.forEach(layers, ([label, layer]) =>
    Effect.gen(function*() {
      const endpoint = cannedEndpoint()
      const build = cannedProvider(endpoint)
      // The store's layer lives as long as the provider (the measure's scope), not just its construction.
      const tokens = layer === undefined ? yield* build : yield* Effect.provide(build, yield* Layer.build(layer))
      yield* tokens.get
      return { label, endpoint, tokens }
    })))
  try {
    const costs = await measureCosts(providers.map(({ label, tokens }) => subject(label, Runtime.defaultRuntime, tokens.get)), plan)
    return costs.map((cost, i) => ({ ...cost, tokenRequests: providers[i]!.endpoint.tokenRequests }))
  } finally {
    await close()
  }
}

export const sharedStore = async (
  servers: Servers,
  peers: ReadonlyArray<Contender>,
  plan: SharedStorePlan,
  progress: (line: string) => void = () => {}
): Promise<SharedStoreResults> => {
  const redis = await startRedisServer()
  const directories: Array<string> = []
  const directory = () => {
    const made = mkdtempSync(join(tmpdir(), "effect-bearer-bench-"))
    directories.push(made)
    return made
  }
  let run = 0
  try {
    await servers.configure({ lifetimeSeconds: plan.lifetimeSeconds, tokenLatencyMs: plan.tokenLatencyMs })
    await servers.reset()
    // Every run starts from an empty store: a fresh directory, a fresh key prefix.
    const stores = (["memory", "file", "redis"] as const).map((backend) => ({
      subject: `effect-bearer, ${storeLabels[backend]}`,
      backend,
      worker: (): WorkerSettings["subject"] => ({
        kind: "store",
        backend,
        target: backend === "file" ? directory() : backend === "redis" ? redis.url : "",
        keyPrefix: `bench-${process.pid}-${run++}:`
      })
    }))
    const others = peers.map((peer) => ({
      subject: peer.name,
      backend: "peer" as const,
      worker: (): WorkerSettings["subject"] => ({ kind: "peer", name: peer.name })
    }))
    const rows: Array<SharedStoreRow> = []
    for (const each of [...stores, ...others]) {
      const runs: Array<SharedStoreRun> = []
      for (const count of plan.processes) {
        progress(`  ${each.subject}: ${count} process${count === 1 ? "" : "es"}`)
        runs.push(await runOnce(servers, each.worker(), count, plan))
      }
      rows.push({ subject: each.subject, backend: each.backend, runs })
    }
    await servers.configure({ lifetimeSeconds: 3600, tokenLatencyMs: 0 })
    progress("  warm read with each store in context")
    const warmRead = await warmReadCosts(
      [
        ["`provider.get`, no store in context", undefined],
        [`\`provider.get\`, ${storeLabels.memory}`, TokenStore.layerMemory],
        [`\`provider.get\`, ${storeLabels.file}`, FileTokenStore.layer({ directory: directory() })],
        [
          `\`provider.get\`, ${storeLabels.redis}`,
          RedisTokenStore.layer({ url: Redacted.make(redis.url), keyPrefix: `bench-${process.pid}-warm:` })
        ]
      ],
      plan.warmRead
    )
    return { rows, warmRead }
  } finally {
    await redis.stop()
    for (const made of directories) rmSync(made, { recursive: true, force: true })
  }
}
