/**
 * A real Redis for tests: finds `redis-server` (installing Debian's package once when it is
 * missing and we are root, under a lock so that parallel suites do not race), starts it on
 * 127.0.0.1 with a free port and no persistence, waits until it answers, and stops it by PID.
 *
 * A machine where Redis can neither be found nor installed fails the suite with a message
 * that says what to install: a Redis test is never skipped silently.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process"
import { existsSync, mkdirSync, rmdirSync, statSync } from "node:fs"
import { createConnection, createServer } from "node:net"

const candidates = ["/usr/bin/redis-server", "/usr/local/bin/redis-server", "/usr/sbin/redis-server"]
const installLock = "/tmp/effect-bearer-redis-install.lock"
const sleep = (millis: number) => new Promise<void>((resolve) => setTimeout(resolve, millis))

const onPath = (): string | undefined => {
  try {
    return execFileSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" }).trim() || undefined
  } catch {
    return undefined
  }
}

const find = (): string | undefined => onPath() ?? candidates.find((path) => existsSync(path))

/** `apt-get install redis-server`, once across parallel suites: a lock directory (mkdir is atomic). */
const install = async (): Promise<void> => {
  const deadline = Date.now() + 10 * 60_000
  while (true) {
    try {
      mkdirSync(installLock)
      break
    } catch {
      // Another suite is installing; a lock older than ten minutes is left from a killed run.
      try {
        if (Date.now() - statSync(installLock).mtimeMs > 10 * 60_000) rmdirSync(installLock)
      } catch {
        // gone meanwhile
      }
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${installLock} (another Redis install)`)
      await sleep(500)
      if (find() !== undefined) return
    }
  }
  try {
    if (find() !== undefined) return
    const environment = { ...process.env, DEBIAN_FRONTEND: "noninteractive" }
    execFileSync("sh", ["-c", "apt-get update && apt-get install -y --no-install-recommends redis-server"], {
      stdio: ["ignore", "ignore", "pipe"],
      env: environment,
      timeout: 9 * 60_000
    })
  } finally {
    rmdirSync(installLock)
  }
}

/** The path of `redis-server`, installed when missing and possible; throws a clear error otherwise. */
export const redisServerBinary = async (): Promise<string> => {
  const found = find()
  if (found !== undefined) return found
  if (process.getuid?.() === 0) {
    try {
      await install()
    } catch (cause) {
      throw new Error(
        `redis-server is not installed and "apt-get install -y redis-server" failed: ${String(cause)}. ` +
          "The Redis token store tests need a real Redis: install the redis-server package (Debian/Ubuntu) or put redis-server on PATH.",
        { cause }
      )
    }
    const installed = find()
    if (installed !== undefined) return installed
  }
  throw new Error(
    "redis-server was not found, and this process is not root so it cannot install it. " +
      "The Redis token store tests need a real Redis: run `sudo apt-get install -y redis-server` (Debian/Ubuntu) " +
      "or put a redis-server binary on PATH."
  )
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      server.close(() => typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port")))
    })
  })

/** Whether a Redis at `port` answers PING within a short time. */
export const answers = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port })
    const done = (result: boolean) => {
      socket.destroy()
      resolve(result)
    }
    socket.setTimeout(500, () => done(false))
    socket.once("error", () => done(false))
    socket.once("connect", () => socket.write("PING\r\n"))
    socket.once("data", (data) => done(String(data).startsWith("+PONG")))
  })

/** A running Redis. */
export interface RedisServer {
  readonly port: number
  readonly url: string
  /** The PID of the current server process. */
  readonly pid: () => number
  /** Stops the server (SIGTERM, then SIGKILL), waiting until it has exited. */
  readonly stop: () => Promise<void>
  /** Starts it again on the same port (after {@link stop}): the data is gone, as after a real restart without persistence. */
  readonly start: () => Promise<void>
}

/** Starts `redis-server` on 127.0.0.1 at a free port, without persistence. */
export const startRedisServer = async (): Promise<RedisServer> => {
  const binary = await redisServerBinary()
  const port = await freePort()
  let child: ChildProcess | undefined
  let output = ""

  const start = async () => {
    output = ""
    const started = spawn(binary, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "yes"], {
      stdio: ["ignore", "pipe", "pipe"]
    })
    started.stdout?.on("data", (data) => (output += String(data)))
    started.stderr?.on("data", (data) => (output += String(data)))
    child = started
    const deadline = Date.now() + 15_000
    while (!(await answers(port))) {
      if (started.exitCode !== null || Date.now() > deadline) {
        started.kill("SIGKILL")
        throw new Error(`redis-server on port ${port} did not answer PING:\n${output.slice(-2_000)}`)
      }
      await sleep(50)
    }
  }

  const stop = async () => {
    const running = child
    child = undefined
    if (running === undefined || running.exitCode !== null || running.signalCode !== null) return
    const exited = new Promise<void>((resolve) => running.once("exit", () => resolve()))
    process.kill(running.pid!, "SIGTERM")
    const killer = setTimeout(() => running.pid !== undefined && running.exitCode === null && process.kill(running.pid, "SIGKILL"), 3_000)
    await exited
    clearTimeout(killer)
  }

  // A test run that ends without `stop` (a crash, an interrupted run) leaves no server behind.
  process.once("exit", () => {
    if (child?.pid !== undefined && child.exitCode === null) child.kill("SIGKILL")
  })
  await start()
  return { port, url: `redis://127.0.0.1:${port}`, pid: () => child?.pid ?? -1, stop, start }
}
