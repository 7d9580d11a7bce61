import { describe, expect, it } from "vitest"
import { Providers } from "@effect-bearer/kernel"
import * as OAuth2Environment from "@effect-bearer/kernel/OAuth2Environment"

const read = (variables: Record<string, string>) => OAuth2Environment.read(Providers.oauth2, (name) => variables[name])

describe("OAuth2Environment.read", () => {
  it("reads the endpoint, the client, the password grant, the scope and the audience", () => {
    expect(read({
      OAUTH2_TOKEN_URL: "https://auth.example.com/token",
      OAUTH2_CLIENT_ID: "c",
      OAUTH2_CLIENT_SECRET: "s",
      OAUTH2_CLIENT_AUTHENTICATION: "client_secret_post",
      OAUTH2_GRANT_TYPE: "password",
      OAUTH2_USERNAME: "u",
      OAUTH2_PASSWORD: "p",
      OAUTH2_SCOPE: "read",
      OAUTH2_AUDIENCE: "reports"
    })).toEqual({
      _tag: "Settings",
      settings: {
        tokenUrl: "https://auth.example.com/token",
        issuer: undefined,
        clientId: "c",
        clientSecret: "s",
        clientAuthentication: "client_secret_post",
        grant: { grantType: "password", username: "u", password: "p" },
        scope: "read",
        parameters: { audience: "reports" },
        revocationUrl: undefined
      }
    })
  })

  it("refuses a blank secret, username or password as empty, and an unknown method or grant without its value", () => {
    const base = { OAUTH2_CLIENT_ID: "c" }
    expect(read({ ...base, OAUTH2_CLIENT_SECRET: " " })).toMatchObject({ problem: { variable: "OAUTH2_CLIENT_SECRET", problem: "is empty" } })
    expect(read({ ...base, OAUTH2_GRANT_TYPE: "password", OAUTH2_USERNAME: " ", OAUTH2_PASSWORD: "p" })).toMatchObject({
      problem: { variable: "OAUTH2_USERNAME", problem: expect.stringMatching(/^is empty/) }
    })
    expect(read({ ...base, OAUTH2_GRANT_TYPE: "password", OAUTH2_USERNAME: "u" })).toMatchObject({
      problem: { variable: "OAUTH2_PASSWORD", problem: expect.stringMatching(/^is not set/) }
    })
    const method = read({ ...base, OAUTH2_CLIENT_AUTHENTICATION: "canary-7f3a" })
    expect(method).toMatchObject({ problem: { variable: "OAUTH2_CLIENT_AUTHENTICATION" } })
    expect(JSON.stringify(method)).not.toContain("canary-7f3a")
    expect(read({ ...base, OAUTH2_GRANT_TYPE: "canary" })).toMatchObject({
      problem: { variable: "OAUTH2_GRANT_TYPE", problem: expect.stringContaining("client_credentials or password") }
    })
  })

  it("a Config option for the endpoint or the grant leaves out every variable it stands for", () => {
    const record = OAuth2Environment.recordFor(Providers.oauth2, {
      isGiven: () => true,
      configured: new Set(["issuer", "grant"])
    })
    const names = record.environment.variables.map((variable) => variable.name)
    for (const name of ["OAUTH2_TOKEN_URL", "OAUTH2_ISSUER", "OAUTH2_GRANT_TYPE", "OAUTH2_USERNAME", "OAUTH2_PASSWORD"]) {
      expect(names).not.toContain(name)
    }
  })
})

describe("OAuth2Environment choices", () => {
  it("the endpoint comes from the highest source that sets either URL, and only from it", () => {
    const plain = { tokenUrl: "https://plain.example/token" }
    expect(OAuth2Environment.endpointOf(new Set(), plain, { tokenUrl: undefined, issuer: "https://issuer.example" }))
      .toEqual({ tokenUrl: undefined, issuer: "https://issuer.example" })
    expect(OAuth2Environment.endpointOf(new Set(), plain, { tokenUrl: undefined, issuer: undefined }))
      .toEqual({ tokenUrl: "https://plain.example/token", issuer: undefined })
    expect(OAuth2Environment.endpointOf(new Set(["issuer"]), { issuer: "https://c.example" }, { tokenUrl: "x", issuer: undefined }))
      .toEqual({ tokenUrl: undefined, issuer: "https://c.example" })
  })

  it("the client authentication method: given, none without a secret, post when discovery offers only post, else basic", () => {
    expect(OAuth2Environment.clientAuthenticationMethod("client_secret_post", true, [])).toBe("client_secret_post")
    expect(OAuth2Environment.clientAuthenticationMethod("private_key_jwt", true, [])).toBeUndefined()
    expect(OAuth2Environment.clientAuthenticationMethod(undefined, false, [])).toBe("none")
    expect(OAuth2Environment.clientAuthenticationMethod(undefined, true, ["client_secret_post"])).toBe("client_secret_post")
    expect(OAuth2Environment.clientAuthenticationMethod(undefined, true, [])).toBe("client_secret_basic")
  })
})

