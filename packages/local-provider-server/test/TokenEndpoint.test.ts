/**
 * The token endpoints of the five providers, their discovery documents and RFC 7009 revocation, as the
 * version-free server answers them (no HTTP, no Effect: `handle` called directly).
 */
import { createHmac } from "node:crypto"
import { describe, expect, it } from "vitest"
import { Jwt } from "@effect-bearer/kernel"
import { LocalProviderServer } from "@effect-bearer/local-provider-server"
import {
  basic,
  formPost,
  hydrosatClient,
  hydrosatTokenRequest,
  json,
  make,
  request,
  up42AccountPassword,
  up42ProjectToken
} from "./support/TestServer.js"

describe("token endpoints", () => {
  it("answers 404 with an RFC 6749 error body to an unknown path, and to a known path with another method", async () => {
    const { server } = make()
    const unknown = await server.handle(formPost(`${server.origin}/realms/public/token`, {}))
    expect(unknown.status).toBe(404)
    expect(json(unknown)).toMatchObject({ error: "not_found" })
    expect((await server.handle(request("GET", server.urls.hydrosat.tokenUrl))).status).toBe(404)
  })

  it("answers 415 when a token request is not form-encoded", async () => {
    const { server } = make()
    for (const url of Object.values(server.urls).map((urls) => urls.tokenUrl)) {
      const response = await server.handle({
        method: "POST",
        url: new URL(url).pathname,
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ grant_type: "client_credentials" })
      })
      expect(response.status, url).toBe(415)
      expect(json(response)).toMatchObject({ error: "invalid_request" })
    }
  })

  it("reads header names in any case", async () => {
    const { server } = make()
    const response = await server.handle({
      ...hydrosatTokenRequest(server),
      headers: { "Content-Type": "application/x-www-form-urlencoded; charset=UTF-8" }
    })
    expect(response.status).toBe(200)
  })

  it("answers 401 to the UP42 account token endpoint without client_id or grant_type", async () => {
    const { server } = make()
    const account = server.credentials.up42Account
    const withoutClientId = await server.handle(
      formPost(server.urls["up42-account"].tokenUrl, { username: account.username, password: account.password, grant_type: "password" })
    )
    expect(withoutClientId.status).toBe(401)
    expect(json(withoutClientId)).toMatchObject({ error: "invalid_client" })
    const withoutGrantType = await server.handle(
      formPost(server.urls["up42-account"].tokenUrl, { username: account.username, password: account.password, client_id: "up42-api" })
    )
    expect(withoutGrantType.status).toBe(401)
    expect(json(withoutGrantType)).toMatchObject({ error: "invalid_request" })
  })

  it("a form-encoded request without grant_type is not a 415: UP42's account page lists it under 401", async () => {
    const { server } = make()
    const response = await server.handle(
      formPost(server.urls["up42-account"].tokenUrl, { client_id: "up42-api", username: "u", password: "p" })
    )
    expect(response.status).toBe(401)
    expect(json(response)).toMatchObject({ error: "invalid_request" })
  })

  it("answers 400 invalid_request, a required parameter missing (RFC 6749 §5.2), to the others' requests without grant_type", async () => {
    const { server } = make()
    const { bitquery, hydrosat, oauth2 } = server.credentials
    const [project] = server.credentials.up42Projects
    const requests = [
      formPost(server.urls["up42-project"].tokenUrl, {}, basic(project!.projectId, project!.projectApiKey)),
      formPost(server.urls.bitquery.tokenUrl, { client_id: bitquery.clientId, client_secret: bitquery.clientSecret, scope: "api" }),
      formPost(server.urls.hydrosat.tokenUrl, hydrosatClient(hydrosat)),
      formPost(server.urls.oauth2.tokenUrl, {}, basic(oauth2.clientId, oauth2.clientSecret))
    ]
    for (const tokenRequest of requests) {
      const response = await server.handle(tokenRequest)
      expect(response.status, tokenRequest.url).toBe(400)
      expect(json(response), tokenRequest.url).toMatchObject({
        error: "invalid_request",
        error_description: expect.stringContaining("grant_type")
      })
    }
  })

  it("Bitquery (Ory Hydra), and Hydrosat on the same grant, answer a missing grant_type before client authentication", async () => {
    const { server } = make()
    for (const url of [server.urls.bitquery.tokenUrl, server.urls.hydrosat.tokenUrl]) {
      const response = await server.handle(formPost(url, { client_id: "unknown", client_secret: "wrong", scope: "api" }))
      expect(response.status, url).toBe(400)
      expect(json(response), url).toEqual({
        error: "invalid_request",
        error_description:
          "The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed. Request parameter 'grant_type' is missing"
      })
    }
  })

  it("answers 400 invalid_scope to a Bitquery token request without scope=api", async () => {
    const { server } = make()
    const { bitquery } = server.credentials
    const form = { grant_type: "client_credentials", client_id: bitquery.clientId, client_secret: bitquery.clientSecret }
    const withoutScope = await server.handle(formPost(server.urls.bitquery.tokenUrl, form))
    expect(withoutScope.status).toBe(400)
    expect(json(withoutScope)).toMatchObject({ error: "invalid_scope" })
    const withScope = await server.handle(formPost(server.urls.bitquery.tokenUrl, { ...form, scope: "api" }))
    expect(withScope.status).toBe(200)
  })

  it("answers 401 with invalid_client and a Basic challenge to a wrong UP42 project key", async () => {
    const { server } = make()
    const [project] = server.credentials.up42Projects
    const response = await server.handle(
      formPost(server.urls["up42-project"].tokenUrl, { grant_type: "client_credentials" }, basic(project!.projectId, "wrong"))
    )
    expect(response.status).toBe(401)
    expect(response.headers["www-authenticate"]).toBe("Basic realm=\"up42\"")
    expect(json(response)).toMatchObject({ error: "invalid_client" })
  })

  it("issues UP42 project tokens as HS512 JWTs with iat and exp from its clock, signed with its key", async () => {
    const { server } = make({}, 1_700_000_000_000)
    const token = await up42ProjectToken(server)
    const [header, payload, signature] = token.split(".")
    expect(Jwt.decode(token)?.header).toEqual({ alg: "HS512", typ: "JWT" })
    expect(signature).toBe(createHmac("sha512", server.signingSecret).update(`${header}.${payload}`).digest("base64url"))
    expect(Jwt.decode(token)?.claims).toMatchObject({
      sub: server.credentials.up42Projects[0]!.projectId,
      iat: 1_700_000_000,
      exp: 1_700_000_300
    })
  })

  it("UP42 account refresh tokens work until the session's refresh_expires_in, then invalid_grant", async () => {
    const { clock, server } = make()
    const refresh = (refreshToken: string) =>
      server.handle(
        formPost(server.urls["up42-account"].tokenUrl, {
          grant_type: "refresh_token",
          refresh_token: refreshToken,
          client_id: "up42-api"
        })
      )
    const login = json(await up42AccountPassword(server))
    expect(login).toMatchObject({
      expires_in: 300,
      refresh_expires_in: 1800,
      token_type: "Bearer",
      "not-before-policy": 0,
      scope: "ACCOUNT_ADMIN USER"
    })
    expect(login["session_state"]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    await clock.adjust(1_700_000)
    const renewed = json(await refresh(login["refresh_token"] as string))
    // The session ends 1800 s after the login: the new tokens do not outlive it.
    expect(renewed).toMatchObject({ expires_in: 100, refresh_expires_in: 100 })
    await clock.adjust(100_000)
    const expired = await refresh(renewed["refresh_token"] as string)
    expect(expired.status).toBe(400)
    expect(json(expired)).toMatchObject({ error: "invalid_grant" })
  })

  it("lifetimes from the options and from setLifetime/setRefreshLifetime, in milliseconds, rounded down to whole seconds on the wire", async () => {
    const { server } = make({ lifetimes: { "up42-account": 60_500 }, refreshLifetimes: { "up42-account": 120_000 } })
    expect(json(await up42AccountPassword(server))).toMatchObject({ expires_in: 60, refresh_expires_in: 120 })
    server.setLifetime("up42-account", 10_000)
    server.setRefreshLifetime("up42-account", 20_000)
    expect(json(await up42AccountPassword(server))).toMatchObject({ expires_in: 10, refresh_expires_in: 20 })
  })

  it("RFC 7009 revocation of a refresh token ends its grant, access tokens included", async () => {
    const { server } = make()
    const client = server.credentials.oauth2
    const tokens = json(
      await server.handle(
        formPost(
          server.urls.oauth2.tokenUrl,
          { grant_type: "password", username: client.username, password: client.password, scope: "read" },
          basic(client.clientId, client.clientSecret)
        )
      )
    ) as { access_token: string; refresh_token: string; scope: string }
    expect(tokens.scope).toBe("read")
    expect((await server.handle(request("GET", server.urls.oauth2.apiUrl, tokens.access_token))).status).toBe(200)
    const revoked = await server.handle(
      formPost(server.urls.oauth2.revocationUrl, {
        token: tokens.refresh_token,
        token_type_hint: "refresh_token",
        client_id: client.clientId,
        client_secret: client.clientSecret
      })
    )
    expect(revoked).toEqual({ status: 200, headers: { "cache-control": "no-store", pragma: "no-cache" }, body: "" })
    expect((await server.handle(request("GET", server.urls.oauth2.apiUrl, tokens.access_token))).status).toBe(401)
    expect(server.requestCount("oauth2", "revocation")).toBe(1)
  })

  it("serves OpenID discovery documents naming its endpoints", async () => {
    const { server } = make()
    const oauth2 = json(await server.handle(request("GET", server.urls.oauth2.discoveryUrl)))
    expect(oauth2).toMatchObject({
      issuer: server.urls.oauth2.issuer,
      token_endpoint: server.urls.oauth2.tokenUrl,
      revocation_endpoint: server.urls.oauth2.revocationUrl
    })
    const keycloak = json(await server.handle(request("GET", server.urls["up42-account"].discoveryUrl)))
    expect(keycloak).toMatchObject({ issuer: server.urls["up42-account"].issuer, token_endpoint: server.urls["up42-account"].tokenUrl })
    expect(keycloak["revocation_endpoint"]).toBeUndefined()
    expect(server.requestCount("oauth2", "discovery")).toBe(1)
  })

  it("takes credentials of its own per provider, the defaults for the others", async () => {
    const { server } = make({ credentials: { hydrosat: { clientId: "mine", clientSecret: "my secret" } } })
    expect(server.credentials.hydrosat).toEqual({ clientId: "mine", clientSecret: "my secret" })
    const mine = await server.handle(hydrosatTokenRequest(server))
    expect(mine.status).toBe(200)
    expect(server.environment["HYDROSAT_CLIENT_ID"]).toBe("mine")
    expect(server.credentials.oauth2).toEqual(LocalProviderServer.defaultCredentials.oauth2)
  })
})
