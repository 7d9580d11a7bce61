/**
 * A raw TCP server on 127.0.0.1 (port 0) for the faults an HTTP server cannot produce:
 * a reset in the middle of a response, headers dribbled a byte at a time, a response
 * that never comes, bytes that are not HTTP at all. It records what each connection
 * sent, so tests can check where credentials went.
 */
import { Effect, Ref } from "effect"
import type { Scope } from "effect"
import * as Net from "node:net"

/** What the server does with one connection once the request has arrived. */
export type Behaviour = (socket: Net.Socket, timers: Timers) => void

/** Timers that the server clears when it closes, so no behaviour outlives its test. */
export interface Timers {
  readonly every: (millis: number, f: () => void) => void
}

export interface RawTcpServer {
  /** `http://127.0.0.1:PORT/token` */
  readonly tokenUrl: string
  /** Everything each connection sent, in order of connection. */
  readonly received: Effect.Effect<ReadonlyArray<string>>
}

/**
 * Starts a server that applies `behaviour` to every connection after its first bytes
 * (the request head) arrived; the server and its sockets close with the scope.
 */
export const make = (behaviour: Behaviour): Effect.Effect<RawTcpServer, never, Scope.Scope> =>
  Effect.gen(function*() {
    const received = yield* Ref.make<ReadonlyArray<string>>([])
    const sockets = new Set<Net.Socket>()
    const intervals = new Set<NodeJS.Timeout>()
    const timers: Timers = {
      every: (millis, f) => {
        intervals.add(setInterval(f, millis))
      }
    }
    const server = yield* Effect.acquireRelease(
      Effect.async<Net.Server>((resume) => {
        const server = Net.createServer((socket) => {
          sockets.add(socket)
          socket.on("close", () => sockets.delete(socket))
          socket.on("error", () => {})
          const index = Effect.runSync(Ref.modify(received, (all) => [all.length, [...all, ""]]))
          let started = false
          socket.on("data", (bytes) => {
            Effect.runSync(Ref.update(received, (all) => all.map((text, i) => i === index ? text + bytes.toString("latin1") : text)))
            if (!started) {
              started = true
              behaviour(socket, timers)
            }
          })
        })
        server.listen(0, "127.0.0.1", () => resume(Effect.succeed(server)))
      }),
      (server) =>
        Effect.async<void>((resume) => {
          for (const interval of intervals) clearInterval(interval)
          for (const socket of sockets) socket.destroy()
          server.close(() => resume(Effect.void))
        })
    )
    const address = server.address() as Net.AddressInfo
    return {
      tokenUrl: `http://127.0.0.1:${address.port}/token`,
      received: Ref.get(received)
    }
  })

/** A loopback URL on which nothing listens: a port that was just free. */
export const refusedUrl: Effect.Effect<string> = Effect.async<string>((resume) => {
  const server = Net.createServer()
  server.listen(0, "127.0.0.1", () => {
    const { port } = server.address() as Net.AddressInfo
    server.close(() => resume(Effect.succeed(`http://127.0.0.1:${port}/token`)))
  })
})

/** A complete HTTP/1.1 response head and body, with an honest Content-Length. */
export const response = (status: string, body: string, headers: Record<string, string> = {}) => {
  const head = Object.entries({ "content-type": "application/json", "content-length": String(Buffer.byteLength(body)), ...headers })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join("")
  return `HTTP/1.1 ${status}\r\n${head}connection: close\r\n\r\n${body}`
}
