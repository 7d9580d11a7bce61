/**
 * The two servers every library is measured against, run in a child process so their
 * CPU time and heap never mix with the measured client's: a token endpoint (RFC 6749
 * client_credentials) and an API that accepts a bearer token only while it has not
 * expired by the server's own clock. Plain node:http on 127.0.0.1, port 0, so the
 * server costs the same for every library.
 *
 * The bench process forks this file and drives it over IPC (see protocol.ts); it is
 * never imported.
 */
import { randomBytes } from "node:crypto"
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import type { ServerCommand, ServerMessage, Settings } from "./protocol.js"
import { apiPaths, credentials, preciseNow } from "./protocol.js"

const responseBody = JSON.stringify({ items: [{ id: 1, name: "scene" }, { id: 2, name: "collection" }] })

const start = async () => {
  let settings: Settings = { lifetimeSeconds: 3600, tokenLatencyMs: 0 }
  // token value -> when it was issued and when it expires (epoch ms, sub-millisecond)
  const tokens = new Map<string, { readonly issuedAt: number; readonly expiresAt: number }>()
  const zero = () => ({ tokenCalls: 0, tokenErrors: 0, apiOk: 0, apiUnauthorized: 0, apiExpired: 0 })
  let counters = zero()
  const waited = new Set<string>()
  const unauthorized = new Set<string>()
  // RFC 6749 §2.3.1: id and secret are form-url-encoded, then joined by ":" and Base64-encoded.
  const formDecode = (value: string) => {
    try {
      return decodeURIComponent(value.replace(/\+/g, " "))
    } catch {
      return undefined
    }
  }
  const basicCredentials = (header: string | undefined) => {
    if (header === undefined || !/^basic /i.test(header)) return undefined
    const decoded = Buffer.from(header.slice(6).trim(), "base64").toString("utf8")
    const colon = decoded.indexOf(":")
    return colon < 0 ? undefined : { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) }
  }

  const readBody = (request: IncomingMessage) =>
    new Promise<string>((resolve, reject) => {
      let body = ""
      request.setEncoding("utf8")
      request.on("data", (chunk: string) => {
        body += chunk
      })
      request.on("end", () => resolve(body))
      request.on("error", reject)
    })

  const sendJson = (response: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) => {
    response.writeHead(status, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(body),
      "cache-control": "no-store",
      ...headers
    })
    response.end(body)
  }

  const tokenServer = createServer(async (request, response) => {
    const body = await readBody(request)
    if (request.method !== "POST" || request.url !== "/token") {
      return sendJson(response, 404, JSON.stringify({ error: "not_found" }))
    }
    const form = new URLSearchParams(body)
    const basic = basicCredentials(request.headers.authorization)
    const authenticated = basic !== undefined
      ? basic.id === credentials.clientId && basic.secret === credentials.clientSecret
      : form.get("client_id") === credentials.clientId && form.get("client_secret") === credentials.clientSecret
    if (!authenticated) {
      counters.tokenErrors++
      return sendJson(response, 401, JSON.stringify({ error: "invalid_client" }), { "www-authenticate": "Basic" })
    }
    if (form.get("grant_type") !== "client_credentials") {
      counters.tokenErrors++
      return sendJson(response, 400, JSON.stringify({ error: "unsupported_grant_type" }))
    }
    const { lifetimeSeconds, tokenLatencyMs } = settings
    if (tokenLatencyMs > 0) await new Promise((resolve) => setTimeout(resolve, tokenLatencyMs))
    const value = randomBytes(24).toString("base64url")
    // The lifetime starts when the token is issued, as at a real server.
    const issuedAt = preciseNow()
    tokens.set(value, { issuedAt, expiresAt: issuedAt + lifetimeSeconds * 1000 })
    counters.tokenCalls++
    sendJson(response, 200, JSON.stringify({ access_token: value, token_type: "Bearer", expires_in: lifetimeSeconds }))
  })

  const apiServer = createServer((request, response) => {
    // Both paths do the same work (read the header, look it up) so only the client differs.
    const header = request.headers.authorization ?? ""
    const value = header.startsWith("Bearer ") ? header.slice(7) : ""
    const token = tokens.get(value)
    const now = preciseNow()
    const id = request.headers["x-bench-request"]
    const startedAt = Number(request.headers["x-bench-start"])
    if (typeof id === "string" && token !== undefined && token.issuedAt > startedAt) waited.add(id)
    request.resume()
    if (request.url === apiPaths.open) {
      counters.apiOk++
      return sendJson(response, 200, responseBody)
    }
    if (request.url !== apiPaths.protected) return sendJson(response, 404, JSON.stringify({ error: "not_found" }))
    if (token === undefined || now >= token.expiresAt) {
      counters.apiUnauthorized++
      if (token !== undefined) counters.apiExpired++
      if (typeof id === "string") unauthorized.add(id)
      return sendJson(response, 401, JSON.stringify({ error: "invalid_token" }), {
        "www-authenticate": `Bearer error="invalid_token"`
      })
    }
    counters.apiOk++
    sendJson(response, 200, responseBody)
  })

  // Forget expired tokens now and then so 100,000 refresh cycles do not grow this process.
  setInterval(() => {
    const now = preciseNow()
    for (const [value, token] of tokens) if (token.expiresAt + 60_000 < now) tokens.delete(value)
  }, 5_000).unref()

  const listen = (server: ReturnType<typeof createServer>) =>
    new Promise<string>((resolve) => {
      server.keepAliveTimeout = 30_000
      server.maxRequestsPerSocket = 0
      server.listen({ host: "127.0.0.1", port: 0, backlog: 16_384 }, () => {
        const { port } = server.address() as AddressInfo
        resolve(`http://127.0.0.1:${port}`)
      })
    })
  const [tokenOrigin, apiOrigin] = await Promise.all([listen(tokenServer), listen(apiServer)])

  process.on("message", (command: ServerCommand) => {
    switch (command.type) {
      case "configure":
        settings = command.settings
        break
      case "reset":
        // Idle keep-alive connections of the previous library would hold file descriptors
        // (10,000 of them after a stampede) into the next library's measure.
        tokenServer.closeIdleConnections()
        apiServer.closeIdleConnections()
        counters = zero()
        tokens.clear()
        waited.clear()
        unauthorized.clear()
        break
      case "counters":
        break
    }
    const reply: ServerMessage = {
      type: "reply",
      id: command.id,
      counters: { ...counters, requestsWaited: waited.size, requestsUnauthorized: unauthorized.size }
    }
    process.send?.(reply)
  })
  process.on("disconnect", () => process.exit(0))
  const ready: ServerMessage = { type: "ready", tokenOrigin, apiOrigin }
  process.send?.(ready)
}

void start()
