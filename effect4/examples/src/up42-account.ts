/**
 * UP42 with account credentials on Effect 4: the password grant, then the refresh token for
 * the next 30 minutes, then the password grant again, without the program noticing.
 *
 *   UP42_USERNAME=… UP42_PASSWORD=… pnpm tsx --conditions=source examples/src/up42-account.ts   (in effect4/)
 *
 * Without the variables it runs against a local provider server.
 */
import { NodeRuntime } from "@effect/platform-node"
import { Console, Effect, Layer } from "effect"
import { Up42Account } from "@effect-bearer/providers"
import { NodeBearerHttpClient } from "@effect-bearer/platform-node"
import * as Apis from "./support/Apis.js"
import { unlessConfigured } from "./support/LocalFallback.js"

const program = Effect.gen(function*() {
  const apiUrl = yield* Apis.baseUrls["up42-account"]
  const account = yield* Apis.up42Account(apiUrl)
  yield* Console.log(`Signed in to ${apiUrl} as ${account.email}`)
})

const Up42Http = Layer.unwrap(Effect.map(Apis.baseUrls["up42-account"], (apiUrl) =>
  NodeBearerHttpClient.layer(Up42Account.layerConfig(), { origins: [Apis.originOf(apiUrl)] })))

program.pipe(Effect.provide(Up42Http), unlessConfigured(Up42Account.provider), NodeRuntime.runMain)
