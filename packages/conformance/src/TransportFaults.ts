/**
 * Faults below HTTP, one row a case, for a raw TCP server (`RawTcpServer`): refused connections,
 * resets, silence, dribbled bytes and bytes that are not HTTP. Both lines' transport fault
 * suites run them with a 250 ms endpoint timeout (Effect 3:
 * `packages/core/test/faults/TransportFaults.test.ts`).
 */
import * as RawTcpServer from "./RawTcpServer.js"

/** The token the slow-but-fine server answers with. */
export const tokenBody = JSON.stringify({ access_token: "slow-but-fine", token_type: "Bearer", expires_in: 300 })

export interface Row {
  readonly name: string
  /** A server behaviour, or `"refused"` for a port nobody listens on. */
  readonly server: RawTcpServer.Behaviour | "refused"
  readonly expected: { readonly _tag: "TemporarilyUnavailable"; readonly reason: "Transport" | "Timeout"; readonly status: number | undefined }
}

const transport = (status?: number) => ({ _tag: "TemporarilyUnavailable", reason: "Transport", status }) as const
const timeout = { _tag: "TemporarilyUnavailable", reason: "Timeout", status: undefined } as const

export const rows: ReadonlyArray<Row> = [
  { name: "connection refused", server: "refused", expected: transport() },
  { name: "the connection is closed without a response", server: (socket) => socket.end(), expected: transport() },
  { name: "the connection is reset before a response", server: (socket) => socket.resetAndDestroy(), expected: transport() },
  {
    name: "the connection is reset in the middle of the headers",
    server: (socket) => {
      socket.write("HTTP/1.1 200 OK\r\ncontent-type: applic")
      setTimeout(() => socket.resetAndDestroy(), 20)
    },
    expected: transport()
  },
  {
    name: "the connection is reset in the middle of the body",
    server: (socket) => {
      socket.write(RawTcpServer.response("200 OK", tokenBody).slice(0, -20))
      setTimeout(() => socket.resetAndDestroy(), 20)
    },
    expected: transport(200)
  },
  {
    name: "the connection is closed before the body reaches its Content-Length",
    server: (socket) => socket.end(RawTcpServer.response("200 OK", tokenBody).slice(0, -20)),
    expected: transport(200)
  },
  { name: "no response at all", server: () => {}, expected: timeout },
  { name: "headers dribbled slower than the timeout allows", server: RawTcpServer.dribble(RawTcpServer.response("200 OK", tokenBody), 25), expected: timeout },
  {
    name: "a body dribbled slower than the timeout allows, after prompt headers",
    server: (socket, timers) => {
      const whole = RawTcpServer.response("200 OK", tokenBody)
      const body = whole.indexOf("\r\n\r\n") + 4
      socket.write(whole.slice(0, body))
      RawTcpServer.dribble(whole.slice(body), 25)(socket, timers)
    },
    expected: timeout
  },
  { name: "an answer that is not HTTP", server: (socket) => socket.end("SSH-2.0-OpenSSH_9.6\r\n"), expected: transport() }
]
