import { describe, expect, it, layer } from "@effect/vitest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Clock, Duration, Effect, Exit, Option, Redacted, Ref, TestClock } from "effect"
import { AccessToken, ClientAuthentication, Grant, TokenEndpoint, TokenError, TokenSource } from "@effect-bearer/core"
import * as TokenServer from "./support/TokenServer.js"

const valueOf = (token: AccessToken.AccessToken) => Redacted.value(token.value)
const refreshValueOf = (token: AccessToken.AccessToken) =>
  Option.map(token.refreshToken, (refresh) => Redacted.value(refresh.value))
const jwt = (claims: Record<string, unknown>) => `e30.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.s`

describe("TokenSource.fromToken", () => {
  it.effect("a plain token never expires, and is issued when fetched", () =>
    Effect.gen(function*() {
      const start = yield* Clock.currentTimeMillis
      yield* TestClock.adjust("5 seconds")
      const source = TokenSource.fromToken(Redacted.make("console-token"))
      expect([source.name, source.grantType, source.revoke]).toEqual(["static", "static", undefined])
      const token = yield* source.fetch(Option.none())
      expect(valueOf(token)).toBe("console-token")
      expect(token.issuedAt).toBe(start + 5_000)
      expect(token.expiresAt).toBe(Number.POSITIVE_INFINITY)
      expect(token.lifetimeSource).toBe("default")
    }))

  it.effect("a JWT expires at its exp, counted from its iat; past exp it is Expired", () =>
    Effect.gen(function*() {
      // Claims are whole seconds: the test's own second, rounded down, is its time 0.
      const start = yield* Clock.currentTimeMillis
      const zero = Math.floor(start / 1000)
      const source = TokenSource.fromToken(Redacted.make(jwt({ iat: zero + 10, exp: zero + 70 })), { name: "bitquery" })
      const token = yield* source.fetch(Option.none())
      expect([token.issuedAt, token.expiresAt, token.lifetimeSource]).toEqual([(zero + 10) * 1000, (zero + 70) * 1000, "jwt"])
      yield* TestClock.adjust((zero + 70) * 1000 - start - 1)
      expect(valueOf(yield* source.fetch(Option.none()))).toBe(valueOf(token))
      yield* TestClock.adjust(1)
      expect(yield* Effect.flip(source.fetch(Option.none()))).toMatchObject({
        _tag: "Expired",
        reason: "AccessToken",
        expiredAt: (zero + 70) * 1000,
        endpoint: "static:bitquery"
      })
    }))

  it.effect("a JWT without iat counts its lifetime from the fetch", () =>
    Effect.gen(function*() {
      yield* TestClock.adjust("20 seconds")
      const now = yield* Clock.currentTimeMillis
      const token = yield* TokenSource.fromToken(Redacted.make(jwt({ exp: now / 1000 + 60 }))).fetch(Option.none())
      expect([token.issuedAt, Duration.toSeconds(token.lifetime)]).toEqual([now, 60])
    }))

  it.effect("a value no Authorization header can carry fails typed, without the value in the error", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(TokenSource.fromToken(Redacted.make("not a token\n")).fetch(Option.none()))
      expect(error).toMatchObject({ _tag: "InvalidTokenResponse", endpoint: "static:static" })
      expect(JSON.stringify(error) + error.message + String(error)).not.toContain("not a token")
    }))
})

