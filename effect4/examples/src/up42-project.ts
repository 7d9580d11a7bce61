/**
 * UP42 with project credentials on Effect 4: the replacement for re-running
 * `PTOKEN=$(curl … | jq -r .data.accessToken)` every 5 minutes (HTTP Basic with the project
 * ID and API key; the token cached and renewed in the background).
 *
 *   UP42_PROJECT_ID=… UP42_PROJECT_API_KEY=… pnpm tsx --conditions=source examples/src/up42-project.ts   (in effect4/)
 *
 * Without the variables it runs against a local provider server.
 */
import { NodeRuntime } from "@effect/platform-node"
import { Console, Effect, Layer } from "effect"
import { Up42Project } from "@effect-bearer/providers"
import { NodeBearerHttpClient } from "@effect-bearer/platform-node"
import * as Apis from "./support/Apis.js"
import { unlessConfigured } from "./support/LocalFallback.js"

const program = Effect.gen(function*() {
  const apiUrl = yield* Apis.baseUrls["up42-project"]
  const projects = yield* Apis.up42Projects(apiUrl)
  yield* Console.log(`${projects.length} project(s) at ${apiUrl}:`)
  for (const project of projects) yield* Console.log(`  ${project.id}: ${project.name}`)
})

const Up42Http = Layer.unwrap(Effect.map(Apis.baseUrls["up42-project"], (apiUrl) =>
  NodeBearerHttpClient.layer(Up42Project.layerConfig(), { origins: [Apis.originOf(apiUrl)] })))

program.pipe(Effect.provide(Up42Http), unlessConfigured(Up42Project.provider), NodeRuntime.runMain)
