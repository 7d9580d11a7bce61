import { expect, layer } from "@effect/vitest"
import * as Up42Sessions from "@effect-bearer/conformance/Up42Sessions"
import { Clock, Effect, Redacted, Schedule } from "effect"
import { TestClock } from "effect/testing"
import { HttpClient, HttpClientError } from "effect/http"
import { LocalProviderServer, Up42Account } from "@effect-bearer/providers"
import * as Server from "./support/server.js"

const account = (options: Partial<Up42Account.Options> = {}) =>
  Effect.flatMap(Server.server, (server) =>
    Up42Account.make({
      username: server.credentials.up42Account.username,
      password: server.credentials.up42Account.password,
      tokenUrl: server.urls["up42-account"].tokenUrl,
      ...options
    }))

const apiStatus = (token: Redacted.Redacted<string>) =>
  Effect.flatMap(Server.server, (server) => Effect.map(Server.callApi(server.urls["up42-account"].apiUrl, token), (answer) => answer.status))

layer(Server.layer())("Up42Account", (it) => {
  it.effect("renews with the refresh token while it lives, then with the password grant again", () =>
    Effect.gen(function*() {
      const server = yield* Server.fresh
      const startedAt = yield* Clock.currentTimeMillis
      const provider = yield* account({ ...Server.jumpingClock, backgroundRefresh: { at: 0.8, jitter: 0 } })
      yield* provider.get
      // Over an hour of simulated time, calling the API every 20 seconds.
      for (let second = 20; second <= 4000; second += 20) {
        yield* TestClock.adjust("20 seconds")
        // A background refresh that just started is on the wire: let it land before the next call.
        yield* Server.settle
        const token = yield* provider.get
        expect(yield* apiStatus(token.value), `API call at ${second} s`).toBe(200)
      }
      Up42Sessions.check(expect, yield* server.requests("up42-account"), startedAt)
    }))

  it.effect("after a 401 from the API (tokens revoked), invalidate gets a fresh token through the password grant", () =>
    Effect.gen(function*() {
      const server = yield* Server.fresh
      const provider = yield* account()
      const first = yield* provider.get
      yield* server.revokeTokens("up42-account")
      expect(yield* apiStatus(first.value)).toBe(401)
      yield* provider.invalidate(first)
      const second = yield* provider.get
      expect(yield* apiStatus(second.value)).toBe(200)
      expect((yield* server.requests("up42-account")).map((request) => [request.form["grant_type"], request.status])).toEqual([
        ["password", 200],
        ["refresh_token", 400],
        ["password", 200]
      ])
    }))

  it.effect("a 404 is WrongHost with the hint that tokens come from auth.sa.up42.com, not api.sa.up42.com", () =>
    Effect.gen(function*() {
      const server = yield* Server.fresh
      const error = yield* Effect.flip(
        (yield* account({ tokenUrl: `${server.origin}/up42-account/api/realms/public/protocol/openid-connect/token` })).get
      )
      expect(error).toMatchObject({ _tag: "WrongHost", reason: "NotFound", status: 404, hint: Up42Account.hints.WrongHost })
      expect(error.message).toContain("UP42 tokens come from auth.sa.up42.com, not api.sa.up42.com")
    }))

  it.effect("UP42_REGION=eu names the EU hosts in the 404 hint; without it, the South-America ones", () =>
    Effect.gen(function*() {
      const server = yield* Server.fresh
      const wrongHost = `${server.origin}/up42-account/api/realms/public/protocol/openid-connect/token`
      const fail = (region: Record<string, string>) =>
        Effect.flip(Server.tokenWith(Up42Account.layerConfig(), { ...server.environment, UP42_TOKEN_URL: wrongHost, ...region }))
      const europe = yield* fail({ UP42_REGION: "eu" })
      expect(europe).toMatchObject({ _tag: "WrongHost", status: 404, hint: Up42Account.regions.eu.hints.WrongHost })
      expect(europe.message).toContain(
        "UP42 tokens come from auth.up42.com, not api.up42.com (which serves the rest of the API): the token URL is https://auth.up42.com/realms/public/protocol/openid-connect/token"
      )
      const southAmerica = yield* fail({})
      expect(southAmerica).toMatchObject({ hint: Up42Account.regions.sa.hints.WrongHost })
      expect(southAmerica.message).toContain("auth.sa.up42.com, not api.sa.up42.com")
      expect(Up42Account.hints).toEqual(Up42Account.regions.sa.hints)
      expect(Up42Account.regions.eu).toMatchObject({
        tokenUrl: "https://auth.up42.com/realms/public/protocol/openid-connect/token",
        apiOrigins: ["https://api.up42.com"]
      })
      expect(Up42Account.regions.sa.apiOrigins).toEqual(["https://api.sa.up42.com"])
      // A token through the same region setting: only the hints and the default URL change.
      const token = yield* Server.tokenWith(Up42Account.layerConfig(), { ...server.environment, UP42_REGION: "eu" })
      expect(yield* apiStatus(token.value)).toBe(200)
    }))

  it.effect("the region sets the token URL when none is given; an unknown region fails when the layer is built", () =>
    Effect.gen(function*() {
      // No network: the client records where the token request would go, and refuses it.
      const sent: Array<string> = []
      const recording = HttpClient.make((request) =>
        Effect.andThen(
          Effect.sync(() => sent.push(request.url)),
          Effect.fail(
            new HttpClientError.HttpClientError({ reason: new HttpClientError.TransportError({ request }) })
          )
        )
      )
      const get = (options: Partial<Up42Account.Options>) =>
        Effect.flatMap(
          Up42Account.make({
            username: "me@example.com",
            password: Redacted.make("p"),
            retry: Schedule.recurs(0),
            backgroundRefresh: false,
            ...options
          }),
          (tokens) => Effect.flip(tokens.get)
        ).pipe(Effect.provideService(HttpClient.HttpClient, recording))
      yield* get({ region: "eu" })
      yield* get({})
      yield* get({ region: "sa" })
      expect(sent).toEqual([Up42Account.regions.eu.tokenUrl, Up42Account.regions.sa.tokenUrl, Up42Account.regions.sa.tokenUrl])
      expect(yield* Effect.flip(get({ region: "mars" as Up42Account.Region }))).toMatchObject({
        _tag: "InvalidConfiguration",
        setting: "region",
        problem: "is not one of sa, eu"
      })
      // An unknown UP42_REGION: Configuration.test.ts.
    }))

  it.effect("a 415 is UnsupportedMediaType with UP42's hint", () =>
    Effect.gen(function*() {
      const server = yield* Server.fresh
      yield* server.setFault("up42-account", LocalProviderServer.status(415))
      const error = yield* Effect.flip((yield* account()).get)
      expect(error).toMatchObject({ _tag: "UnsupportedMediaType", status: 415 })
      expect(error.message).toContain("grant_type=password and client_id=up42-api in the body")
    }))

  it.effect("sends another client_id when configured", () =>
    Effect.gen(function*() {
      const server = yield* Server.server
      yield* (yield* account({ clientId: "up42-sdk" })).get
      const [request] = yield* server.requests("up42-account")
      expect(request?.form["client_id"]).toBe("up42-sdk")
    }).pipe(Effect.provide(Server.layer({
      credentials: { up42Account: { ...LocalProviderServer.defaultCredentials.up42Account, clientId: "up42-sdk" } }
    }))))

  it.effect("layerConfig reads UP42_USERNAME, UP42_PASSWORD, UP42_TOKEN_URL and UP42_CLIENT_ID", () =>
    Effect.gen(function*() {
      const server = yield* Server.fresh
      const token = yield* Server.tokenWith(Up42Account.layerConfig(), { ...server.environment, UP42_CLIENT_ID: "up42-api" })
      expect(yield* apiStatus(token.value)).toBe(200)
    }))

  it.effect("fails when the layer is built when the password given in code is blank (from the environment: Configuration.test.ts)", () =>
    Effect.gen(function*() {
      const blank = yield* Server.failureWith(Up42Account.layer({ username: "me@example.com", password: Redacted.make("\t") }), {})
      expect(blank).toMatchObject({ _tag: "InvalidConfiguration", setting: "password", problem: "is empty" })
    }))
})
