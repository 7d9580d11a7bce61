/**
 * Each provider's protected API route: it answers the bearer of a live token of that provider (RFC 6750 §3).
 */
import { describe, expect, it } from "vitest"
import { json, make, request, up42ProjectToken } from "./support/TestServer.js"

describe("protected APIs", () => {
  it("UP42's public endpoints answer without a token; the others challenge", async () => {
    const { server } = make()
    const collections = await server.handle(request("GET", server.urls["up42-account"].publicApiUrl))
    expect(collections.status).toBe(200)
    expect(json(collections)).toMatchObject({ data: [{ name: "local-collection" }] })
    const account = await server.handle(request("GET", server.urls["up42-account"].apiUrl))
    expect(account.status).toBe(401)
    expect(server.requestCount("up42-account", "api")).toBe(2)
    expect(server.requestCount("up42-account")).toBe(0)
  })

  it("its APIs answer 401 with a bearer challenge to a missing token, without an error code", async () => {
    const { server } = make()
    const response = await server.handle(request("GET", server.urls.hydrosat.apiUrl))
    expect(response.status).toBe(401)
    expect(response.headers["www-authenticate"]).toBe("Bearer realm=\"hydrosat\"")
  })

  it("its APIs answer 401 invalid_token to an unknown token, and Bitquery says Unauthorized in plain text", async () => {
    const { server } = make()
    const response = await server.handle(request("POST", server.urls.bitquery.apiUrl, "ory_at_made-up"))
    expect(response.status).toBe(401)
    expect(response.headers["www-authenticate"]).toContain("error=\"invalid_token\"")
    expect(response.headers["content-type"]).toBe("text/plain")
    expect(response.body).toBe("Unauthorized")
  })

  it("its APIs accept a token until it expires on the server's clock, then answer 401", async () => {
    const { clock, server } = make()
    const token = await up42ProjectToken(server)
    const fresh = await server.handle(request("GET", server.urls["up42-project"].apiUrl, token))
    expect(fresh.status).toBe(200)
    expect(json(fresh)).toMatchObject({ data: [{ id: server.credentials.up42Projects[0]!.projectId }] })
    await clock.adjust(299_000)
    expect((await server.handle(request("GET", server.urls["up42-project"].apiUrl, token))).status).toBe(200)
    await clock.adjust(1_000)
    const expired = await server.handle(request("GET", server.urls["up42-project"].apiUrl, token))
    expect(expired.status).toBe(401)
    expect(expired.headers["www-authenticate"]).toContain("error_description=\"The access token expired\"")
  })

  it("an API refuses another provider's token", async () => {
    const { server } = make()
    const token = await up42ProjectToken(server)
    expect((await server.handle(request("GET", server.urls.hydrosat.apiUrl, token))).status).toBe(401)
  })

  it("revokeTokens makes the APIs refuse every token issued so far, console tokens included", async () => {
    const { server } = make()
    const token = await up42ProjectToken(server)
    const console = server.credentials.bitquery.accessToken
    expect((await server.handle(request("POST", server.urls.bitquery.apiUrl, console))).status).toBe(200)
    server.revokeTokens()
    const refused = await server.handle(request("GET", server.urls["up42-project"].apiUrl, token))
    expect(refused.status).toBe(401)
    expect(refused.headers["www-authenticate"]).toContain("The access token was revoked")
    expect((await server.handle(request("POST", server.urls.bitquery.apiUrl, console))).status).toBe(401)
    const next = await up42ProjectToken(server)
    expect((await server.handle(request("GET", server.urls["up42-project"].apiUrl, next))).status).toBe(200)
  })
})
