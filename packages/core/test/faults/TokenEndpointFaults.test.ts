/**
 * One row per way a token endpoint can answer badly (after golang.org/x/oauth2's
 * tables), against a real HTTP server on 127.0.0.1; the rows about statuses, headers
 * and bodies run through each of the three Node HTTP clients. Each must end in the
 * right typed error (tag and fields) or in a usable token: never a defect, never a hang, and exactly one request, to the
 * token endpoint.
 */
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Option, Redacted, Stream } from "effect"
import { ClientAuthentication, Grant, TokenEndpoint } from "@effect-bearer/core"
import type { TokenError } from "@effect-bearer/core"
import * as TokenServer from "../support/TokenServer.js"
import { clients, fieldsOf, typedFailure, withinRealTime } from "./support/Outcome.js"

const MiB = 1024 * 1024

/** A JSON token response padded with spaces to exactly `bytes` bytes. */
const paddedTokenBody = (bytes: number) => {
  const body = JSON.stringify({ access_token: "padded-token", token_type: "Bearer", expires_in: 300 })
  return body + " ".repeat(bytes - body.length)
}

const html = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>"

interface FailureRow {
  readonly name: string
  readonly respond: TokenServer.Handler
  /** Fields the error must have (compared with `toMatchObject`; `endpoint` is added). */
  readonly expected: Partial<ReturnType<typeof fieldsOf>>
  /** Fields the error must not have, e.g. no `retryAfter` from a garbled header. */
  readonly absent?: ReadonlyArray<string>
}

const respond = (response: HttpServerResponse.HttpServerResponse): TokenServer.Handler => () => Effect.succeed(response)
const token = (body: Record<string, unknown>): TokenServer.Handler => respond(TokenServer.json(body))

