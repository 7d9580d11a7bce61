/** The version-free raw TCP server (`@effect-bearer/conformance/RawTcpServer`) in the test's scope. */
import * as RawTcpServer from "@effect-bearer/conformance/RawTcpServer"
import { Effect } from "effect"

/** A raw TCP server applying `behaviour`, closed with the scope; `received` is what each connection sent. */
export const make = (behaviour: RawTcpServer.Behaviour) =>
  Effect.map(
    Effect.acquireRelease(Effect.promise(() => RawTcpServer.start(behaviour)), (server) => Effect.promise(server.close)),
    (server) => ({ tokenUrl: server.tokenUrl, received: Effect.sync(server.received) })
  )

export const refusedUrl = Effect.promise(RawTcpServer.refusedUrl)
