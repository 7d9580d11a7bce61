/**
 * Faults below HTTP (the rows of `@effect-bearer/conformance/TransportFaults`) from a raw TCP
 * server, through each Node HTTP client, in real time with a 250 ms endpoint timeout so that a
 * hang shows up as a `Timeout`; every test is bounded by a few seconds of real time besides.
 */
import { describe, expect, it } from "@effect/vitest"
import * as RawTcpServer from "@effect-bearer/conformance/RawTcpServer"
import * as TransportFaults from "@effect-bearer/conformance/TransportFaults"
import { Effect, Redacted, Schedule } from "effect"
import { ClientAuthentication, Grant, TokenEndpoint, TokenProvider } from "@effect-bearer/core"
import { clients, fieldsOf, typedFailure } from "./Outcome.js"
import * as RawTcp from "./RawTcp.js"

const credentials = ClientAuthentication.clientSecretPost({ clientId: "tcp-client", clientSecret: Redacted.make("tcp-secret") })

describe.each(clients)("transport faults through the %s client", (_, client) => {
  for (const row of TransportFaults.rows) {
    it.live(`${row.name} → ${row.expected._tag} (${row.expected.reason})`, () =>
      Effect.gen(function*() {
        const url = row.server === "refused" ? yield* RawTcp.refusedUrl : (yield* RawTcp.make(row.server)).tokenUrl
        const endpoint = yield* Effect.orDie(TokenEndpoint.make({ url, clientAuthentication: credentials, timeout: "250 millis" }))
        const error = yield* typedFailure(yield* Effect.exit(TokenEndpoint.requestToken(endpoint, Grant.clientCredentials)))
        expect(fieldsOf(error)).toMatchObject({ ...row.expected, endpoint: url })
        expect(error.message).toContain(url)
      }).pipe(Effect.provide(client), Effect.timeout("5 seconds")))
  }

  it.live("headers dribbled slowly but within the timeout → a token", () =>
    Effect.gen(function*() {
      const server = yield* RawTcp.make(RawTcpServer.dribble(RawTcpServer.response("200 OK", TransportFaults.tokenBody), 1))
      const endpoint = yield* Effect.orDie(TokenEndpoint.make({ url: server.tokenUrl, clientAuthentication: credentials, timeout: "5 seconds" }))
      const token = yield* TokenEndpoint.requestToken(endpoint, Grant.clientCredentials)
      expect(Redacted.value(token.value)).toBe("slow-but-fine")
      const [request, ...others] = yield* server.received
      expect(others).toEqual([])
      expect(request).toMatch(/^POST \/token HTTP\/1\.1\r\n/)
    }).pipe(Effect.provide(client), Effect.timeout("10 seconds")))
})

describe("a silent endpoint under a provider", () => {
  // Exchange 1 times out on its own at 300 ms and is retried at 350 ms; exchange 2 is cut at the
  // acquisition's 500 ms: the acquisition's timeout error (the provider's name), not the exchange's.
  it.live("each exchange ends at its timeout or the acquisition's deadline, whichever is first, with that one's error", () =>
    Effect.gen(function*() {
      const server = yield* RawTcp.make(() => {})
      const provider = yield* Effect.orDie(TokenProvider.fromEndpoint({
        url: server.tokenUrl,
        grant: Grant.clientCredentials,
        clientAuthentication: credentials,
        timeout: "300 millis",
        acquisitionTimeout: "500 millis",
        retry: Schedule.spaced("50 millis"),
        backgroundRefresh: false
      }))
      const error = yield* typedFailure(yield* Effect.exit(provider.get))
      expect(fieldsOf(error)).toMatchObject({ _tag: "TemporarilyUnavailable", reason: "Timeout", endpoint: provider.name })
      expect(provider.name).toBe(new URL(server.tokenUrl).host)
      expect((yield* server.received).length).toBe(2)
    }).pipe(Effect.provide(clients[0]![1]), Effect.timeout("5 seconds")))
})
