/**
 * The proof with real OS processes, not fibers (issue 12), written once for both lines:
 * `tokenWorker.ts` processes, each with many concurrent callers, share 3-second tokens (with
 * refresh-token rotation: UP42's password grant against the local provider server) through the
 * file store and through Redis. Token requests stay close to elapsed time / refresh interval (not
 * multiplied by the process count), no caller is ever served an expired token or fails, no
 * refresh token is sent twice, and a `kill -9` of the lock holder mid-refresh (file) and a Redis
 * restart mid-run are survived. Each line's `TokenStoreProcesses.test.ts` gives its worker
 * commands and a {@link Server} (a local provider server of 3-second UP42 tokens of its own).
 */
import { spawn } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { Expect } from "./Expect.js"

/** Callers per process, and how long each worker runs (ms). */
export const callers = 20
export const runFor = 9_000
/** 80 % of 3 s, the background refresh's point, minus its jitter's spread. */
const refreshInterval = 2_400

/** How to start one line's worker: `node <args> <backend> <target> <runFor> <callers>` in `cwd`. */
export interface WorkerCommand {
  readonly name: string
  readonly args: ReadonlyArray<string>
  readonly cwd?: string | undefined
}

/** The local provider server of one run, as a promise view of the line's own. */
export interface Server {
  readonly tokenUrl: string
  readonly username: string
  readonly password: string
  /** The UP42 token requests it saw, oldest first. */
  readonly requests: () => Promise<ReadonlyArray<{ readonly form: Readonly<Record<string, string>> }>>
  /** Makes the next UP42 token request slow (1.5 s). */
  readonly slowNextRequest: () => Promise<void>
}

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

const startWorker = (command: WorkerCommand, backend: "file" | "redis", target: string, environment: Record<string, string>): Worker => {
  const child = spawn(process.execPath, [...command.args, backend, target, String(runFor), String(callers)], {
    ...(command.cwd === undefined ? {} : { cwd: command.cwd }),
    env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", HOME: process.env["HOME"] ?? "/tmp", ...environment },
    stdio: ["ignore", "pipe", "pipe"]
  })
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
      if (code !== 0 || match === null) reject(new Error(`${command.name} worker exited ${code}:\n${stderr.slice(-2_000)}`))
      else resolve(JSON.parse(match[1]!) as Report)
    })
  )
  return { pid: child.pid!, done, onFetch: (listener) => listeners.push(listener) }
}

const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis))

/** What a line gives a run: its workers, its server for the run (closed by `close`), and when to disrupt (ms after the start). */
export interface Line {
  readonly workers: ReadonlyArray<WorkerCommand>
  readonly startServer: () => Promise<Server & { readonly close: () => Promise<void> }>
  readonly disruptAfter: number
}

/** What a run measured: the token requests, the time, and each surviving worker's reads. */
export interface Stats {
  readonly backend: "file" | "redis"
  readonly count: number
  readonly elapsed: number
  readonly workers: number
  readonly gets: ReadonlyArray<number>
}

/** Runs the workers, lets `disrupt` act mid-run, and checks the claims. */
const run = async (
  expect: Expect,
  line: Line,
  backend: "file" | "redis",
  target: string,
  disrupt: (workers: ReadonlyArray<Worker>, server: Server) => Promise<void>
): Promise<Stats> => {
  const server = await line.startServer()
  try {
    const env = { TOKEN_URL: server.tokenUrl, USERNAME: server.username, PASSWORD: server.password }
    const started = Date.now()
    const workers = line.workers.map((command) => startWorker(command, backend, target, env))
    await disrupt(workers, server)
    const reports = (await Promise.all(workers.map((worker) => worker.done))).filter((report) => report !== undefined)
    const elapsed = Date.now() - started
    const requests = await server.requests()
    const refreshTokens = requests.map((request) => request.form["refresh_token"]).filter((value) => value !== undefined)
    for (const report of reports) {
      expect(report.failures).toEqual([])
      expect(report.expired).toBe(0)
      expect(report.gets).toBeGreaterThan(callers)
    }
    expect(refreshTokens.filter((value, index) => refreshTokens.indexOf(value) !== index)).toEqual([])
    // One request per refresh interval for all the processes, not one per process (at most 4 more:
    // the first and the disruption's); per process it would be about as many times more as there are processes.
    expect(requests.length).toBeLessThan(Math.ceil(elapsed / refreshInterval) + 5)
    expect(requests.length).toBeLessThan(line.workers.length * Math.floor(runFor / refreshInterval))
    return { backend, count: requests.length, elapsed, workers: reports.length, gets: reports.map((report) => report.gets) }
  } finally {
    await server.close()
  }
}

/** The file store: the lock holder is killed (`kill -9`) while its slow refresh is on the wire. */
export const fileStore = async (expect: Expect, line: Line): Promise<Stats> => {
  const directory = mkdtempSync(join(tmpdir(), "effect-bearer-processes-"))
  try {
    return await run(expect, line, "file", directory, async (workers, server) => {
      await sleep(line.disruptAfter)
      // The next refresh is slow; its holder is killed while it is on the wire.
      await server.slowNextRequest()
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
}

/** The Redis store: Redis stops for a second mid-run and starts again. */
export const redisStore = async (
  expect: Expect,
  line: Line,
  redis: { readonly url: string; readonly stop: () => Promise<void>; readonly start: () => Promise<void> }
): Promise<Stats> => {
  try {
    return await run(expect, line, "redis", redis.url, async () => {
      await sleep(line.disruptAfter)
      await redis.stop()
      await sleep(1_000)
      await redis.start()
    })
  } finally {
    await redis.stop()
  }
}
