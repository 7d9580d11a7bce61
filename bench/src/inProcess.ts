/**
 * An in-process token endpoint for the memory measure: 100,000 real HTTP round trips
 * would take minutes per library, so each library's own token-request code (request
 * building, response parsing, token object) runs against a stand-in that answers
 * the same RFC 6749 §5.1 body without a socket. Each library is given the stand-in
 * through its documented seam: an `HttpClient` layer (effect-bearer), the `fetch`
 * setting (@badgateway/oauth2-client), `customFetch` (openid-client), and an
 * `http.Agent` in `http` options (simple-oauth2, which uses @hapi/wreck over node:http).
 */
import { randomBytes } from "node:crypto"
import { Agent } from "node:http"
import { Duplex } from "node:stream"

/** A fresh token response, one hour long unless told, as the local server sends it. */
export const tokenResponseBody = (lifetimeSeconds = 3600): string =>
  JSON.stringify({ access_token: randomBytes(24).toString("base64url"), token_type: "Bearer", expires_in: lifetimeSeconds })

/**
 * A token response as fetch and undici hand it over: the body with the headers a server
 * sends, Content-Length included (a `Response` built from a string does not add one).
 */
export const tokenResponse = (lifetimeSeconds = 3600): Response => {
  const body = tokenResponseBody(lifetimeSeconds)
  return new Response(body, {
    status: 200,
    headers: {
      "content-type": "application/json",
      "cache-control": "no-store",
      "content-length": String(Buffer.byteLength(body))
    }
  })
}

/** A `fetch` that answers every request with a fresh token response. */
export const inProcessFetch = async (_input: unknown, init?: { readonly body?: unknown }): Promise<Response> => {
  // Consume what the library sent, as a server would read it.
  if (init?.body instanceof URLSearchParams) init.body.toString()
  return tokenResponse()
}

/**
 * A socket stand-in that reads one HTTP/1.1 request and answers it with a fresh token
 * response, then ends: node:http parses the answer exactly as it would from a server.
 */
class TokenEndpointSocket extends Duplex {
  private received = ""
  private answered = false

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.received += chunk.toString()
    const headersEnd = this.received.indexOf("\r\n\r\n")
    if (!this.answered && headersEnd >= 0) {
      const length = /content-length:\s*(\d+)/i.exec(this.received.slice(0, headersEnd))
      if (this.received.length - headersEnd - 4 >= Number(length?.[1] ?? 0)) {
        this.answered = true
        const body = tokenResponseBody()
        this.push(
          "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncache-control: no-store\r\n" +
            `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`
        )
        this.push(null)
      }
    }
    callback()
  }

  override _read(): void {}

  // node:http calls these on real sockets.
  setNoDelay(): this {
    return this
  }
  setKeepAlive(): this {
    return this
  }
  setTimeout(): this {
    return this
  }
  ref(): this {
    return this
  }
  unref(): this {
    return this
  }
}

/** An `http.Agent` whose every connection is a {@link TokenEndpointSocket}. */
export class InProcessAgent extends Agent {
  constructor() {
    super({ keepAlive: false })
  }
  override createConnection(): Duplex {
    return new TokenEndpointSocket()
  }
}
