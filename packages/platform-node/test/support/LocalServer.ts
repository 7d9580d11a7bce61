/**
 * The local provider server for a `describe` block of this package's suites, with an
 * HTTP client that reaches it and a file system: `layer(LocalServer.layer, ...)`, each
 * test starting with {@link fresh}.
 */
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import { Effect, Layer } from "effect"
import { LocalProviderServer } from "@effect-bearer/providers"
import { NodeLocalProviderServer } from "@effect-bearer/platform-node"
import * as SharedServer from "@effect-bearer/test-support/SharedServer"

/** The server, an undici `HttpClient` and Node's file system; a server that cannot start is a defect. */
export const layer = Layer.merge(NodeLocalProviderServer.layerTest(), NodeFileSystem.layer).pipe(Layer.orDie)

/** The shared server as one test sees it: no fault set, request counts and records from zero. */
export const fresh = Effect.flatMap(
  LocalProviderServer.LocalProviderServer,
  (shared) => SharedServer.fresh(shared, LocalProviderServer.providerIds, ["token", "api", "discovery", "revocation"])
)
