/**
 * What every measure shares: the server process, statistics, garbage collection.
 */
import { fork } from "node:child_process"
import { fileURLToPath } from "node:url"
import type { Counters, ServerCommand, ServerMessage, Settings } from "./protocol.js"

/** The running servers and how to drive them. */
export interface Servers {
  readonly tokenUrl: string
  readonly tokenOrigin: string
  readonly apiOrigin: string
  readonly configure: (settings: Settings) => Promise<Counters>
  /** Zeroes the counters and forgets every issued token. */
  readonly reset: () => Promise<Counters>
  readonly counters: () => Promise<Counters>
  readonly close: () => void
}

/** Starts `servers.ts` in a child process (through tsx, like this process). */
export const startServers = (): Promise<Servers> =>
  new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL("./servers.ts", import.meta.url)), [], {
      // tsx as resolved from here, whatever the working directory.
      execArgv: ["--import", import.meta.resolve("tsx")],
      stdio: ["ignore", "inherit", "inherit", "ipc"]
    })
    let nextId = 0
    const pending = new Map<number, (counters: Counters) => void>()
    const send = (command: Omit<ServerCommand, "id"> & { readonly type: ServerCommand["type"] }) =>
      new Promise<Counters>((done) => {
        const id = nextId++
        pending.set(id, done)
        child.send({ ...command, id })
      })
    child.once("error", reject)
    child.once("exit", (code) => {
      if (code !== 0 && code !== null) reject(new Error(`server process exited with ${code}`))
    })
    child.on("message", (message: ServerMessage) => {
      if (message.type === "reply") {
        pending.get(message.id)?.(message.counters)
        pending.delete(message.id)
        return
      }
      resolve({
        tokenUrl: `${message.tokenOrigin}/token`,
        tokenOrigin: message.tokenOrigin,
        apiOrigin: message.apiOrigin,
        configure: (settings) => send({ type: "configure", settings } as Omit<ServerCommand, "id">),
        reset: () => send({ type: "reset" }),
        counters: () => send({ type: "counters" }),
        close: () => child.disconnect()
      })
    })
  })

/** The median of a non-empty list. */
export const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

/** The q-quantile (0..1) of a non-empty list, nearest rank. */
export const quantile = (values: ReadonlyArray<number>, q: number): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!
}

const gc = (): void => {
  const collect = (globalThis as { gc?: () => void }).gc
  if (collect === undefined) throw new Error("run with --expose-gc (pnpm bench does)")
  collect()
}

/** Heap in use after full collections, settled: the lowest of a few readings. */
export const settledHeapUsed = async (): Promise<number> => {
  let lowest = Number.POSITIVE_INFINITY
  for (let i = 0; i < 6; i++) {
    // Let pending timers, promise callbacks and FinalizationRegistry callbacks (which run
    // after a collection) finish, so that their garbage is collectable too.
    await sleep(5)
    gc()
    gc()
    lowest = Math.min(lowest, process.memoryUsage().heapUsed)
  }
  return lowest
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** High-resolution now in nanoseconds, as a number (safe for the spans measured here). */
export const nowNs = (): number => Number(process.hrtime.bigint())
