/**
 * Faults below HTTP (the rows of `@effect-bearer/conformance/TransportFaults`), produced by a
 * raw TCP server: refused connections, resets, silence, dribbled bytes and bytes that are not
 * HTTP. Real time (`it.live`) with a 250 ms endpoint timeout, so a hang shows up as a
 * `Timeout`, and every test is bounded by a few seconds of real time besides.
 */
import { describe, expect, it } from "@effect/vitest"
import * as TransportFaults from "@effect-bearer/conformance/TransportFaults"
import { Effect, Redacted } from "effect"
import { ClientAuthentication, Grant, TokenEndpoint } from "@effect-bearer/core"
import { clients, fieldsOf, typedFailure } from "./support/Outcome.js"
import * as RawTcpServer from "./support/RawTcpServer.js"

const credentials = ClientAuthentication.clientSecretPost({ clientId: "tcp-client", clientSecret: Redacted.make("tcp-secret") })

const endpointAt = (url: string) =>
  TokenEndpoint.make({ url, clientAuthentication: credentials, timeout: "250 millis" })

describe.each(clients)("transport faults through the %s client", (_, client) => {
  for (const row of TransportFaults.rows) {
    it.live(`${row.name} → ${row.expected._tag} (${row.expected.reason})`, () =>
      Effect.gen(function*() {
        const url = row.server === "refused" ? yield* RawTcpServer.refusedUrl : (yield* RawTcpServer.make(row.server)).tokenUrl
        const endpoint = yield* endpointAt(url)
        const error = yield* typedFailure(TokenEndpoint.requestToken(endpoint, Grant.clientCredentials))
        expect(fieldsOf(error)).toMatchObject({ ...row.expected, endpoint: url })
        expect(error.message).toContain(url)
      }).pipe(Effect.scoped, Effect.provide(client), Effect.timeout("5 seconds")))
  }

  it.live("headers dribbled slowly but within the timeout → a token", () =>
    Effect.gen(function*() {
      const server = yield* RawTcpServer.make(RawTcpServer.dribble(RawTcpServer.response("200 OK", TransportFaults.tokenBody), 1))
      const endpoint = yield* TokenEndpoint.make({ url: server.tokenUrl, clientAuthentication: credentials, timeout: "5 seconds" })
      const token = yield* TokenEndpoint.requestToken(endpoint, Grant.clientCredentials)
      expect(Redacted.value(token.value)).toBe("slow-but-fine")
      const [request, ...others] = yield* server.received
      expect(others).toEqual([])
      expect(request).toMatch(/^POST \/token HTTP\/1\.1\r\n/)
    }).pipe(Effect.scoped, Effect.provide(client), Effect.timeout("10 seconds")))
})
