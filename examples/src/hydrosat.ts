/**
 * Hydrosat: list the STAC collections with an authenticated client, the Effect version of
 * Hydrosat's Python example (token from creds.json, then `GET /collections`).
 *
 *   HYDROSAT_CREDENTIALS_FILE=creds.json pnpm tsx --conditions=source examples/src/hydrosat.ts
 *
 * creds.json is the file you write with the client ID and secret Hydrosat issued for your
 * API client, `{"client_id": "…", "client_secret": "…"}`, private to you (`chmod 600
 * creds.json`: a file others can read is refused). HYDROSAT_CLIENT_ID and
 * HYDROSAT_CLIENT_SECRET work too. Without any of them it runs against a local provider
 * server, with a creds.json written for it in a temporary directory.
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Console, Effect, Layer, Redacted } from "effect"
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

// The token goes to the STAC API's origin and nowhere else; it is fetched once, cached,
// and renewed in the background before its hour is up. CredentialsFile.layerReader reads
// the file HYDROSAT_CREDENTIALS_FILE names, with the chmod 600 check.
const HydrosatHttp = Layer.unwrapEffect(
  Effect.map(Apis.baseUrls.hydrosat, (stacUrl) =>
    NodeBearerHttpClient.layer(Hydrosat.layerConfig().pipe(Layer.provide(CredentialsFile.layerReader)), {
      origins: [Apis.originOf(stacUrl)]
    }))
)

/** The creds.json a user would write, for the local server's client, in a temporary directory. */
const localCredsJson = (server: LocalProviderServer.Service) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const path = `${yield* fs.makeTempDirectoryScoped({ prefix: "hydrosat-example-" })}/creds.json`
    const { clientId, clientSecret } = server.credentials.hydrosat
    yield* fs.writeFileString(path, JSON.stringify({ client_id: clientId, client_secret: Redacted.value(clientSecret) }))
    yield* fs.chmod(path, 0o600)
    return { HYDROSAT_CLIENT_ID: "", HYDROSAT_CLIENT_SECRET: "", HYDROSAT_CREDENTIALS_FILE: path }
  }).pipe(Effect.provide(NodeFileSystem.layer), Effect.orDie)

program.pipe(
  Effect.provide(HydrosatHttp),
  unlessConfigured(Hydrosat.provider, localCredsJson),
  NodeRuntime.runMain
)
