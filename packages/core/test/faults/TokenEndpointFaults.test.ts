/**
 * The token endpoint's fault table (`@effect-bearer/conformance/TokenEndpointFaults`, after
 * golang.org/x/oauth2's tables) against a real HTTP server on 127.0.0.1: the rows about
 * statuses, headers and bodies through each of the three Node HTTP clients, the validation
 * rows once. Each must end in the right typed error (tag and fields) or in a usable token:
 * never a defect, never a hang, and exactly one request, to the token endpoint. Times are
 * read relative to the test's start (the TestClock need not be at 0).
 */
import { describe, expect, it } from "@effect/vitest"
import * as Faults from "@effect-bearer/conformance/TokenEndpointFaults"
import { Duration, Effect, Option, Redacted } from "effect"
import { ClientAuthentication, Grant, TokenEndpoint } from "@effect-bearer/core"
import * as TestTime from "../support/TestTime.js"
import * as TokenServer from "../support/TokenServer.js"
import { clients, fieldsOf, typedFailure, withinRealTime } from "./support/Outcome.js"

const credentials = ClientAuthentication.clientSecretBasic({ clientId: "fault-client", clientSecret: Redacted.make("fault-secret") })

/** One token request against the server answering `answer`; the request log alongside. */
const requestWith = (answer: Faults.FailureRow["answer"]) =>
  Effect.gen(function*() {
    const start = yield* TestTime.wholeSecond
    const server = yield* TokenServer.TokenServer
    yield* server.handle(() => Effect.succeed(TokenServer.fromAnswer(Faults.answerAt(answer, start))))
    const endpoint = yield* TokenEndpoint.make({ url: server.tokenUrl, clientAuthentication: credentials })
    return { server, start, exit: yield* Effect.exit(TokenEndpoint.requestToken(endpoint, Grant.clientCredentials)) }
  })

/** Exactly one request was made, and it was the token request to the token endpoint. */
const expectOneTokenRequest = (server: TokenServer.TokenServer["Type"]) =>
  Effect.map(server.requests, (requests) => {
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual(["POST /token"])
    expect(requests[0]?.form.get("grant_type")).toBe("client_credentials")
  })

const expectFailure = (row: Faults.FailureRow) =>
  Effect.gen(function*() {
    const { exit, server } = yield* requestWith(row.answer)
    const error = yield* typedFailure(exit)
    expect(fieldsOf(error)).toMatchObject({ ...row.expected, endpoint: server.tokenUrl })
    for (const field of row.absent ?? []) expect(error).not.toHaveProperty(field)
    expect(error.message).toContain(server.tokenUrl)
    yield* expectOneTokenRequest(server)
  })

const expectToken = (row: Faults.SuccessRow) =>
  Effect.gen(function*() {
    const { exit, server, start } = yield* requestWith(row.answer)
    const accessToken = yield* exit
    expect(Redacted.value(accessToken.value)).toBe(row.value)
    expect(accessToken.tokenType).toBe("Bearer")
    expect(accessToken.issuedAt).toBe(start)
    expect(accessToken.expiresAt).toBe(start + Duration.toMillis(Duration.seconds(row.lifetimeSeconds)))
    expect(accessToken.lifetimeSource).toBe(row.lifetimeSource)
    expect(Option.isNone(accessToken.refreshToken)).toBe(true)
    yield* expectOneTokenRequest(server)
  })

describe.each(clients)("token endpoint faults through the %s client", (_, client) => {
  for (const row of Faults.httpFailures) {
    it.effect(`${row.name} → ${String(row.expected["_tag"])}`, () =>
      expectFailure(row).pipe(Effect.provide(client), Effect.provide(TokenServer.layer), withinRealTime("10 seconds")))
  }
  for (const row of Faults.httpSuccesses) {
    it.effect(`${row.name} → a token`, () =>
      expectToken(row).pipe(Effect.provide(client), Effect.provide(TokenServer.layer), withinRealTime("10 seconds")))
  }
})

describe("token response validation", () => {
  for (const row of Faults.validationFailures) {
    it.effect(`${row.name} → ${String(row.expected["_tag"])}`, () =>
      expectFailure(row).pipe(Effect.provide(TokenServer.layer), withinRealTime("10 seconds")))
  }
  for (const row of Faults.validationSuccesses) {
    it.effect(`${row.name} → a token`, () =>
      expectToken(row).pipe(Effect.provide(TokenServer.layer), withinRealTime("10 seconds")))
  }
})
