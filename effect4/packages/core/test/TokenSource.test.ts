import { describe, expect, it } from "@effect/vitest"
import { Cause, Clock, Duration, Effect, Exit, Option, Redacted } from "effect"
import { TestClock } from "effect/testing"
import type { AccessToken } from "@effect-bearer/core"
import { ClientAuthentication, Grant, TokenEndpoint, TokenError, TokenSource } from "@effect-bearer/core"
import { valueOf } from "./support/CountingSource.js"
import * as TokenServer from "./support/TokenServer.js"
import * as TokenSourceCases from "@effect-bearer/conformance/TokenSourceCases"

const refreshValueOf = (token: AccessToken.AccessToken) => Option.map(token.refreshToken, (refresh) => Redacted.value(refresh.value))
const jwt = (claims: Record<string, unknown>) => `e30.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.s`

describe("TokenSource.fromToken", () => {
  it.effect("a plain token never expires, and is issued when fetched", () =>
    Effect.gen(function*() {
      yield* TestClock.adjust("5 seconds")
      const source = TokenSource.fromToken(Redacted.make("console-token"))
      expect([source.name, source.grantType, source.revoke]).toEqual(["static", "static", undefined])
      const token = yield* source.fetch(Option.none())
      expect(valueOf(token)).toBe("console-token")
      expect(token.issuedAt).toBe(5_000)
      expect(token.expiresAt).toBe(Number.POSITIVE_INFINITY)
      expect(token.lifetimeSource).toBe("default")
    }))

  it.effect("a JWT expires at its exp, counted from its iat; past exp it is Expired", () =>
    Effect.gen(function*() {
      const source = TokenSource.fromToken(Redacted.make(jwt({ iat: 10, exp: 70 })), { name: "bitquery" })
      const token = yield* source.fetch(Option.none())
      expect([token.issuedAt, token.expiresAt, token.lifetimeSource]).toEqual([10_000, 70_000, "jwt"])
      yield* TestClock.adjust("70 seconds")
      expect(yield* Effect.flip(source.fetch(Option.none()))).toMatchObject({
        _tag: "Expired",
        reason: "AccessToken",
        expiredAt: 70_000,
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
      const source = yield* TokenSource.scripted([serverError, { token: "one", lifetime: "5 minutes" }, { token: "two", lifetime: "1 minute" }])
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
      expect(Exit.isFailure(exit) && Cause.hasDies(exit.cause) && !Cause.hasFails(exit.cause)).toBe(true)
    }))
})

/** The conformance TokenSourceCases: this line's source over its real token server, on the TestClock. */
describe("TokenSource.fromEndpoint through a local token server", () => {
  for (const row of TokenSourceCases.cases) {
    it.effect(row.name, () =>
      Effect.gen(function*() {
        const server = yield* TokenServer.make
        const rotation = TokenSourceCases.rotatingServer(row.server)
        yield* server.handle((request) => Effect.sync(() => TokenServer.fromAnswer(rotation.answer(request.path, request.form))))
        const endpoint = yield* TokenEndpoint.make({
          url: server.tokenUrl,
          clientAuthentication: ClientAuthentication.publicClient("app"),
          ...(row.revocation === true ? { revocationUrl: `${server.origin}/revoke` } : {})
        }).pipe(Effect.orDie)
        const source = yield* TokenSource.fromEndpoint(
          endpoint,
          row.grant === "password"
            ? Grant.password({ username: "me@example.com", password: Redacted.make("pw") })
            : Grant.refreshToken(Redacted.make(TokenSourceCases.initialRefreshToken))
        )
        const run = Effect.runPromiseWith(yield* Effect.context<never>())
        yield* Effect.promise(() =>
          TokenSourceCases.run<AccessToken.AccessToken>(row, {
            name: source.name,
            grantType: source.grantType,
            tokenUrl: server.tokenUrl,
            canRevoke: source.revoke !== undefined,
            fetch: (previous) =>
              run(Effect.match(source.fetch(Option.fromNullishOr(previous)), {
                onSuccess: (token) => ({
                  _tag: "Token" as const,
                  token,
                  fetched: { value: valueOf(token), refreshToken: Option.getOrUndefined(refreshValueOf(token)) }
                }),
                onFailure: (error) => ({ _tag: "Failed" as const, error })
              })),
            revoke: (token) => run(Effect.orDie(source.revoke?.(token) ?? Effect.void)),
            advance: (seconds) => run(TestClock.adjust(Duration.seconds(seconds))),
            requests: () => run(server.requests)
          }, expect)
        )
      }).pipe(Effect.provide(TokenServer.layerClient)))
  }
})
