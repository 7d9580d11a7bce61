/**
 * A raw TCP server on 127.0.0.1 (port 0) for the faults an HTTP server cannot produce (a reset
 * mid-response, dribbled bytes, silence, bytes that are not HTTP), recording what each
 * connection sent so tests can check where credentials went. Promise-based and Effect-free:
 * each line's fault suites wrap `start`/`close` in their own scope.
 */
import * as Net from "node:net"

/** What the server does with one connection once its first bytes (the request head) arrived. */
export type Behaviour = (socket: Net.Socket, timers: Timers) => void

/** Timers the server clears when it closes, so no behaviour outlives its test. */
export interface Timers {
  readonly every: (millis: number, f: () => void) => void
}

export interface RawTcpServer {
  /** `http://127.0.0.1:PORT/token` */
  readonly tokenUrl: string
  /** Everything each connection sent, in order of connection. */
  readonly received: () => ReadonlyArray<string>
  /** Closes the server and its sockets, and clears the timers. */
  readonly close: () => Promise<void>
}

/** Starts a server applying `behaviour` to every connection. */
export const start = (behaviour: Behaviour): Promise<RawTcpServer> =>
  new Promise((resolve) => {
    const received: Array<string> = []
    const sockets = new Set<Net.Socket>()
    const intervals = new Set<NodeJS.Timeout>()
    const timers: Timers = { every: (millis, f) => void intervals.add(setInterval(f, millis)) }
    const server = Net.createServer((socket) => {
      sockets.add(socket)
      socket.on("close", () => sockets.delete(socket))
      socket.on("error", () => {})
      const index = received.push("") - 1
      let started = false
      socket.on("data", (bytes) => {
        received[index] += bytes.toString("latin1")
        if (!started) {
          started = true
          behaviour(socket, timers)
        }
      })
    })
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as Net.AddressInfo
      resolve({
        tokenUrl: `http://127.0.0.1:${port}/token`,
        received: () => [...received],
        close: () =>
          new Promise((done) => {
            for (const interval of intervals) clearInterval(interval)
            for (const socket of sockets) socket.destroy()
            server.close(() => done())
          })
      })
    })
  })

/** A loopback URL on which nothing listens: a port that was just free. */
export const refusedUrl = (): Promise<string> =>
  new Promise((resolve) => {
    const server = Net.createServer()
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as Net.AddressInfo
      server.close(() => resolve(`http://127.0.0.1:${port}/token`))
    })
  })

/** A complete HTTP/1.1 response head and body, with an honest Content-Length. */
export const response = (status: string, body: string, headers: Record<string, string> = {}): string => {
  const head = Object.entries({ "content-type": "application/json", "content-length": String(Buffer.byteLength(body)), ...headers })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join("")
  return `HTTP/1.1 ${status}\r\n${head}connection: close\r\n\r\n${body}`
}

/** Writes `text` one byte every `millis`, then runs `done`. */
export const dribble = (text: string, millis: number, done: () => void = () => {}): Behaviour => (socket, timers) => {
  let sent = 0
  timers.every(millis, () => {
    if (socket.destroyed) return
    if (sent < text.length) socket.write(text[sent++] ?? "")
    else if (sent++ === text.length) done()
  })
}

/** Writes `response(status, body)` but the last half of `body`, then resets the connection. */
export const resetMidBody = ({ body, status }: { readonly status: string; readonly body: string }): Behaviour => (socket) => {
  const whole = response(status, body)
  socket.write(whole.slice(0, whole.length - Math.floor(body.length / 2)))
  setTimeout(() => socket.resetAndDestroy(), 10)
}
