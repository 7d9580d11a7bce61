/**
 * Faults below HTTP, produced by a raw TCP server: refused connections, resets,
 * silence, dribbled bytes and bytes that are not HTTP. Real time (`it.live`) with a
 * 250 ms endpoint timeout, so a hang shows up as a `Timeout`, and every test is
 * bounded by a few seconds of real time besides.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { ClientAuthentication, Grant, TokenEndpoint } from "@effect-bearer/core"
import { clients, fieldsOf, typedFailure } from "./support/Outcome.js"
import * as RawTcpServer from "./support/RawTcpServer.js"

const tokenBody = JSON.stringify({ access_token: "slow-but-fine", token_type: "Bearer", expires_in: 300 })

/** Writes `text` one byte every `millis`, then runs `done`. */
const dribble = (text: string, millis: number, done: () => void = () => {}): RawTcpServer.Behaviour => (socket, timers) => {
  let sent = 0
  timers.every(millis, () => {
    if (socket.destroyed) return
    if (sent < text.length) socket.write(text[sent++] ?? "")
    else if (sent++ === text.length) done()
  })
}

interface Row {
  readonly name: string
  /** A server behaviour, or `"refused"` for a port nobody listens on. */
  readonly server: RawTcpServer.Behaviour | "refused"
  readonly expected: Partial<ReturnType<typeof fieldsOf>>
}

const rows: ReadonlyArray<Row> = [
  {
    name: "connection refused",
    server: "refused",
    expected: { _tag: "TemporarilyUnavailable", reason: "Transport", status: undefined }
  },
  {
    name: "the connection is closed without a response",
    server: (socket) => socket.end(),
    expected: { _tag: "TemporarilyUnavailable", reason: "Transport", status: undefined }
  },
  {
    name: "the connection is reset before a response",
    server: (socket) => socket.resetAndDestroy(),
    expected: { _tag: "TemporarilyUnavailable", reason: "Transport", status: undefined }
  },
  {
    name: "the connection is reset in the middle of the headers",
    server: (socket) => {
      socket.write("HTTP/1.1 200 OK\r\ncontent-type: applic")
      setTimeout(() => socket.resetAndDestroy(), 20)
    },
    expected: { _tag: "TemporarilyUnavailable", reason: "Transport", status: undefined }
  },
  {
    name: "the connection is reset in the middle of the body",
    server: (socket) => {
      socket.write(RawTcpServer.response("200 OK", tokenBody).slice(0, -20))
      setTimeout(() => socket.resetAndDestroy(), 20)
    },
    expected: { _tag: "TemporarilyUnavailable", reason: "Transport", status: 200 }
  },
  {
    name: "the connection is closed before the body reaches its Content-Length",
    server: (socket) => socket.end(RawTcpServer.response("200 OK", tokenBody).slice(0, -20)),
    expected: { _tag: "TemporarilyUnavailable", reason: "Transport", status: 200 }
  },
  {
    name: "no response at all",
    server: () => {},
    expected: { _tag: "TemporarilyUnavailable", reason: "Timeout", status: undefined }
  },
  {
    name: "headers dribbled slower than the timeout allows",
    server: dribble(RawTcpServer.response("200 OK", tokenBody), 25),
    expected: { _tag: "TemporarilyUnavailable", reason: "Timeout", status: undefined }
  },
  {
    name: "a body dribbled slower than the timeout allows, after prompt headers",
    server: (socket, timers) => {
      const whole = RawTcpServer.response("200 OK", tokenBody)
      const body = whole.indexOf("\r\n\r\n") + 4
      socket.write(whole.slice(0, body))
      dribble(whole.slice(body), 25)(socket, timers)
    },
    expected: { _tag: "TemporarilyUnavailable", reason: "Timeout", status: undefined }
  },
  {
    name: "an answer that is not HTTP",
    server: (socket) => socket.end("SSH-2.0-OpenSSH_9.6\r\n"),
    expected: { _tag: "TemporarilyUnavailable", reason: "Transport", status: undefined }
  }
]

const credentials = ClientAuthentication.clientSecretPost({ clientId: "tcp-client", clientSecret: Redacted.make("tcp-secret") })

const endpointAt = (url: string) =>
  TokenEndpoint.make({ url, clientAuthentication: credentials, timeout: "250 millis" })

describe.each(clients)("transport faults through the %s client", (_, client) => {
  for (const row of rows) {
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
      const server = yield* RawTcpServer.make(dribble(RawTcpServer.response("200 OK", tokenBody), 1))
      const endpoint = yield* TokenEndpoint.make({ url: server.tokenUrl, clientAuthentication: credentials, timeout: "5 seconds" })
      const token = yield* TokenEndpoint.requestToken(endpoint, Grant.clientCredentials)
      expect(Redacted.value(token.value)).toBe("slow-but-fine")
      const [request, ...others] = yield* server.received
      expect(others).toEqual([])
      expect(request).toMatch(/^POST \/token HTTP\/1\.1\r\n/)
    }).pipe(Effect.scoped, Effect.provide(client), Effect.timeout("10 seconds")))
})