describe("TokenSource.scripted", () => {
  const serverError = new TokenError.TemporarilyUnavailable({ endpoint: "test", status: 503, reason: "ServerError" })

  it.effect("plays tokens and errors in order, repeats the last step, and counts the fetches", () =>
    Effect.gen(function*() {
      const source = yield* TokenSource.scripted([
        serverError,
        { token: "one", lifetime: "5 minutes" },
        { token: "two", lifetime: "1 minute" }
      ])
      expect([source.name, source.grantType]).toEqual(["scripted", "scripted"])
      expect(yield* Effect.flip(source.fetch(Option.none()))).toBe(serverError)
      const one = yield* source.fetch(Option.none())
      expect([valueOf(one), Duration.toSeconds(one.lifetime), one.lifetimeSource]).toEqual(["one", 300, "expires_in"])
      expect(valueOf(yield* source.fetch(Option.none()))).toBe("two")
      expect(valueOf(yield* source.fetch(Option.none()))).toBe("two")
      expect(yield* source.fetches).toBe(4)
    }))

  it.effect("a step's refresh token rides on its token, without a lifetime", () =>
    Effect.gen(function*() {
      const source = yield* TokenSource.scripted([{ token: "one", lifetime: "5 minutes", refreshToken: "rt-1" }])
      const token = yield* source.fetch(Option.none())
      expect(refreshValueOf(token)).toEqual(Option.some("rt-1"))
      expect(Option.flatMap(token.refreshToken, (refresh) => refresh.expiresAt)).toEqual(Option.none())
    }))

  it.effect("an empty script is a defect, not a token error", () =>
    Effect.gen(function*() {
      const source = yield* TokenSource.scripted([])
      const exit = yield* Effect.exit(source.fetch(Option.none()))
      expect(Exit.isFailure(exit) && exit.cause._tag === "Die").toBe(true)
    }))
})

/**
 * An authorization server that rotates refresh tokens: `access-N` with `refresh-N`, or what
 * `onRefresh` says for a `refresh_token` grant; `/revoke` answers 200. The requests it sees
 * from now on are `requests`.
 */
const rotating = (options: {
  readonly grant: Grant.Grant
  readonly onRefresh?: "rotate" | "keep" | "refuse"
  readonly refreshExpiresIn?: number
  readonly revocation?: boolean
}) =>
  Effect.gen(function*() {
    const server = yield* TokenServer.TokenServer
    const before = (yield* server.requests).length
    const issued = yield* Ref.make(0)
    yield* server.handle((request) =>
      Effect.gen(function*() {
        if (request.path === "/revoke") return HttpServerResponse.empty({ status: 200 })
        const refreshing = request.form.get("grant_type") === "refresh_token"
        if (refreshing && options.onRefresh === "refuse") {
          return TokenServer.json({ error: "invalid_grant", error_description: "Token is not active" }, { status: 400 })
        }
        const n = yield* Ref.updateAndGet(issued, (k) => k + 1)
        return TokenServer.tokenResponse(`access-${n}`, {
          expires_in: 300,
          ...(refreshing && options.onRefresh === "keep" ? {} : { refresh_token: `refresh-${n}` }),
          ...(options.refreshExpiresIn !== undefined ? { refresh_expires_in: options.refreshExpiresIn } : {})
        })
      })
    )
    const endpoint = yield* TokenEndpoint.make({
      url: server.tokenUrl,
      clientAuthentication: ClientAuthentication.publicClient("app"),
      ...(options.revocation === true ? { revocationUrl: `${server.origin}/revoke` } : {})
    })
    const source = yield* TokenSource.fromEndpoint(endpoint, options.grant)
    const requests = Effect.map(server.requests, (all) => all.slice(before))
    const grants = Effect.map(requests, (all) => all.map((r) => [r.form.get("grant_type"), r.form.get("refresh_token")]))
    return { server, source, requests, grants }
  })

const password = Grant.password({ username: "me@example.com", password: Redacted.make("pw") })

