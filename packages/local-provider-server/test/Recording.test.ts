/**
 * What the server remembers of the requests it answered.
 */
import { describe, expect, it } from "vitest"
import { formPost, make, request, up42ProjectToken } from "./support/TestServer.js"

describe("recording", () => {
  it("counts requests per endpoint", async () => {
    const { server } = make()
    const token = await up42ProjectToken(server)
    await server.handle(request("GET", server.urls["up42-project"].apiUrl, token))
    await server.handle(request("GET", server.urls["up42-project"].apiUrl, token))
    expect(server.requestCount("up42-project")).toBe(1)
    expect(server.requestCount("up42-project", "api")).toBe(2)
    expect(server.requestCount("hydrosat")).toBe(0)
  })

  it("records each request as received, with its form, its time on the server's clock and its status", async () => {
    const { server } = make({}, 1_700_000_000_000)
    await server.handle(formPost(`${server.urls.hydrosat.tokenUrl}?x=1`, { grant_type: "client_credentials", scope: "a" }))
    expect(server.requests("hydrosat")).toEqual([{
      method: "POST",
      url: "/hydrosat/oauth2/token?x=1",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials&scope=a",
      form: { grant_type: "client_credentials", scope: "a" },
      receivedAt: 1_700_000_000_000,
      status: 401
    }])
  })

  it("keeps the most recent requests of an endpoint, as many as told", async () => {
    const { server } = make({ recordedRequests: 2 })
    for (const scope of ["1", "2", "3"]) await server.handle(formPost(server.urls.hydrosat.tokenUrl, { scope }))
    expect(server.requests("hydrosat").map((recorded) => recorded.form["scope"])).toEqual(["2", "3"])
    expect(server.requestCount("hydrosat")).toBe(3)
  })
})
