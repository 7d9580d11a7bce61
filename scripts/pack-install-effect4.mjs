// The Effect 4 line's part of `pack-install.mjs --effect4`: the program compiled and run in the outside project,
// the README runners copied there, and what is installed beside the packages. The steps are pack-install.mjs's.
import { runnableEffect4 } from "./readme-blocks.mjs"

/** `@effect/platform-node` 4 and Effect 4 itself want Node >= 22.19; its types to match. */
export const typesNode = "@types/node@^22.19.0"

/** One copy each of these in the outside project (Effect 4 has no `@effect/platform`: HTTP is in `effect`). */
export const effectPackages = ["effect", "@effect/platform-node"]

/** The runners, by their file in scripts/, to the name pack-install's preload imports them by. */
export const runners = {
  "readme-routes.mjs": "readme-routes.mjs",
  "readme-checks.mjs": "readme-checks.mjs",
  "readme-redirect-effect4.mjs": "readme-redirect.mjs",
  "readme-outside-effect4.mjs": "readme-outside.mjs"
}

/** The Effect 4 line's runnable README blocks. */
export const runnable = runnableEffect4

/** A token and an authenticated request from the installed Effect 4 packages, against their local provider server. */
export const program = `import { NodeHttpClient } from "@effect/platform-node"
import { Console, Effect, Layer } from "effect"
import { HttpClient } from "effect/http"
import { BearerHttpClient, TokenProvider } from "@effect-bearer/core"
import * as TokenError from "@effect-bearer/core/TokenError"
import { Provider } from "@effect-bearer/kernel"
import { NodeLocalProviderServer } from "@effect-bearer/platform-node"
import { Hydrosat, LocalProviderServer } from "@effect-bearer/providers"

const program = Effect.gen(function*() {
  const server = yield* LocalProviderServer.LocalProviderServer
  const { apiUrl, tokenUrl } = server.urls.hydrosat
  const Api = BearerHttpClient.layer({ origins: [new URL(apiUrl).origin] }).pipe(
    Layer.provideMerge(Hydrosat.layer({ ...server.credentials.hydrosat, tokenUrl })),
    Layer.provide(NodeHttpClient.layerUndici)
  )
  const status = yield* Effect.gen(function*() {
    const token = yield* TokenProvider.get
    const client = yield* HttpClient.HttpClient
    const response = yield* client.get(apiUrl)
    return { status: response.status, redacted: String(token.value) }
  }).pipe(Effect.provide(Api))
  const tokenRequests = yield* server.requestCount("hydrosat")
  yield* Console.log(JSON.stringify({ ...status, tokenRequests, retryable: typeof TokenError.isRetryable, kernel: typeof Provider }))
})

Effect.runPromise(program.pipe(Effect.provide(NodeLocalProviderServer.layer()))).catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
`