layer(TokenServer.layer)("TokenSource.fromEndpoint through a local token server", (it) => {
  it.effect("sends the grant first, named after the endpoint's host", () =>
    Effect.gen(function*() {
      const { grants, server, source } = yield* rotating({ grant: password })
      expect([source.name, source.grantType]).toEqual([new URL(server.tokenUrl).host, "password"])
      expect(valueOf(yield* source.fetch(Option.none()))).toBe("access-1")
      expect(yield* grants).toEqual([["password", null]])
    }))

  it.effect("renews with the previous token's refresh token, then with the rotated one", () =>
    Effect.gen(function*() {
      const { grants, source } = yield* rotating({ grant: password })
      const first = yield* source.fetch(Option.none())
      const second = yield* source.fetch(Option.some(first))
      const third = yield* source.fetch(Option.some(second))
      expect([first, second, third].map(refreshValueOf)).toEqual(["refresh-1", "refresh-2", "refresh-3"].map(Option.some))
      expect(yield* grants).toEqual([["password", null], ["refresh_token", "refresh-1"], ["refresh_token", "refresh-2"]])
    }))

  it.effect("sends a refresh token at most once: the same previous token again gets the original grant", () =>
    Effect.gen(function*() {
      const { grants, source } = yield* rotating({ grant: password })
      const first = yield* source.fetch(Option.none())
      yield* source.fetch(Option.some(first))
      expect(valueOf(yield* source.fetch(Option.some(first)))).toBe("access-3")
      expect(yield* grants).toEqual([["password", null], ["refresh_token", "refresh-1"], ["password", null]])
    }))

  it.effect("keeps the refresh token when the answer carries none (RFC 6749 §6), and sends it again next time", () =>
    Effect.gen(function*() {
      const { grants, source } = yield* rotating({ grant: password, onRefresh: "keep" })
      const first = yield* source.fetch(Option.none())
      const second = yield* source.fetch(Option.some(first))
      expect(refreshValueOf(second)).toEqual(Option.some("refresh-1"))
      yield* source.fetch(Option.some(second))
      expect(yield* grants).toEqual([["password", null], ["refresh_token", "refresh-1"], ["refresh_token", "refresh-1"]])
    }))

  it.effect("falls back to the original grant when the refresh token is refused", () =>
    Effect.gen(function*() {
      const { grants, source } = yield* rotating({ grant: password, onRefresh: "refuse" })
      const first = yield* source.fetch(Option.none())
      expect(valueOf(yield* source.fetch(Option.some(first)))).toBe("access-2")
      expect(yield* grants).toEqual([["password", null], ["refresh_token", "refresh-1"], ["password", null]])
    }))

  it.effect("does not send a refresh token past its refresh_expires_in", () =>
    Effect.gen(function*() {
      const { grants, source } = yield* rotating({ grant: password, refreshExpiresIn: 200 })
      const first = yield* source.fetch(Option.none())
      yield* TestClock.adjust("200 seconds")
      yield* source.fetch(Option.some(first))
      expect(yield* grants).toEqual([["password", null], ["password", null]])
    }))

  it.effect("with Grant.refreshToken, a refused refresh token is Expired and never sent again", () =>
    Effect.gen(function*() {
      const { grants, source } = yield* rotating({
        grant: Grant.refreshToken(Redacted.make("refresh-0")),
        onRefresh: "refuse"
      })
      expect(source.grantType).toBe("refresh_token")
      expect(yield* Effect.flip(source.fetch(Option.none()))).toMatchObject({ _tag: "Expired", reason: "RefreshToken" })
      expect(yield* Effect.flip(source.fetch(Option.none()))).toMatchObject({ _tag: "Expired", reason: "RefreshToken" })
      expect(yield* grants).toEqual([["refresh_token", "refresh-0"]])
    }))

  it.effect("revokes nothing without a revocation endpoint", () =>
    Effect.gen(function*() {
      const { source } = yield* rotating({ grant: password })
      expect(source.revoke).toBeUndefined()
    }))

  it.effect("revokes the refresh token, then the access token (RFC 7009)", () =>
    Effect.gen(function*() {
      const { requests, source } = yield* rotating({ grant: password, revocation: true })
      const token = yield* source.fetch(Option.none())
      yield* Effect.orDie(source.revoke?.(token) ?? Effect.void)
      const revocations = (yield* requests).filter((r) => r.path === "/revoke")
      expect(revocations.map((r) => [r.form.get("token"), r.form.get("token_type_hint")])).toEqual([
        ["refresh-1", "refresh_token"],
        ["access-1", "access_token"]
      ])
    }))
})
