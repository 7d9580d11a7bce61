/**
 * Bitquery on Effect 4: one query of the streaming GraphQL API with an authenticated client,
 * with an application's id and secret (tokens renewed automatically) or a console token.
 *
 *   BITQUERY_CLIENT_ID=… BITQUERY_CLIENT_SECRET=… pnpm tsx --conditions=source examples/src/bitquery.ts   (in effect4/)
 *   BITQUERY_ACCESS_TOKEN=ory_at_… pnpm tsx --conditions=source examples/src/bitquery.ts
 *
 * Without the variables it runs against a local provider server.
 */
import { NodeRuntime } from "@effect/platform-node"
import { Console, Effect, Layer } from "effect"
import { Bitquery } from "@effect-bearer/providers"
import { NodeBearerHttpClient } from "@effect-bearer/platform-node"
import * as Apis from "./support/Apis.js"
import { unlessConfigured } from "./support/LocalFallback.js"

const program = Effect.gen(function*() {
  const graphqlUrl = yield* Apis.baseUrls.bitquery
  const data = yield* Apis.bitqueryQuery(graphqlUrl, Apis.latestBlockQuery)
  yield* Console.log(`${graphqlUrl} answered:`)
  yield* Console.log(JSON.stringify(data, null, 2))
})

const BitqueryHttp = Layer.unwrap(Effect.map(Apis.baseUrls.bitquery, (graphqlUrl) =>
  NodeBearerHttpClient.layer(Bitquery.layerConfig(), { origins: [Apis.originOf(graphqlUrl)] })))

program.pipe(Effect.provide(BitqueryHttp), unlessConfigured(Bitquery.provider), NodeRuntime.runMain)
