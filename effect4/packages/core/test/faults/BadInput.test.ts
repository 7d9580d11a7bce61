/**
 * Configuration that cannot work (the rows of `@effect-bearer/conformance/BadInputCases`) fails
 * when the layer is built, with a typed error whose message says what to fix, before any
 * request: the token server every row points at when it can records none.
 */
import { describe, expect, it } from "@effect/vitest"
import * as BadInputCases from "@effect-bearer/conformance/BadInputCases"
import { Effect, Exit, Layer, Redacted } from "effect"
import { ClientAuthentication, Grant, TokenEndpoint, TokenProvider } from "@effect-bearer/core"
import * as TokenServer from "../support/TokenServer.js"
import { typedFailure, withinRealTime } from "./Outcome.js"

const clientAuthenticationOf = ({ clientId, method, secret = BadInputCases.secret }: BadInputCases.Client) =>
  method === "none"
    ? ClientAuthentication.publicClient(clientId)
    : method === "client_secret_post"
    ? ClientAuthentication.clientSecretPost({ clientId, clientSecret: Redacted.make(secret) })
    : ClientAuthentication.clientSecretBasic({ clientId, clientSecret: Redacted.make(secret) })

const optionsOf = (row: BadInputCases.Case, serverUrl: string): TokenEndpoint.Options => ({
  url: BadInputCases.tokenUrlOf(row, serverUrl),
  clientAuthentication: clientAuthenticationOf(row.client),
  ...(row.revocationUrl === undefined ? {} : { revocationUrl: row.revocationUrl }),
  ...(row.timeout === undefined ? {} : { timeout: row.timeout }),
  ...(row.maximumResponseBytes === undefined ? {} : { maximumResponseBytes: row.maximumResponseBytes })
})

describe("bad input fails when the layer is built, before any request", () => {
  for (const row of BadInputCases.cases) {
    it.effect(`${row.name} → ${row.tag} (${row.field})`, () =>
      Effect.gen(function*() {
        const server = yield* TokenServer.make
        const options = optionsOf(row, server.tokenUrl)
        const build = Layer.build(Layer.fresh(TokenProvider.layer({ ...options, grant: Grant.clientCredentials }))).pipe(Effect.scoped, Effect.exit)
        const error = yield* typedFailure(yield* build)
        expect(error._tag).toBe(row.tag)
        expect(error._tag === "InvalidConfiguration" ? error.setting : error.reason).toBe(row.field)
        expect(error.message).toContain(row.message)
        // The same check through the token endpoint alone.
        expect((yield* typedFailure(yield* Effect.exit(TokenEndpoint.make(options))))._tag).toBe(row.tag)
        expect(yield* server.requests).toEqual([])
      }).pipe(withinRealTime("10 seconds"), Effect.provide(TokenServer.layerClient)))
  }

  for (const url of BadInputCases.loopbackUrls) {
    it.effect(`plain http to a loopback address is allowed: ${url}`, () =>
      Effect.map(Effect.exit(TokenEndpoint.make({ url, clientAuthentication: clientAuthenticationOf({ method: "client_secret_basic", clientId: "client" }) })), (exit) =>
        expect(Exit.isSuccess(exit)).toBe(true)))
  }
})