/** Statuses, headers and bodies: what each HTTP client might handle differently. */
const httpFailures: ReadonlyArray<FailureRow> = [
  {
    name: "500 with a plain-text body",
    respond: respond(TokenServer.text("Internal Server Error", 500)),
    expected: { _tag: "TemporarilyUnavailable", reason: "ServerError", status: 500 },
    absent: ["retryAfter"]
  },
  {
    name: "500 with an RFC 6749 server_error body",
    respond: respond(TokenServer.json({ error: "server_error", error_description: "database down" }, { status: 500 })),
    expected: { _tag: "TemporarilyUnavailable", reason: "ServerError", status: 500, error: "server_error" }
  },
  {
    name: "502 with an HTML error page",
    respond: respond(TokenServer.text(html, 502, "text/html")),
    expected: { _tag: "TemporarilyUnavailable", reason: "ServerError", status: 502 }
  },
  {
    name: "503 with Retry-After in seconds",
    respond: respond(TokenServer.text("maintenance", 503).pipe(HttpServerResponse.setHeader("retry-after", "120"))),
    expected: { _tag: "TemporarilyUnavailable", reason: "ServerError", status: 503, retryAfterSeconds: 120 }
  },
  {
    name: "503 with Retry-After as an HTTP date (30 s after the TestClock's now)",
    respond: respond(
      TokenServer.text("maintenance", 503).pipe(HttpServerResponse.setHeader("retry-after", new Date(30_000).toUTCString()))
    ),
    expected: { _tag: "TemporarilyUnavailable", reason: "ServerError", status: 503, retryAfterSeconds: 30 }
  },
  {
    name: "503 with a Retry-After that is neither seconds nor a date",
    respond: respond(TokenServer.text("maintenance", 503).pipe(HttpServerResponse.setHeader("retry-after", "soon"))),
    expected: { _tag: "TemporarilyUnavailable", reason: "ServerError", status: 503 },
    absent: ["retryAfter"]
  },
  {
    name: "429 with Retry-After",
    respond: respond(
      TokenServer.json({ error: "temporarily_unavailable" }, { status: 429, headers: { "retry-after": "7" } })
    ),
    expected: { _tag: "TemporarilyUnavailable", reason: "RateLimited", status: 429, retryAfterSeconds: 7 }
  },
  {
    name: "429 without a body",
    respond: respond(HttpServerResponse.empty({ status: 429, headers: { "retry-after": "3" } })),
    expected: { _tag: "TemporarilyUnavailable", reason: "RateLimited", status: 429, retryAfterSeconds: 3 }
  },
  {
    name: "500 with a body over 1 MiB",
    respond: respond(TokenServer.text("x".repeat(2 * MiB), 500)),
    expected: { _tag: "TemporarilyUnavailable", reason: "ServerError", status: 500 }
  },
  {
    name: "200 with an HTML page",
    respond: respond(TokenServer.text(html, 200, "text/html")),
    expected: { _tag: "InvalidTokenResponse", reason: "NotJson", status: 200, detail: "the body is an HTML page, not JSON" }
  },
  {
    name: "200 with truncated JSON",
    respond: respond(TokenServer.text(`{"access_token":"abc","token_type":"Bea`, 200, "application/json")),
    expected: { _tag: "InvalidTokenResponse", reason: "NotJson", status: 200, detail: "the body is not valid JSON" }
  },
  {
    name: "an empty 200",
    respond: respond(HttpServerResponse.empty({ status: 200 })),
    expected: { _tag: "InvalidTokenResponse", reason: "NotJson", status: 200 }
  },
  {
    name: "a 200 body over 1 MiB with a Content-Length",
    respond: respond(TokenServer.text(paddedTokenBody(MiB + 1), 200, "application/json")),
    expected: { _tag: "InvalidTokenResponse", reason: "TooLarge", status: 200, detail: `the body is larger than ${MiB} bytes` }
  },
  {
    name: "a 200 body over 1 MiB, chunked without a Content-Length",
    respond: respond(
      HttpServerResponse.stream(
        Stream.repeatValue(new TextEncoder().encode(" ".repeat(64 * 1024))).pipe(Stream.take(64)),
        { status: 200, contentType: "application/json" }
      )
    ),
    expected: { _tag: "InvalidTokenResponse", reason: "TooLarge", status: 200 }
  }
]

/** One row of a table of failures. */
const fails = (name: string, respond: TokenServer.Handler, expected: FailureRow["expected"]): FailureRow => ({ name, respond, expected })

/** What an `InvalidTokenResponse` to a 200 must say: its reason and, where given, its detail. */
const invalid = (reason: TokenError.InvalidTokenResponse["reason"], detail?: string): FailureRow["expected"] => ({
  _tag: "InvalidTokenResponse",
  reason,
  status: 200,
  ...(detail === undefined ? {} : { detail })
})

