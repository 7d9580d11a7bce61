/**
 * The proof with real OS processes, not fibers, and of both Effect lines at once: `tokenWorker.ts`
 * processes (two of this line, one of the Effect 3 line), each with many concurrent callers, share
 * 3-second tokens (with refresh-token rotation: UP42's password grant against the local provider
 * server) through the file store and through Redis. Token requests stay close to elapsed time /
 * refresh interval (not multiplied by the process count), no caller is ever served an expired
 * token or fails, no refresh token is sent twice, and a `kill -9` of the lock holder mid-refresh
 * (file) and a Redis restart mid-run are survived.
 */
import { NodeLocalProviderServer } from "@effect-bearer/platform-node"
import * as LocalProviderServer from "@effect-bearer/providers/LocalProviderServer"
import { describe, expect, it } from "@effect/vitest"
import { Context, Effect, Exit, Layer, Redacted, Scope } from "effect"
import { spawn } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { startRedisServer } from "../../../../packages/test-support/src/RedisServer.js"

const callers = 20
const runFor = 9_000
/** 80 % of 3 s, the background refresh's point, minus its jitter's spread. */
const refreshInterval = 2_400

/** Each line's worker and the package it runs in (where its imports resolve). */
const lines = {
  effect4: { script: "test/support/tokenWorker.ts", cwd: fileURLToPath(new URL("../", import.meta.url)) },
  effect3: { script: "test/support/tokenWorker.ts", cwd: fileURLToPath(new URL("../../../../packages/platform-node/", import.meta.url)) }
} as const
const workerLines: ReadonlyArray<keyof typeof lines> = ["effect4", "effect3", "effect4"]

interface Report {
  readonly gets: number
  readonly expired: number
  readonly failures: ReadonlyArray<string>
}

interface Worker {
  readonly pid: number
  /** Resolves with its report, or `undefined` when it was killed. */
  readonly done: Promise<Report | undefined>
  /** Calls `listener` on each token request its own source starts. */
  readonly onFetch: (listener: () => void) => void
}

const startWorker = (line: keyof typeof lines, backend: "file" | "redis", target: string, environment: Record<string, string>): Worker => {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "--conditions=source", lines[line].script, backend, target, String(runFor), String(callers)],
    {
      cwd: lines[line].cwd,
      env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", HOME: process.env["HOME"] ?? "/tmp", ...environment },
      stdio: ["ignore", "pipe", "pipe"]
    }
  )
  const listeners: Array<() => void> = []
  let stdout = ""
  let stderr = ""
  child.stdout.on("data", (data: Buffer) => {
    const text = String(data)
    stdout += text
    for (const _ of text.match(/^fetch$/gm) ?? []) for (const listener of listeners) listener()
  })
  child.stderr.on("data", (data: Buffer) => (stderr += String(data)))
  const done = new Promise<Report | undefined>((resolve, reject) =>
    child.once("exit", (code, signal) => {
      if (signal === "SIGKILL") return resolve(undefined)
      const match = /^report (.*)$/m.exec(stdout)
      if (code !== 0 || match === null) reject(new Error(`${line} worker exited ${code}:\n${stderr.slice(-2_000)}`))
      else resolve(JSON.parse(match[1]!) as Report)
    })
  )
  return { pid: child.pid!, done, onFetch: (listener) => listeners.push(listener) }
}

const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis))

/** Runs the workers against a server of 3-second UP42 tokens of its own, lets `disrupt` act mid-run, and checks the claims. */
const run = async (
  backend: "file" | "redis",
  target: string,
  disrupt: (workers: ReadonlyArray<Worker>, server: LocalProviderServer.Service) => Promise<void>
) => {
  const scope = Effect.runSync(Scope.make())
  try {
    const server = Context.get(
      await Effect.runPromise(Layer.buildWithScope(NodeLocalProviderServer.layer({ lifetimes: { "up42-account": "3 seconds" } }), scope)),
      LocalProviderServer.LocalProviderServer
    )
    const env = {
      TOKEN_URL: server.urls["up42-account"].tokenUrl,
      USERNAME: server.credentials.up42Account.username,
      PASSWORD: Redacted.value(server.credentials.up42Account.password)
    }
    const started = Date.now()
    const workers = workerLines.map((line) => startWorker(line, backend, target, env))
    await disrupt(workers, server)
    const reports = (await Promise.all(workers.map((worker) => worker.done))).filter((report) => report !== undefined)
    const elapsed = Date.now() - started
    const requests = await Effect.runPromise(server.requests("up42-account"))
    const refreshTokens = requests.map((request) => request.form["refresh_token"]).filter((value) => value !== undefined)
    for (const report of reports) {
      expect(report.failures).toEqual([])
      expect(report.expired).toBe(0)
      expect(report.gets).toBeGreaterThan(callers)
    }
    expect(refreshTokens.filter((value, index) => refreshTokens.indexOf(value) !== index)).toEqual([])
    // One request per refresh interval for all the processes, not one per process (plus the first
    // and the disruption's); per process it would be about as many times more as there are processes.
    expect(requests.length).toBeLessThanOrEqual(Math.ceil(elapsed / refreshInterval) + 4)
    expect(requests.length).toBeLessThan(workerLines.length * Math.floor(runFor / refreshInterval))
  } finally {
    await Effect.runPromise(Scope.close(scope, Exit.void))
  }
}

describe("TokenStore across OS processes of both Effect lines", () => {
  it("file store: 2 + 1 processes x 20 callers share 3-second tokens; kill -9 of the lock holder mid-refresh is survived", async () => {
    const directory = mkdtempSync(join(tmpdir(), "effect-bearer-processes-"))
    try {
      await run("file", directory, async (workers, server) => {
        await sleep(6_000)
        // The next refresh is slow; its holder is killed while it is on the wire.
        await Effect.runPromise(server.setFault("up42-account", LocalProviderServer.slow("1500 millis"), { times: 1 }))
        await new Promise<void>((resolve) => {
          let killed = false
          for (const worker of workers) {
            worker.onFetch(() => {
              if (killed) return
              killed = true
              setTimeout(() => {
                process.kill(worker.pid, "SIGKILL")
                resolve()
              }, 300)
            })
          }
        })
      })
    } finally {
      rmSync(directory, { recursive: true, force: true })
    }
  }, 100_000)

  it("Redis store: 2 + 1 processes x 20 callers share 3-second tokens; a Redis restart mid-run is survived", async () => {
    const redis = await startRedisServer()
    try {
      await run("redis", redis.url, async () => {
        await sleep(6_000)
        await redis.stop()
        await sleep(1_000)
        await redis.start()
      })
    } finally {
      await redis.stop()
    }
  }, 100_000)
})
