import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { expect, layer } from "@effect/vitest"
import { ConfigProvider, Context, Effect, Layer, Redacted, TestClock } from "effect"
import { BearerHttpClient, TokenProvider } from "@effect-bearer/core"
import { Bitquery } from "@effect-bearer/providers"
import * as Server from "./support/server.js"

const application = (options: Partial<Bitquery.Options> = {}) =>
  Effect.flatMap(Server.server, (server) =>
    Bitquery.make({
      clientId: server.credentials.bitquery.clientId,
      clientSecret: server.credentials.bitquery.clientSecret,
      tokenUrl: server.urls.bitquery.tokenUrl,
      ...options
    }))

const graphql = (token: Redacted.Redacted<string>) =>
  Effect.flatMap(Server.server, (server) =>
    HttpClient.execute(
      HttpClientRequest.post(server.urls.bitquery.apiUrl).pipe(
        HttpClientRequest.bearerToken(token),
        HttpClientRequest.bodyUnsafeJson({ query: "{ EVM { Blocks(limit: {count: 1}) { Block { Number } } } }" })
      )
    ).pipe(Effect.map((response) => response.status), Effect.orDie))

const fromEnvironment = (variables: Record<string, string>) =>
  Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(variables))))

layer(Server.layer())("Bitquery", (it) => {
  it.effect("layerStatic hands out a console token as it is, with no request to the token endpoint", () =>
    Effect.gen(function*() {
      const server = yield* Server.fresh
      const token = yield* TokenProvider.get.pipe(Effect.provide(Bitquery.layerStatic(server.credentials.bitquery.accessToken)))
      expect(Redacted.value(token.value)).toBe(Redacted.value(server.credentials.bitquery.accessToken))
      expect(yield* graphql(token.value)).toBe(200)
      expect(yield* server.requestCount("bitquery")).toBe(0)
    }))

  // Revokes the console token: a server of its own.
  it.effect("a console token the API refuses: Expired says it rotated and where to get a new one, not scope or audience", () =>
    Effect.gen(function*() {
      const server = yield* Server.server
      const tokens = yield* Bitquery.makeConfig().pipe(Effect.withConfigProvider(ConfigProvider.fromMap(
        new Map([["BITQUERY_ACCESS_TOKEN", Redacted.value(server.credentials.bitquery.accessToken)]])
      )))
      const client = BearerHttpClient.withTokenErrors(
        yield* BearerHttpClient.make(yield* HttpClient.HttpClient, tokens, { origins: [server.origin] })
      )
      const query = client.execute(
        HttpClientRequest.post(server.urls.bitquery.apiUrl).pipe(HttpClientRequest.bodyUnsafeJson({ query: "{ EVM { Blocks { Block { Number } } } }" }))
      )
      expect((yield* query).status).toBe(200)
      // The console rotated the token: the API refuses it from now on.
      yield* server.revokeTokens("bitquery")
      const refused = yield* Effect.flip(query)
      expect(refused).toMatchObject({ _tag: "Expired", endpoint: "static:bitquery" })
      expect(refused.message).toContain(
        "The static token expired or was refused from static:bitquery. It cannot be renewed here: get a new one where it was issued."
      )
      expect(refused.message).toContain(
        "rotate every 12 hours without an application: generate a new one at https://account.bitquery.io/user/api_v2/access_tokens"
      )
      expect(refused.message).not.toContain("scope or audience")
      expect(refused.message).not.toContain(Redacted.value(server.credentials.bitquery.accessToken))
      expect(yield* server.requestCount("bitquery", "api")).toBe(2)
      expect(yield* server.requestCount("bitquery")).toBe(0)
    }).pipe(Effect.scoped, Effect.provide(Server.layer())))

  it.scoped("a console token's expiry: BITQUERY_ACCESS_TOKEN_EXPIRES_AT as epoch seconds or an ISO date, or the expiresAt option", () =>
    Effect.gen(function*() {
      const server = yield* Server.fresh
      const consoleToken = Redacted.value(server.credentials.bitquery.accessToken)
      const configured = (expiresAt: string) =>
        Bitquery.makeConfig().pipe(Effect.withConfigProvider(ConfigProvider.fromMap(
          new Map([["BITQUERY_ACCESS_TOKEN", consoleToken], ["BITQUERY_ACCESS_TOKEN_EXPIRES_AT", expiresAt]])
        )))
      // The TestClock starts at the epoch: an hour from now.
      const seconds = yield* configured("3600")
      const iso = yield* configured("1970-01-01T01:00:00Z")
      const option = yield* Layer.build(Bitquery.layerStatic(server.credentials.bitquery.accessToken, {
        expiresAt: new Date(3_600_000)
      })).pipe(Effect.map(Context.get(TokenProvider.TokenProvider)))
      for (const tokens of [seconds, iso, option]) {
        const token = yield* tokens.get
        expect(token.expiresAt).toBe(3_600_000)
        expect(yield* graphql(token.value)).toBe(200)
      }
      yield* TestClock.adjust("1 hour")
      for (const tokens of [seconds, iso, option]) {
        const expired = yield* Effect.flip(tokens.get)
        expect(expired).toMatchObject({ _tag: "Expired", reason: "AccessToken", expiredAt: 3_600_000 })
        expect(expired.message).toContain("generate a new one at https://account.bitquery.io/user/api_v2/access_tokens")
      }
      const unreadable = yield* Effect.flip(configured("next tuesday"))
      expect(unreadable).toMatchObject({
        _tag: "InvalidConfiguration",
        setting: "BITQUERY_ACCESS_TOKEN_EXPIRES_AT",
        problem:
          "is not a date: set it to when the console token expires (the expiration set in the console), as an ISO date such as 2026-12-31T23:59:59Z or as epoch seconds"
      })
      expect(yield* server.requestCount("bitquery")).toBe(0)
    }))

  it.scoped("an empty scope option sends no scope (refused by Bitquery: Refusals.test.ts)", () =>
    Effect.gen(function*() {
      const server = yield* Server.fresh
      yield* Effect.flip((yield* application({ scope: "" })).get)
      const [request] = yield* server.requests("bitquery")
      expect(request?.form["scope"] ?? "").toBe("")
    }))

  it.effect("layerStatic refuses a blank token when the layer is built", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Layer.build(Bitquery.layerStatic(Redacted.make(" "))).pipe(Effect.scoped))
      expect(error).toMatchObject({ _tag: "InvalidConfiguration", setting: "accessToken" })
    }))

  it.effect("layerConfig uses BITQUERY_CLIENT_ID and BITQUERY_CLIENT_SECRET, with BITQUERY_TOKEN_URL", () =>
    Effect.gen(function*() {
      const server = yield* Server.fresh
      const token = yield* TokenProvider.get.pipe(
        Effect.provide(Bitquery.layerConfig().pipe(Layer.provide(fromEnvironment(server.environment))))
      )
      expect(Redacted.value(token.value)).toMatch(/^ory_at_/)
      expect(yield* server.requestCount("bitquery")).toBe(1)
    }))

  it.effect("layerConfig uses BITQUERY_ACCESS_TOKEN when no application credentials are set", () =>
    Effect.gen(function*() {
      const server = yield* Server.fresh
      const variables = { BITQUERY_ACCESS_TOKEN: Redacted.value(server.credentials.bitquery.accessToken) }
      const token = yield* TokenProvider.get.pipe(
        Effect.provide(Bitquery.layerConfig().pipe(Layer.provide(fromEnvironment(variables))))
      )
      expect(yield* graphql(token.value)).toBe(200)
      expect(yield* server.requestCount("bitquery")).toBe(0)
    }))
})

layer(Server.layer())("Bitquery configuration: an empty variable counts as unset next to a console token (named as empty alone: Configuration.test.ts)", (it) => {
  it.effect("an empty BITQUERY_CLIENT_ID next to BITQUERY_ACCESS_TOKEN counts as unset: the console token is used", () =>
    Effect.gen(function*() {
      const server = yield* Server.fresh
      const variables = { BITQUERY_CLIENT_ID: "", BITQUERY_ACCESS_TOKEN: Redacted.value(server.credentials.bitquery.accessToken) }
      const token = yield* TokenProvider.get.pipe(
        Effect.provide(Bitquery.layerConfig().pipe(Layer.provide(fromEnvironment(variables))))
      )
      expect(yield* graphql(token.value)).toBe(200)
      expect(yield* server.requestCount("bitquery")).toBe(0)
    }))
})
