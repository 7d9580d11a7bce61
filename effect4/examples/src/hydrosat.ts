/**
 * Hydrosat on Effect 4: list the STAC collections with an authenticated client (token from
 * creds.json, then `GET /collections`).
 *
 *   HYDROSAT_CREDENTIALS_FILE=creds.json pnpm tsx --conditions=source examples/src/hydrosat.ts   (in effect4/)
 *
 * creds.json holds `{"client_id": "…", "client_secret": "…"}` and must be private to you
 * (`chmod 600`). HYDROSAT_CLIENT_ID and HYDROSAT_CLIENT_SECRET work too. Without any of them
 * it runs against a local provider server, with a creds.json written for it.
 */
import { NodeFileSystem, NodeRuntime } from "@effect/platform-node"
import { Console, Effect, FileSystem, Layer, Redacted } from "effect"
import type { LocalProviderServer } from "@effect-bearer/providers"
import { Hydrosat } from "@effect-bearer/providers"
import { CredentialsFile, NodeBearerHttpClient } from "@effect-bearer/platform-node"
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

// The token goes to the STAC API's origin and nowhere else; CredentialsFile.layerReader reads
// the file HYDROSAT_CREDENTIALS_FILE names, with the chmod 600 check.
const HydrosatHttp = Layer.unwrap(Effect.map(Apis.baseUrls.hydrosat, (stacUrl) =>
  NodeBearerHttpClient.layer(Hydrosat.layerConfig().pipe(Layer.provide(CredentialsFile.layerReader)), {
    origins: [Apis.originOf(stacUrl)]
  })))

/** The creds.json a user would write, for the local server's client, in a temporary directory. */
const localCredsJson = (server: LocalProviderServer.Service) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const path = `${yield* fs.makeTempDirectoryScoped({ prefix: "hydrosat-example-" })}/creds.json`
    const { clientId, clientSecret } = server.credentials.hydrosat
    yield* fs.writeFileString(path, JSON.stringify({ client_id: clientId, client_secret: Redacted.value(clientSecret) }))
    yield* fs.chmod(path, 0o600)
    return { HYDROSAT_CREDENTIALS_FILE: path }
  }).pipe(Effect.provide(NodeFileSystem.layer), Effect.orDie)

program.pipe(Effect.provide(HydrosatHttp), unlessConfigured(Hydrosat.provider, localCredsJson), NodeRuntime.runMain)
