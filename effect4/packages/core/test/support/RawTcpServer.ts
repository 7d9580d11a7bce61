/**
 * A raw TCP server on 127.0.0.1 (port 0) for the faults an HTTP server cannot produce: a
 * reset in the middle of a response, a response that never comes, bytes that are not
 * HTTP. It records what each connection sent, so tests can check where credentials went.
 */
import type { Scope } from "effect"
import { Effect } from "effect"
import * as Net from "node:net"

/** What the server does with one connection once the request has arrived. */
export type Behaviour = (socket: Net.Socket) => void

export interface RawTcpServer {
  /** `http://127.0.0.1:PORT` */
  readonly origin: string
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
    const received: Array<string> = []
    const sockets = new Set<Net.Socket>()
    const server = yield* Effect.acquireRelease(
      Effect.callback<Net.Server>((resume) => {
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
              behaviour(socket)
            }
          })
        })
        server.listen(0, "127.0.0.1", () => resume(Effect.succeed(server)))
      }),
      (server) =>
        Effect.callback<void>((resume) => {
          for (const socket of sockets) socket.destroy()
          server.close(() => resume(Effect.void))
        })
    )
    const origin = `http://127.0.0.1:${(server.address() as Net.AddressInfo).port}`
    return { origin, tokenUrl: `${origin}/token`, received: Effect.sync(() => [...received]) }
  })

/** A complete HTTP/1.1 response head and body, with an honest Content-Length. */
export const response = (status: string, body: string, headers: Record<string, string> = {}) => {
  const head = Object.entries({ "content-type": "application/json", "content-length": String(Buffer.byteLength(body)), ...headers })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join("")
  return `HTTP/1.1 ${status}\r\n${head}connection: close\r\n\r\n${body}`
}
