/**
 * Conformance with oauth2-mock-server 7.2.1, a third-party token endpoint that speaks the password
 * and refresh_token grants. The cases are the version-free `@effect-bearer/conformance/MockOAuth2ServerCases`,
 * which the Effect 3 line runs too; here they run on this line's library (`support/Library.ts`), on
 * the test clock, against one server for the file, reset before each case.
 */
import * as MockOAuth2Server from "@effect-bearer/conformance/MockOAuth2Server"
import * as MockOAuth2ServerCases from "@effect-bearer/conformance/MockOAuth2ServerCases"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import type { HttpClient } from "effect/http"
import { OAuth2Server } from "oauth2-mock-server"
import * as Library from "./support/Library.js"

// One server for the file (its RSA key takes a while to make); each case starts by clearing what
// the server recorded and how it behaves.
let server: MockOAuth2Server.MockOAuth2Server
beforeAll(async () => {
  server = await MockOAuth2Server.startMockOAuth2Server(OAuth2Server)
})
afterAll(() => server?.stop())

describe("oauth2-mock-server 7.2.1: password and refresh_token grants", () => {
  for (const testCase of MockOAuth2ServerCases.cases) {
    it.effect(testCase.name, () =>
      Effect.gen(function*() {
        server.reset()
        const library = Library.forMockServer(yield* Effect.context<HttpClient.HttpClient>())
        yield* Effect.promise(() => testCase.run(library, server, expect as MockOAuth2ServerCases.Expect))
      }).pipe(Effect.provide(NodeHttpClient.layerUndici)))
  }
})