describe("OAuth2Environment.clientAuthenticationChoice", () => {
  it("refuses what cannot work, naming the option and never the value", () => {
    expect(OAuth2Environment.clientAuthenticationChoice("canary-7f3a", true, [])).toMatchObject({
      problem: { variable: "clientAuthentication", problem: expect.stringContaining("client_secret_basic, client_secret_post or none") }
    })
    expect(JSON.stringify(OAuth2Environment.clientAuthenticationChoice("canary-7f3a", true, []))).not.toContain("canary-7f3a")
    expect(OAuth2Environment.clientAuthenticationChoice("none", true, [])).toMatchObject({ problem: { variable: "clientSecret" } })
    expect(OAuth2Environment.clientAuthenticationChoice("client_secret_post", false, [])).toEqual({
      problem: { variable: "clientSecret", problem: "is needed for client_secret_post" }
    })
    expect(OAuth2Environment.clientAuthenticationChoice(undefined, false, [])).toEqual({ method: "none" })
  })
})

describe("OAuth2Environment.optionsOf", () => {
  const make = { secret: (value: string) => ({ secret: value }), grant: (grant: OAuth2Environment.Grant) => ({ grant }) }
  const settings = (fields: Partial<OAuth2Environment.Settings>): OAuth2Environment.Settings => ({
    tokenUrl: undefined,
    issuer: undefined,
    clientId: undefined,
    clientSecret: undefined,
    clientAuthentication: undefined,
    grant: undefined,
    scope: undefined,
    parameters: undefined,
    revocationUrl: undefined,
    ...fields
  })

  it("the environment wins over plain options, and its secret and grant are made by the line", () => {
    const given = { values: { clientId: "plain", clientSecret: "plain-secret", scope: "plain", timeout: 5 }, configured: new Set<string>() }
    expect(OAuth2Environment.optionsOf(given, settings({
      clientId: "env",
      clientSecret: "env-secret",
      grant: { grantType: "client_credentials" },
      tokenUrl: "https://auth.example.com/token"
    }), make)).toMatchObject({
      clientId: "env",
      clientSecret: { secret: "env-secret" },
      grant: { grant: { grantType: "client_credentials" } },
      scope: "plain",
      timeout: 5,
      tokenUrl: "https://auth.example.com/token",
      issuer: undefined
    })
  })

  it("a plain option stands where the environment says nothing", () => {
    const given = { values: { clientId: "plain", clientSecret: "plain-secret", tokenUrl: "https://plain.example/token" }, configured: new Set<string>() }
    expect(OAuth2Environment.optionsOf(given, settings({}), make)).toMatchObject({
      clientId: "plain",
      clientSecret: "plain-secret",
      tokenUrl: "https://plain.example/token"
    })
  })

  it("the endpoint comes from one source: a configured issuer leaves out the environment's token URL", () => {
    const given = { values: { issuer: "https://configured.example" }, configured: new Set(["issuer"]) }
    expect(OAuth2Environment.optionsOf(given, settings({ tokenUrl: "https://env.example/token" }), make)).toMatchObject({
      issuer: "https://configured.example",
      tokenUrl: undefined
    })
  })

  it("parameters merge: the environment's audience over plain ones, configured ones over the environment's", () => {
    const environment = settings({ parameters: { audience: "env" } })
    const plain = { values: { parameters: { audience: "plain", resource: "r" } }, configured: new Set<string>() }
    expect(OAuth2Environment.optionsOf(plain, environment, make)["parameters"]).toEqual({ audience: "env", resource: "r" })
    const configured = { values: { parameters: { audience: "configured" } }, configured: new Set(["parameters"]) }
    expect(OAuth2Environment.optionsOf(configured, environment, make)["parameters"]).toEqual({ audience: "configured" })
  })
})
