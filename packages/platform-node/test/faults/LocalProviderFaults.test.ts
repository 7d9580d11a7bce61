/**
 * The local provider server's fault modes, against every provider as users build them:
 * one row per fault, each ending in the right typed error (tag and fields), never a
 * defect or a hang; exactly one token request, and nothing sent to any other endpoint.
 * A transient fault is recovered from by the provider's own retry.
 */
import { describe, expect, layer } from "@effect/vitest"
import { Cause, Duration, Effect, Exit, Option, Redacted, Schedule } from "effect"
import type { TokenError } from "@effect-bearer/core"
import { LocalProviderServer, OAuth2 } from "@effect-bearer/providers"
import * as LocalServer from "../support/LocalServer.js"
import * as Providers from "./support/Providers.js"

interface Row {
  readonly name: string
  readonly fault: LocalProviderServer.Fault
  readonly expected: Partial<Record<string, unknown>> & { readonly _tag: TokenError.TokenError["_tag"] }
  readonly retryAfterSeconds?: number
}

/** One fault and the error it must end in. */
const faultRow = (name: string, fault: LocalProviderServer.Fault, expected: Row["expected"], retryAfterSeconds?: number): Row =>
  retryAfterSeconds === undefined ? { name, fault, expected } : { name, fault, expected, retryAfterSeconds }

const rows: ReadonlyArray<Row> = [
  faultRow("500", LocalProviderServer.serverError(500), { _tag: "TemporarilyUnavailable", reason: "ServerError", status: 500, error: "server_error" }),
  faultRow("502", LocalProviderServer.serverError(502), { _tag: "TemporarilyUnavailable", reason: "ServerError", status: 502 }),
  faultRow("503", LocalProviderServer.serverError(503), { _tag: "TemporarilyUnavailable", reason: "ServerError", status: 503, error: "temporarily_unavailable" }),
  faultRow("429 with Retry-After", LocalProviderServer.rateLimited("7 seconds"), { _tag: "TemporarilyUnavailable", reason: "RateLimited", status: 429 }, 7),
  faultRow("401", LocalProviderServer.status(401), { _tag: "InvalidCredentials", status: 401, error: "invalid_client" }),
  faultRow("404", LocalProviderServer.status(404), { _tag: "WrongHost", reason: "NotFound", status: 404 }),
  faultRow("415", LocalProviderServer.status(415), { _tag: "UnsupportedMediaType", status: 415 }),
  faultRow("an HTML page", LocalProviderServer.html, { _tag: "InvalidTokenResponse", reason: "NotJson", status: 200, detail: "the body is an HTML page, not JSON" }),
  faultRow("truncated JSON", LocalProviderServer.truncatedJson, { _tag: "InvalidTokenResponse", reason: "NotJson", status: 200 }),
  faultRow("an empty 200", LocalProviderServer.emptyBody, { _tag: "InvalidTokenResponse", reason: "NotJson", status: 200 }),
  faultRow("no access_token", LocalProviderServer.missingAccessToken, { _tag: "InvalidTokenResponse", reason: "MissingAccessToken", status: 200 }),
  faultRow("token_type mac", LocalProviderServer.unsupportedTokenType, { _tag: "InvalidTokenResponse", reason: "UnsupportedTokenType", status: 200 }),
  faultRow("an answer slower than the timeout", LocalProviderServer.slow("3 seconds"), { _tag: "TemporarilyUnavailable", reason: "Timeout" })
]

/** Each block shares one server, on the real clock; every test starts with `LocalServer.fresh`. */
const live = { excludeTestServices: true } as const

/** No retries, so each row is one request; a short timeout so the slow row ends quickly. */
const options = { retry: Schedule.stop, timeout: "300 millis", backgroundRefresh: false } as const

describe.each(Providers.all)("local provider server faults: %s", (id, make) => {
  layer(LocalServer.layer, live)((it) => {
    for (const row of rows) {
      it.scoped(`${row.name} → ${row.expected._tag}`, () =>
        Effect.gen(function*() {
          const server = yield* LocalServer.fresh
          yield* server.setFault(id, row.fault)
          const provider = yield* make(server, options)
          const exit = yield* Effect.exit(provider.get)
          const failure = Exit.isFailure(exit) ? Cause.failureOption(exit.cause) : Option.none()
          expect(Exit.isFailure(exit) && !Cause.isDie(exit.cause) && Option.isSome(failure)).toBe(true)
          const error = Option.getOrThrow(failure)
          expect(error).toMatchObject({ ...row.expected, endpoint: server.urls[id].tokenUrl.split("?")[0] })
          if (row.retryAfterSeconds !== undefined) {
            expect(error._tag === "TemporarilyUnavailable" && error.retryAfter !== undefined
              ? Duration.toSeconds(error.retryAfter) : undefined).toBe(row.retryAfterSeconds)
          }
          expect(yield* server.requestCount(id, "token")).toBe(1)
          for (const endpoint of Providers.otherEndpoints) expect(yield* server.requestCount(id, endpoint)).toBe(0)
        }).pipe(Effect.timeout("10 seconds")))
    }

    it.scoped("a 503 once: the provider's own retry recovers, with the credentials only at the token endpoint", () =>
      Effect.gen(function*() {
        const server = yield* LocalServer.fresh
        yield* server.setFault(id, LocalProviderServer.serverError(503), { times: 1 })
        const provider = yield* make(server, { backgroundRefresh: false })
        const token = yield* provider.get
        expect(Redacted.value(token.value)).not.toBe("")
        expect(yield* server.requestCount(id, "token")).toBe(2)
        for (const endpoint of Providers.otherEndpoints) expect(yield* server.requestCount(id, endpoint)).toBe(0)
      }).pipe(Effect.timeout("10 seconds")))
  })
})

layer(LocalServer.layer, live)("local provider server faults on OpenID discovery (generic OAuth2 with an issuer)", (it) => {
  for (
    const [name, fault, tag] of [
      ["503", LocalProviderServer.serverError(503), "TemporarilyUnavailable"],
      ["404", LocalProviderServer.status(404), "WrongHost"],
      ["an HTML page", LocalProviderServer.html, "InvalidTokenResponse"],
      ["truncated JSON", LocalProviderServer.truncatedJson, "InvalidTokenResponse"]
    ] as const
  ) {
    it.scoped(`${name} from the discovery document → ${tag}, and no token request`, () =>
      Effect.gen(function*() {
        const server = yield* LocalServer.fresh
        yield* server.setFault("oauth2", fault, { endpoint: "discovery" })
        const provider = yield* OAuth2.make({
          issuer: server.urls.oauth2.issuer,
          clientId: server.credentials.oauth2.clientId,
          clientSecret: server.credentials.oauth2.clientSecret,
          ...options
        })
        const error = yield* Effect.flip(provider.get)
        expect(error._tag).toBe(tag)
        expect(yield* server.requestCount("oauth2", "discovery")).toBe(1)
        expect(yield* server.requestCount("oauth2", "token")).toBe(0)
      }).pipe(Effect.timeout("10 seconds")))
  }
})
