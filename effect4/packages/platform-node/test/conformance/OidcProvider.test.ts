/**
 * Conformance with a server nobody here wrote: oidc-provider 8.8.1 (panva), a certified OpenID
 * provider, started on 127.0.0.1 by the tests. The cases are the version-free
 * `@effect-bearer/conformance/OidcProviderCases`, which the Effect 3 line runs too; here they run
 * on this line's library (`support/Library.ts`), on the test clock or the real one as each says.
 */
import * as OidcProviderCases from "@effect-bearer/conformance/OidcProviderCases"
import * as OidcServer from "@effect-bearer/conformance/OidcServer"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import type { HttpClient } from "effect/http"
import Provider from "oidc-provider"
import * as Library from "./support/Library.js"

let shared: OidcServer.OidcServer
beforeAll(async () => {
  shared = await OidcServer.startOidcServer(Provider)
})
afterAll(() => shared?.close())

/** A fresh oidc-provider for the test's scope. */
const ownServer = Effect.acquireRelease(Effect.promise(() => OidcServer.startOidcServer(Provider)), (server) => Effect.promise(server.close))

describe("oidc-provider 8.8.1", () => {
  for (const testCase of OidcProviderCases.cases) {
    ;(testCase.clock === "test" ? it.effect : it.live)(testCase.name, () =>
      Effect.gen(function*() {
        const server = testCase.ownServer ? yield* ownServer : shared
        const library = Library.make(yield* Effect.context<HttpClient.HttpClient>())
        yield* Effect.promise(() => testCase.run(library, server, expect as OidcProviderCases.Expect))
      }).pipe(Effect.provide(NodeHttpClient.layerUndici)), 15_000)
  }
})
