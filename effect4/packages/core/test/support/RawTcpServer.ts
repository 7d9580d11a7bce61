/**
 * The version-free raw TCP server (`@effect-bearer/conformance/RawTcpServer`: resets, dribbled
 * bytes, silence, bytes that are not HTTP, and a record of what each connection sent) in the
 * test's scope, for the faults an HTTP server cannot produce.
 */
import * as RawTcp from "@effect-bearer/conformance/RawTcpServer"
import { Effect } from "effect"
import type { Scope } from "effect"

/** What the server does with one connection once the request has arrived. */
export type Behaviour = RawTcp.Behaviour

/** A complete HTTP/1.1 response head and body, with an honest Content-Length. */
export const response = RawTcp.response

/** Writes `text` one byte every `millis`, then runs `done`. */
export const dribble = RawTcp.dribble

/** Writes a response but the last half of its body, then resets the connection. */
export const resetMidBody = RawTcp.resetMidBody

export interface RawTcpServer {
  /** `http://127.0.0.1:PORT` */
  readonly origin: string
  /** `http://127.0.0.1:PORT/token` */
  readonly tokenUrl: string
  /** Everything each connection sent, in order of connection. */
  readonly received: Effect.Effect<ReadonlyArray<string>>
}

/** A server applying `behaviour` to every connection, closed (sockets, timers) with the scope. */
export const make = (behaviour: Behaviour): Effect.Effect<RawTcpServer, never, Scope.Scope> =>
  Effect.map(
    Effect.acquireRelease(Effect.promise(() => RawTcp.start(behaviour)), (server) => Effect.promise(server.close)),
    (server) => ({ origin: new URL(server.tokenUrl).origin, tokenUrl: server.tokenUrl, received: Effect.sync(server.received) })
  )

/** A loopback URL on which nothing listens: a port that was just free. */
export const refusedUrl: Effect.Effect<string> = Effect.promise(RawTcp.refusedUrl)
