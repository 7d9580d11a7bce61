/**
 * Hydrosat: list the STAC collections with an authenticated client, the Effect version of
 * Hydrosat's Python example (token from creds.json, then `GET /collections`).
 *
 *   HYDROSAT_CLIENT_ID=… HYDROSAT_CLIENT_SECRET=… pnpm tsx --conditions=source examples/src/hydrosat.ts
 *
 * Without the variables it runs against a local provider server.
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Console, Effect, Layer } from "effect"
import { Hydrosat } from "@effect-bearer/providers"
import { NodeBearerHttpClient } from "@effect-bearer/platform-node"
import * as Apis from "./support/Apis.js"
import { unlessConfigured } from "./support/LocalFallback.js"

const program = Effect.gen(function*() {
  const stacUrl = yield* Apis.baseUrls.hydrosat
  const collections = yield* Apis.hydrosatCollections(stacUrl)
  yield* Console.log(`${collections.length} collection(s) at ${stacUrl}:`)
  for (const collection of collections) {
    yield* Console.log(`  ${collection.id}${collection.title !== undefined ? `: ${collection.title}` : ""}`)
  }
})

// The token goes to the STAC API's origin and nowhere else; it is fetched once, cached,
// and renewed in the background before its hour is up.
const HydrosatHttp = Layer.unwrapEffect(
  Effect.map(Apis.baseUrls.hydrosat, (stacUrl) =>
    NodeBearerHttpClient.layer(Hydrosat.layerConfig(), { origins: [Apis.originOf(stacUrl)] }))
)

program.pipe(
  Effect.provide(HydrosatHttp),
  unlessConfigured(Hydrosat.provider),
  NodeRuntime.runMain
)