/** Token response validation: the same whatever the client. */
const validationFailures: ReadonlyArray<FailureRow> = [
  fails("200 with JSON that is not an object", respond(TokenServer.json(["access_token", "abc"])), invalid("InvalidField", "the body is not a JSON object")),
  fails("200 with JSON null", respond(TokenServer.text("null", 200, "application/json")), invalid("InvalidField")),
  fails(
    "200 with an invalid_client error field",
    token({ error: "invalid_client", error_description: "unknown client" }),
    { _tag: "InvalidCredentials", status: 200, error: "invalid_client" }
  ),
  fails(
    "200 with a temporarily_unavailable error field",
    token({ error: "temporarily_unavailable" }),
    { _tag: "TemporarilyUnavailable", reason: "ServerError", status: 200, error: "temporarily_unavailable" }
  ),
  fails("access_token missing", token({ token_type: "Bearer", expires_in: 300 }), invalid("MissingAccessToken", "there is no access_token")),
  fails("access_token null", token({ access_token: null, token_type: "Bearer" }), invalid("MissingAccessToken")),
  fails("access_token empty", token({ access_token: "", token_type: "Bearer", expires_in: 300 }), invalid("MissingAccessToken", "access_token is empty")),
  fails("access_token only whitespace", token({ access_token: "  \t ", token_type: "Bearer", expires_in: 300 }), invalid("MissingAccessToken", "access_token is empty")),
  fails("access_token a number", token({ access_token: 12345, token_type: "Bearer", expires_in: 300 }), invalid("InvalidField", "access_token is not a string")),
  fails("access_token an object", token({ access_token: { value: "abc" }, token_type: "Bearer", expires_in: 300 }), invalid("InvalidField", "access_token is not a string")),
  fails("expires_in negative", token({ access_token: "abc", token_type: "Bearer", expires_in: -60 }), invalid("InvalidExpiresIn")),
  fails("expires_in zero", token({ access_token: "abc", token_type: "Bearer", expires_in: 0 }), invalid("InvalidExpiresIn")),
  fails("expires_in \"0\"", token({ access_token: "abc", token_type: "Bearer", expires_in: "0" }), invalid("InvalidExpiresIn")),
  fails("expires_in non-numeric", token({ access_token: "abc", token_type: "Bearer", expires_in: "soon" }), invalid("InvalidExpiresIn")),
  fails("expires_in a numeric string that overflows to Infinity", token({ access_token: "abc", token_type: "Bearer", expires_in: "1e400" }), invalid("InvalidExpiresIn")),
  fails("expires_in a boolean", token({ access_token: "abc", token_type: "Bearer", expires_in: true }), invalid("InvalidExpiresIn")),
  fails("token_type mac", token({ access_token: "abc", token_type: "mac", expires_in: 300 }), invalid("UnsupportedTokenType", "token_type \"mac\" is not Bearer")),
  fails("token_type DPoP", token({ access_token: "abc", token_type: "DPoP", expires_in: 300 }), invalid("UnsupportedTokenType")),
  fails("token_type not a string", token({ access_token: "abc", token_type: 1, expires_in: 300 }), invalid("UnsupportedTokenType", "token_type number is not Bearer")),
  fails("refresh_token not a string", token({ access_token: "abc", token_type: "Bearer", expires_in: 300, refresh_token: 7 }), invalid("InvalidField", "refresh_token is not a string"))
]

interface SuccessRow {
  readonly name: string
  readonly respond: TokenServer.Handler
  readonly value: string
  readonly lifetime: Duration.DurationInput
  readonly lifetimeSource: "expires_in" | "jwt" | "default"
}

const httpSuccesses: ReadonlyArray<SuccessRow> = [
  {
    name: "a token response labelled text/plain",
    respond: respond(TokenServer.text(JSON.stringify({ access_token: "plain", token_type: "Bearer", expires_in: 60 }), 200)),
    value: "plain",
    lifetime: "60 seconds",
    lifetimeSource: "expires_in"
  },
  {
    name: "a body of exactly 1 MiB",
    respond: respond(TokenServer.text(paddedTokenBody(MiB), 200, "application/json")),
    value: "padded-token",
    lifetime: "300 seconds",
    lifetimeSource: "expires_in"
  }
]

const validationSuccesses: ReadonlyArray<SuccessRow> = [
  {
    name: "expires_in huge: capped at the maximum lifetime (365 days)",
    respond: token({ access_token: "huge", token_type: "Bearer", expires_in: 1e12 }),
    value: "huge",
    lifetime: "365 days",
    lifetimeSource: "expires_in"
  },
  {
    name: "expires_in the largest double: capped at the maximum lifetime",
    respond: token({ access_token: "largest", token_type: "Bearer", expires_in: Number.MAX_VALUE }),
    value: "largest",
    lifetime: "365 days",
    lifetimeSource: "expires_in"
  },
  {
    name: "expires_in a numeric string",
    respond: token({ access_token: "numeric", token_type: "Bearer", expires_in: "300" }),
    value: "numeric",
    lifetime: "300 seconds",
    lifetimeSource: "expires_in"
  },
  {
    name: "expires_in absent: the default lifetime",
    respond: token({ access_token: "no-expiry", token_type: "Bearer" }),
    value: "no-expiry",
    lifetime: "5 minutes",
    lifetimeSource: "default"
  },
  {
    name: "token_type in lower case",
    respond: token({ access_token: "lower", token_type: "bearer", expires_in: 60 }),
    value: "lower",
    lifetime: "60 seconds",
    lifetimeSource: "expires_in"
  },
  {
    name: "token_type absent",
    respond: token({ access_token: "untyped", expires_in: 60 }),
    value: "untyped",
    lifetime: "60 seconds",
    lifetimeSource: "expires_in"
  }
]

