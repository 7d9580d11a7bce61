/**
 * The token endpoint's fault table (`@effect-bearer/conformance/TokenEndpointFaults`) against a
 * real server on 127.0.0.1: the HTTP rows through each Node HTTP client, the validation rows
 * once. Each ends in its typed error or a token, never a defect or a hang, after one request.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Faults from "@effect-bearer/conformance/TokenEndpointFaults"
import { Duration, Effect, Option, Redacted } from "effect"
import { ClientAuthentication, Grant, TokenEndpoint } from "@effect-bearer/core"
import * as TokenServer from "../support/TokenServer.js"
import { clients, fieldsOf, typedFailure, withinRealTime } from "./Outcome.js"

const credentials = ClientAuthentication.clientSecretBasic({ clientId: "fault-client", clientSecret: Redacted.make("fault-secret") })

const requestWith = (answer: Faults.FailureRow["answer"]) =>
  Effect.gen(function*() {
    const server = yield* TokenServer.make
    yield* server.handle(() => Effect.succeed(TokenServer.fromAnswer(answer)))
    const endpoint = yield* Effect.orDie(TokenEndpoint.make({ url: server.tokenUrl, clientAuthentication: credentials }))
    return { server, exit: yield* Effect.exit(TokenEndpoint.requestToken(endpoint, Grant.clientCredentials)) }
  })

const expectOneTokenRequest = (server: TokenServer.TokenServer) =>
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
    const { exit, server } = yield* requestWith(row.answer)
    const token = yield* exit
    expect([Redacted.value(token.value), token.tokenType, token.issuedAt, token.lifetimeSource]).toEqual([row.value, "Bearer", 0, row.lifetimeSource])
    expect(token.expiresAt).toBe(Duration.toMillis(Duration.seconds(row.lifetimeSeconds)))
    expect(Option.isNone(token.refreshToken)).toBe(true)
    yield* expectOneTokenRequest(server)
  })

describe.each(clients)("token endpoint faults through the %s client", (_, client) => {
  for (const row of Faults.httpFailures) {
    it.effect(`${row.name} → ${String(row.expected["_tag"])}`, () => expectFailure(row).pipe(withinRealTime("10 seconds"), Effect.provide(client)))
  }
  for (const row of Faults.httpSuccesses) {
    it.effect(`${row.name} → a token`, () => expectToken(row).pipe(withinRealTime("10 seconds"), Effect.provide(client)))
  }
})

describe("token response validation", () => {
  for (const row of Faults.validationFailures) {
    it.effect(`${row.name} → ${String(row.expected["_tag"])}`, () => expectFailure(row).pipe(withinRealTime("10 seconds"), Effect.provide(TokenServer.layerClient)))
  }
  for (const row of Faults.validationSuccesses) {
    it.effect(`${row.name} → a token`, () => expectToken(row).pipe(withinRealTime("10 seconds"), Effect.provide(TokenServer.layerClient)))
  }
})
