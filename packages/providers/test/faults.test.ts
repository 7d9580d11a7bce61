/**
 * Every provider against every fault of the local server: each failure arrives as its
 * documented error tag, never as a defect, and a malformed or opaque success is
 * recognised for what it is.
 */
import { describe, expect, layer } from "@effect/vitest"
import { Duration, Effect, Fiber, Schedule, TestClock } from "effect"
import type { Scope } from "effect"
import type * as HttpClient from "@effect/platform/HttpClient"
import type { TokenError, TokenProvider } from "@effect-bearer/core"
import { Bitquery, Hydrosat, LocalProviderServer, OAuth2, Up42Account, Up42Project } from "@effect-bearer/providers"
import * as Server from "./support/server.js"

/** No retry and no background refresh: each test sees exactly one token request. */
const once = { retry: Schedule.stop, backgroundRefresh: false, timeout: "2 seconds" } as const

type Make = (
  server: LocalProviderServer.Service
) => Effect.Effect<
  TokenProvider.Service,
  TokenError.InvalidConfiguration | TokenError.WrongHost,
  HttpClient.HttpClient | Scope.Scope
>

const providers: ReadonlyArray<{
  readonly id: LocalProviderServer.ProviderId
  readonly make: Make
  readonly defaultLifetime: Duration.Duration
  readonly hints: Partial<Record<TokenError.TokenError["_tag"], string>>
}> = [
  {
    id: "up42-project",
    make: (server) =>
      Up42Project.make({ ...server.credentials.up42Projects[0]!, tokenUrl: server.urls["up42-project"].tokenUrl, ...once }),
    defaultLifetime: Up42Project.defaultLifetime,
    hints: Up42Project.hints
  },
  {
    id: "up42-account",
    make: (server) =>
      Up42Account.make({
        username: server.credentials.up42Account.username,
        password: server.credentials.up42Account.password,
        tokenUrl: server.urls["up42-account"].tokenUrl,
        ...once
      }),
    defaultLifetime: Up42Account.defaultLifetime,
    hints: Up42Account.hints
  },
  {
    id: "bitquery",
    make: (server) =>
      Bitquery.make({
        clientId: server.credentials.bitquery.clientId,
        clientSecret: server.credentials.bitquery.clientSecret,
        tokenUrl: server.urls.bitquery.tokenUrl,
        ...once
      }),
    defaultLifetime: Bitquery.defaultLifetime,
    hints: Bitquery.hints
  },
  {
    id: "hydrosat",
    make: (server) => Hydrosat.make({ ...server.credentials.hydrosat, tokenUrl: server.urls.hydrosat.tokenUrl, ...once }),
    defaultLifetime: Hydrosat.defaultLifetime,
    hints: Hydrosat.hints
  },
  {
    id: "oauth2",
    make: (server) =>
      OAuth2.make({
        clientId: server.credentials.oauth2.clientId,
        clientSecret: server.credentials.oauth2.clientSecret,
        tokenUrl: server.urls.oauth2.tokenUrl,
        ...once
      }),
    defaultLifetime: OAuth2.defaultLifetime,
    hints: {}
  }
]

/** One fault and the error it must become. */
const table: ReadonlyArray<{
  readonly name: string
  readonly fault: LocalProviderServer.Fault
  readonly error: Partial<Record<string, unknown>> & { readonly _tag: TokenError.TokenError["_tag"] }
}> = [
  {
    name: "500",
    fault: LocalProviderServer.serverError(500),
    error: { _tag: "TemporarilyUnavailable", reason: "ServerError", status: 500 }
  },
  {
    name: "503",
    fault: LocalProviderServer.serverError(503),
    error: { _tag: "TemporarilyUnavailable", reason: "ServerError", status: 503 }
  },
  {
    name: "429 with Retry-After",
    fault: LocalProviderServer.rateLimited("30 seconds"),
    error: { _tag: "TemporarilyUnavailable", reason: "RateLimited", status: 429, retryAfter: Duration.seconds(30) }
  },
  { name: "401", fault: LocalProviderServer.status(401), error: { _tag: "InvalidCredentials", status: 401 } },
  { name: "404", fault: LocalProviderServer.status(404), error: { _tag: "WrongHost", reason: "NotFound", status: 404 } },
  { name: "415", fault: LocalProviderServer.status(415), error: { _tag: "UnsupportedMediaType", status: 415 } },
  { name: "an HTML page", fault: LocalProviderServer.html, error: { _tag: "InvalidTokenResponse", reason: "NotJson" } },
  { name: "truncated JSON", fault: LocalProviderServer.truncatedJson, error: { _tag: "InvalidTokenResponse", reason: "NotJson" } },
  { name: "an empty body", fault: LocalProviderServer.emptyBody, error: { _tag: "InvalidTokenResponse", reason: "NotJson" } },
  {
    name: "no access token",
    fault: LocalProviderServer.missingAccessToken,
    error: { _tag: "InvalidTokenResponse", reason: "MissingAccessToken" }
  },
  {
    name: "a token_type other than Bearer",
    fault: LocalProviderServer.unsupportedTokenType,
    error: { _tag: "InvalidTokenResponse", reason: "UnsupportedTokenType" }
  }
]

layer(Server.layer())("faults", (it) => {
  for (const provider of providers) {
    describe(provider.id, () => {
      for (const row of table) {
        it.effect(`${row.name} is ${row.error._tag}`, () =>
          Effect.gen(function*() {
            const server = yield* Server.server
            yield* server.clearFaults
            yield* server.setFault(provider.id, row.fault, { times: 1 })
            const tokens = yield* provider.make(server)
            const error = yield* Effect.flip(tokens.get)
            expect(error).toMatchObject(row.error)
            const hint = provider.hints[error._tag]
            if (hint !== undefined) expect(error.message).toContain(hint)
          }).pipe(Effect.scoped))
      }

      it.effect("a response slower than the timeout is TemporarilyUnavailable (Timeout)", () =>
        Effect.gen(function*() {
          const server = yield* Server.server
          yield* server.clearFaults
          yield* server.setFault(provider.id, LocalProviderServer.slow("30 seconds"), { times: 1 })
          const before = yield* server.requestCount(provider.id)
          const tokens = yield* provider.make(server)
          const fiber = yield* Effect.fork(tokens.get)
          yield* Server.waitUntil(Effect.map(server.requestCount(provider.id), (count) => count > before))
          yield* TestClock.adjust("2 seconds")
          const error = yield* Effect.flip(Fiber.join(fiber))
          expect(error).toMatchObject({ _tag: "TemporarilyUnavailable", reason: "Timeout" })
        }).pipe(Effect.scoped))

      it.effect("an opaque token without expires_in gets the provider's documented lifetime", () =>
        Effect.gen(function*() {
          const server = yield* Server.server
          yield* server.clearFaults
          yield* server.setFault(provider.id, LocalProviderServer.opaqueToken, { times: 1 })
          const token = yield* Effect.flatMap(provider.make(server), (tokens) => tokens.get)
          expect(token.lifetimeSource).toBe("default")
          expect(token.lifetime).toEqual(provider.defaultLifetime)
        }).pipe(Effect.scoped))
    })
  }
})
