/**
 * The faults the server injects, and Fault.inMillis, which reads an Effect line's fault times.
 */
import { describe, expect, it } from "vitest"
import { Fault } from "@effect-bearer/local-provider-server"
import {
  formPost,
  hydrosatTokenRequest,
  json,
  make,
  request,
  up42AccountPassword,
  up42ProjectTokenRequest
} from "./support/TestServer.js"

describe("faults", () => {
  it("a Status fault answers its status and Retry-After for `times` requests, then the endpoint recovers", async () => {
    const { server } = make()
    server.setFault("up42-account", { _tag: "Status", status: 429, retryAfter: 6_500 }, { times: 2 })
    const first = await up42AccountPassword(server)
    expect(first.status).toBe(429)
    expect(first.headers["retry-after"]).toBe("7")
    expect(json(first)).toMatchObject({ error: "temporarily_unavailable" })
    expect((await up42AccountPassword(server)).status).toBe(429)
    expect((await up42AccountPassword(server)).status).toBe(200)
    expect(server.requestCount("up42-account")).toBe(3)
    expect(server.requests("up42-account").map((recorded) => recorded.status)).toEqual([429, 429, 200])
  })

  it("a Status fault's §5.2 code follows its status", async () => {
    const { server } = make()
    const expected = {
      500: "server_error",
      503: "temporarily_unavailable",
      401: "invalid_client",
      404: "not_found",
      415: "invalid_request"
    }
    for (const [status, error] of Object.entries(expected)) {
      server.setFault("hydrosat", Fault.status(Number(status)), { times: 1 })
      const response = await server.handle(formPost(server.urls.hydrosat.tokenUrl, {}))
      expect([response.status, json(response)["error"]]).toEqual([Number(status), error])
    }
  })

  it("a Slow fault waits on the server's clock before answering", async () => {
    const { clock, server } = make()
    server.setFault("up42-account", { _tag: "Slow", delay: 30_000 })
    let answered = false
    const response = up42AccountPassword(server).then((answer) => {
      answered = true
      return answer
    })
    await clock.adjust(0)
    expect(clock.sleeping()).toBe(1)
    await clock.adjust(29_999)
    expect(answered).toBe(false)
    await clock.adjust(1)
    expect((await response).status).toBe(200)
  })

  it("a Slow fault's wait ends when the client goes away: no answer, nothing recorded", async () => {
    const { clock, server } = make()
    server.setFault("up42-account", { _tag: "Slow", delay: 30_000 })
    const client = new AbortController()
    const response = server.handle(formPost(server.urls["up42-account"].tokenUrl, {}), client.signal)
    client.abort()
    await expect(response).rejects.toBeDefined()
    expect(clock.sleeping()).toBe(0)
    expect(server.requestCount("up42-account")).toBe(1)
    expect(server.requests("up42-account")).toEqual([])
  })

  it("body faults break only successful answers", async () => {
    const { server } = make()
    server.setFault("up42-account", Fault.html)
    const page = await up42AccountPassword(server)
    expect([page.status, page.headers["content-type"]]).toEqual([200, "text/html; charset=utf-8"])
    server.setFault("up42-account", Fault.truncatedJson)
    const truncated = await up42AccountPassword(server)
    expect(() => JSON.parse(truncated.body)).toThrow(SyntaxError)
    server.setFault("up42-account", Fault.emptyBody)
    expect(await up42AccountPassword(server)).toEqual({ status: 200, headers: {}, body: "" })
    server.setFault("up42-account", Fault.missingAccessToken)
    const missing = json(await up42AccountPassword(server))
    expect(missing["access_token"]).toBeUndefined()
    expect(missing["refresh_token"]).toBeTypeOf("string")
    const withoutUser = formPost(server.urls["up42-account"].tokenUrl, { grant_type: "password", client_id: "up42-api" })
    const refused = await server.handle(withoutUser)
    expect(refused.status).toBe(401)
  })

  it("token faults change what is issued: token_type mac, an opaque token without expires_in, UP42's top-level accessToken", async () => {
    const { server } = make()
    const hydrosat = () => server.handle(hydrosatTokenRequest(server))
    server.setFault("hydrosat", Fault.unsupportedTokenType, { times: 1 })
    expect(json(await hydrosat())["token_type"]).toBe("mac")
    server.setFault("hydrosat", Fault.opaqueToken, { times: 1 })
    const opaque = json(await hydrosat())
    expect(opaque["access_token"]).toMatch(/^opaque_/)
    expect(opaque["expires_in"]).toBeUndefined()
    server.setFault("up42-project", Fault.topLevelAccessToken, { times: 1 })
    const legacy = json(await server.handle(up42ProjectTokenRequest(server)))
    expect(legacy["accessToken"]).toBeTypeOf("string")
    expect(legacy["data"]).toBeUndefined()
  })

  it("setFault with undefined, and clearFaults, take faults away", async () => {
    const { server } = make()
    server.setFault("hydrosat", Fault.serverError())
    server.setFault("hydrosat", undefined)
    // The endpoint's own answer again: no client credentials, 401 (not the fault's 500).
    expect((await server.handle(formPost(server.urls.hydrosat.tokenUrl, { grant_type: "client_credentials" }))).status).toBe(401)
    server.setFault("hydrosat", Fault.serverError(), { endpoint: "api" })
    server.clearFaults()
    expect((await server.handle(request("GET", server.urls.hydrosat.apiUrl))).status).toBe(401)
  })
})

describe("Fault.inMillis", () => {
  it("reads the times of Status and Slow faults, and passes the others as they are", () => {
    const seconds = (time: { readonly seconds: number }) => time.seconds * 1000
    expect(Fault.inMillis({ _tag: "Status", status: 429, retryAfter: { seconds: 7 } }, seconds))
      .toEqual({ _tag: "Status", status: 429, retryAfter: 7000 })
    expect(Fault.inMillis(Fault.serverError(), seconds)).toEqual({ _tag: "Status", status: 503, retryAfter: undefined })
    expect(Fault.inMillis({ _tag: "Slow", delay: { seconds: 30 } }, seconds)).toEqual({ _tag: "Slow", delay: 30_000 })
    expect(Fault.inMillis(Fault.html, seconds)).toBe(Fault.html)
  })
})
