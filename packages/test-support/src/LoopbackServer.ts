/**
 * How the suites run a test server: the server's layer on a Node HTTP server listening on
 * 127.0.0.1 and a port the system picks (so suites running side by side never collide and
 * nothing outside the machine reaches it), next to an undici `HttpClient`, so that every
 * test talks to the server through the real HTTP stack.
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpServer from "@effect/platform/HttpServer"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import { Layer } from "effect"
import { createServer } from "node:http"

/** `server` listening on 127.0.0.1 (port 0) with an undici `HttpClient`; a server that cannot start is a defect. */
export const layer = <A, E>(
  server: Layer.Layer<A, E, HttpServer.HttpServer>
): Layer.Layer<A | HttpClient.HttpClient> =>
  server.pipe(
    Layer.provide(NodeHttpServer.layer(createServer, { port: 0, host: "127.0.0.1" })),
    Layer.merge(NodeHttpClient.layerUndici),
    Layer.orDie
  )
