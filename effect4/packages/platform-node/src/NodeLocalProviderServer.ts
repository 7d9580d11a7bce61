/**
 * The local provider server on a Node HTTP server: by default on 127.0.0.1 and a port the system
 * picks, so tests and demos never collide and nothing outside the machine can reach it. Its
 * address is the service's `origin` (`http://127.0.0.1:PORT`).
 *
 * @since 4.0.0
 */
import * as LocalProviderServer from "@effect-bearer/providers/LocalProviderServer"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import { Layer } from "effect"
import type { HttpClient, HttpServerError } from "effect/http"
import { createServer } from "node:http"

/**
 * Options of {@link layer}: where to listen, and the server's own options (credentials, token lifetimes).
 *
 * @since 4.0.0
 * @category models
 */
export interface Options extends LocalProviderServer.Options {
  /** Default: `127.0.0.1`. */
  readonly host?: string | undefined
  /** Default: `0`, any free port. */
  readonly port?: number | undefined
}

/**
 * The local provider server, listening for as long as the layer lives.
 *
 * @example
 * import { Effect } from "effect"
 * import { LocalProviderServer } from "@effect-bearer/providers"
 * import { NodeLocalProviderServer } from "@effect-bearer/platform-node"
 *
 * const program = Effect.gen(function*() {
 *   const server = yield* LocalProviderServer.LocalProviderServer
 *   yield* Effect.log(`listening on ${server.origin}`) // http://127.0.0.1:PORT
 * }).pipe(Effect.provide(NodeLocalProviderServer.layer()))
 *
 * @since 4.0.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<LocalProviderServer.LocalProviderServer, HttpServerError.ServeError> =>
  LocalProviderServer.layer(options).pipe(
    Layer.provide(NodeHttpServer.layer(createServer, { host: options.host ?? "127.0.0.1", port: options.port ?? 0 }))
  )

/**
 * {@link layer} with an undici `HttpClient` next to it: what a test of a program that talks to
 * the providers needs.
 *
 * @since 4.0.0
 * @category layers
 */
export const layerTest = (
  options: Options = {}
): Layer.Layer<LocalProviderServer.LocalProviderServer | HttpClient.HttpClient, HttpServerError.ServeError> =>
  Layer.merge(layer(options), NodeHttpClient.layerUndici)