const credentials = ClientAuthentication.clientSecretBasic({ clientId: "fault-client", clientSecret: Redacted.make("fault-secret") })

/** One token request against the server answering with `handler`; the request log alongside. */
const requestWith = (handler: TokenServer.Handler) =>
  Effect.gen(function*() {
    const server = yield* TokenServer.TokenServer
    yield* server.handle(handler)
    const endpoint = yield* TokenEndpoint.make({ url: server.tokenUrl, clientAuthentication: credentials })
    return { server, exit: yield* Effect.exit(TokenEndpoint.requestToken(endpoint, Grant.clientCredentials)) }
  })

/** Exactly one request was made, and it was the token request to the token endpoint. */
const expectOneTokenRequest = (server: TokenServer.TokenServer["Type"]) =>
  Effect.map(server.requests, (requests) => {
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual(["POST /token"])
    expect(requests[0]?.form.get("grant_type")).toBe("client_credentials")
  })

const expectFailure = (row: FailureRow) =>
  Effect.gen(function*() {
    const { exit, server } = yield* requestWith(row.respond)
    const error = yield* typedFailure(exit)
    expect(fieldsOf(error)).toMatchObject({ ...row.expected, endpoint: server.tokenUrl })
    for (const field of row.absent ?? []) expect(error).not.toHaveProperty(field)
    expect(error.message).toContain(server.tokenUrl)
    yield* expectOneTokenRequest(server)
  })

const expectToken = (row: SuccessRow) =>
  Effect.gen(function*() {
    const { exit, server } = yield* requestWith(row.respond)
    const accessToken = yield* exit
    expect(Redacted.value(accessToken.value)).toBe(row.value)
    expect(accessToken.tokenType).toBe("Bearer")
    expect(accessToken.issuedAt).toBe(0)
    expect(accessToken.expiresAt).toBe(Duration.toMillis(Duration.decode(row.lifetime)))
    expect(accessToken.lifetimeSource).toBe(row.lifetimeSource)
    expect(Option.isNone(accessToken.refreshToken)).toBe(true)
    yield* expectOneTokenRequest(server)
  })

describe.each(clients)("token endpoint faults through the %s client", (_, client) => {
  for (const row of httpFailures) {
    it.effect(`${row.name} → ${row.expected._tag}`, () =>
      expectFailure(row).pipe(Effect.provide(client), Effect.provide(TokenServer.layer), withinRealTime("10 seconds")))
  }
  for (const row of httpSuccesses) {
    it.effect(`${row.name} → a token`, () =>
      expectToken(row).pipe(Effect.provide(client), Effect.provide(TokenServer.layer), withinRealTime("10 seconds")))
  }
})

describe("token response validation", () => {
  for (const row of validationFailures) {
    it.effect(`${row.name} → ${row.expected._tag}`, () =>
      expectFailure(row).pipe(Effect.provide(TokenServer.layer), withinRealTime("10 seconds")))
  }
  for (const row of validationSuccesses) {
    it.effect(`${row.name} → a token`, () =>
      expectToken(row).pipe(Effect.provide(TokenServer.layer), withinRealTime("10 seconds")))
  }
})
