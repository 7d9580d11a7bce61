/**
 * Configuration that cannot work (the rows of `@effect-bearer/conformance/BadInputCases`) fails
 * when the layer is built, with a typed error whose message says what to fix, and before any
 * request: the token server, which every row points at when it can, must record zero requests.
 */
import { describe, expect, it } from "@effect/vitest"
import * as BadInputCases from "@effect-bearer/conformance/BadInputCases"
import { Effect, Exit, Layer, Redacted } from "effect"
import type { TokenEndpoint as TokenEndpointType } from "@effect-bearer/core"
import { ClientAuthentication, Grant, TokenEndpoint, TokenProvider } from "@effect-bearer/core"
import * as TokenServer from "../support/TokenServer.js"
import { typedFailure, withinRealTime } from "./support/Outcome.js"

/** A row's client authentication as this line's value. */
const clientAuthenticationOf = ({ clientId, method, secret = BadInputCases.secret }: BadInputCases.Client) =>
  method === "none"
    ? ClientAuthentication.publicClient(clientId)
    : method === "client_secret_post"
    ? ClientAuthentication.clientSecretPost({ clientId, clientSecret: Redacted.make(secret) })
    : ClientAuthentication.clientSecretBasic({ clientId, clientSecret: Redacted.make(secret) })

/** A row's options, given the token server's URL. */
const optionsOf = (row: BadInputCases.Case, serverUrl: string): TokenEndpointType.Options => ({
  url: BadInputCases.tokenUrlOf(row, serverUrl),
  clientAuthentication: clientAuthenticationOf(row.client),
  ...(row.revocationUrl === undefined ? {} : { revocationUrl: row.revocationUrl }),
  ...(row.timeout === undefined ? {} : { timeout: row.timeout }),
  ...(row.maximumResponseBytes === undefined ? {} : { maximumResponseBytes: row.maximumResponseBytes })
})

/** Builds `TokenProvider.layer` with these options; returns the build's outcome. */
const buildLayer = (options: TokenEndpointType.Options) =>
  Layer.build(TokenProvider.layer({ ...options, grant: Grant.clientCredentials })).pipe(Effect.scoped)

describe("bad input fails when the layer is built, before any request", () => {
  for (const row of BadInputCases.cases) {
    it.effect(`${row.name} → ${row.tag} (${row.field})`, () =>
      Effect.gen(function*() {
        const server = yield* TokenServer.TokenServer
        const error = yield* typedFailure(buildLayer(optionsOf(row, server.tokenUrl)))
        expect(error._tag).toBe(row.tag)
        expect(error._tag === "InvalidConfiguration" ? error.setting : error.reason).toBe(row.field)
        expect(error.message).toContain(row.message)
        // The same check through the token endpoint alone.
        const direct = yield* typedFailure(TokenEndpoint.make(optionsOf(row, server.tokenUrl)))
        expect(direct._tag).toBe(row.tag)
        expect(yield* server.requests).toEqual([])
      }).pipe(Effect.provide(TokenServer.layer), withinRealTime("10 seconds")))
  }

  for (const url of BadInputCases.loopbackUrls) {
    it.effect(`plain http to a loopback address is allowed: ${url}`, () =>
      Effect.map(
        Effect.exit(TokenEndpoint.make({ url, clientAuthentication: clientAuthenticationOf({ method: "client_secret_basic", clientId: "client" }) })),
        (exit) => expect(Exit.isSuccess(exit)).toBe(true)
      ))
  }
})
