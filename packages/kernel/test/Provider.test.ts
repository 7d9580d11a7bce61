import { describe, expect, it } from "vitest"
import { Provider, Providers } from "@effect-bearer/kernel"

describe("Provider records", () => {
  it("have unique ids, in kebab case", () => {
    const ids = Providers.all.map((provider) => provider.id)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids).toEqual(["up42-project", "up42-account", "bitquery", "hydrosat", "oauth2"])
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/)
  })

  it("have unique environment variable names, within and across providers", () => {
    const names = Providers.all.flatMap((provider) => provider.environment.variables.map((variable) => variable.name))
    expect(new Set(names).size).toBe(names.length)
  })

  it("document every variable: what it holds, in a sentence that is not the name", () => {
    for (const provider of Providers.all) {
      for (const variable of provider.environment.variables) {
        expect(variable.description.trim(), variable.name).not.toBe("")
        expect(variable.description, variable.name).not.toBe(variable.name)
        expect(variable.name, provider.id).toMatch(/^[A-Z][A-Z0-9_]*$/)
      }
    }
  })

  it("name every credential and required variable in the summary the CLI shows", () => {
    for (const provider of Providers.all) {
      for (const variable of provider.environment.variables) {
        if (variable.requirement === "required" || Provider.credentialVariables(provider).includes(variable.name)) {
          expect(provider.environment.summary, `${provider.id}: ${variable.name}`).toContain(variable.name)
        }
      }
    }
  })

  it("fill each credential option from a variable and a credentials-file field", () => {
    for (const provider of Providers.all) {
      const fieldFills = provider.credentialsFile.shapes.flatMap((shape) => shape.fields.map((field) => field.fills))
      for (const option of [provider.credentials.clientId, provider.credentials.clientSecret]) {
        if (option === undefined) continue
        expect(Provider.variableFor(provider, option), `${provider.id}: ${option}`).toBeDefined()
        expect(fieldFills, `${provider.id}: ${option}`).toContain(option)
      }
    }
  })

  it("mark as secret every variable and file field that fills a secret option", () => {
    for (const provider of Providers.all) {
      const secrets = new Set([provider.credentials.clientSecret, provider.credentials.password, "accessToken"])
      for (const variable of provider.environment.variables) {
        expect(variable.secret, variable.name).toBe(secrets.has(variable.fills))
      }
      for (const field of provider.credentialsFile.shapes.flatMap((shape) => shape.fields)) {
        expect(field.secret, `${provider.id}: ${field.field}`).toBe(secrets.has(field.fills))
      }
    }
  })

  it("give hints only for error tags that exist, each a sentence", () => {
    for (const provider of Providers.all) {
      for (const [tag, hint] of Object.entries(provider.hints)) {
        expect(Provider.errorTags, `${provider.id}: ${tag}`).toContain(tag)
        expect(hint?.trim(), `${provider.id}: ${tag}`).not.toBe("")
      }
    }
  })

  it("use https token URLs, issuers and API origins, the token URL under the issuer", () => {
    for (const provider of Providers.all) {
      for (const region of provider.regions) {
        expect(new URL(region.tokenUrl).protocol, region.tokenUrl).toBe("https:")
        for (const origin of region.apiOrigins) expect(new URL(origin).origin).toBe(origin)
        for (const origin of region.apiOrigins) expect(origin).toMatch(/^https:/)
        if (region.issuer !== undefined) expect(region.tokenUrl.startsWith(`${region.issuer}/`)).toBe(true)
      }
    }
  })

  it("have unique region ids, and the token URL variable names the default region", () => {
    for (const provider of Providers.all) {
      const ids = provider.regions.map((region) => region.id)
      expect(new Set(ids).size).toBe(ids.length)
      const tokenUrl = Provider.tokenUrl(provider)
      if (tokenUrl !== undefined) expect(Provider.variableFor(provider, "tokenUrl")?.description).toContain(tokenUrl)
    }
  })

  it("have positive lifetimes in whole seconds", () => {
    for (const provider of Providers.all) {
      expect(Number.isInteger(provider.defaultLifetimeSeconds) && provider.defaultLifetimeSeconds > 0).toBe(true)
    }
  })

  it("point a static token alternative at one of their credential variables", () => {
    expect(Providers.all.filter((provider) => provider.staticToken !== undefined).map((provider) => provider.id)).toEqual([
      "bitquery"
    ])
    const bitquery = Providers.bitquery
    expect(Provider.credentialVariables(bitquery)).toContain(bitquery.staticToken?.variable)
  })

  it("model UP42's two regions for account tokens, South America first", () => {
    expect(Providers.up42Account.regions.map((region) => [region.tokenUrl, region.apiOrigins])).toEqual([
      ["https://auth.sa.up42.com/realms/public/protocol/openid-connect/token", ["https://api.sa.up42.com"]],
      ["https://auth.up42.com/realms/public/protocol/openid-connect/token", ["https://api.up42.com"]]
    ])
    expect(Providers.up42Account.clientId).toBe("up42-api")
  })
})

describe("Provider helpers", () => {
  it("name the credential variables that say the credentials are in the environment", () => {
    expect(Providers.all.map(Provider.credentialVariables)).toEqual([
      ["UP42_PROJECT_ID", "UP42_PROJECT_API_KEY"],
      ["UP42_USERNAME", "UP42_PASSWORD"],
      ["BITQUERY_CLIENT_ID", "BITQUERY_CLIENT_SECRET", "BITQUERY_ACCESS_TOKEN"],
      ["HYDROSAT_CLIENT_ID", "HYDROSAT_CLIENT_SECRET", "HYDROSAT_CREDENTIALS_FILE"],
      ["OAUTH2_CLIENT_ID", "OAUTH2_CLIENT_SECRET"]
    ])
  })

  it("advise on required and conditional variables and on allowed values, not on optional ones", () => {
    const advice = (name: string) =>
      Provider.advice(Providers.all.flatMap((provider) => provider.environment.variables).find((v) => v.name === name)!)
    expect(advice("HYDROSAT_CLIENT_ID")).toBe("the client_id of your Hydrosat creds.json")
    expect(advice("OAUTH2_PASSWORD")).toBe("the resource owner's password (OAUTH2_GRANT_TYPE is password)")
    expect(advice("OAUTH2_CLIENT_AUTHENTICATION")).toBe("client_secret_basic, client_secret_post or none")
    expect(advice("OAUTH2_GRANT_TYPE")).toBe("client_credentials or password")
    expect(advice("OAUTH2_CLIENT_SECRET")).toBeUndefined()
    expect(advice("HYDROSAT_TOKEN_URL")).toBeUndefined()
  })

  it("read the default region's token URL and API origins, none for a server the user names", () => {
    expect(Provider.tokenUrl(Providers.hydrosat)).toBe("https://auth.hydrosat.com/oauth2/token")
    expect(Provider.apiOrigins(Providers.hydrosat)).toEqual(["https://stac-beta.hydrosat.com"])
    expect(Provider.tokenUrl(Providers.oauth2)).toBeUndefined()
    expect(Provider.apiOrigins(Providers.oauth2)).toEqual([])
  })

  it("read a value at a dotted path, undefined through non-objects", () => {
    expect(Provider.valueAt({ data: { accessToken: "a" } }, "data.accessToken")).toBe("a")
    expect(Provider.valueAt({ data: "x" }, "data.accessToken")).toBeUndefined()
    expect(Provider.valueAt(null, "a")).toBeUndefined()
  })
})

describe("Provider.toStandardResponse", () => {
  const up42 = Provider.toStandardResponse(Providers.up42Project)!

  it("is not needed for a provider that speaks RFC 6749 §5.1", () => {
    expect(Provider.toStandardResponse(Providers.hydrosat)).toBeUndefined()
  })

  it("takes UP42's token from data.accessToken first", () => {
    expect(up42({ data: { accessToken: "nested" }, accessToken: "top", token_type: "bearer" })).toMatchObject({
      access_token: "nested"
    })
  })

  it("falls back to the top-level accessToken when data.accessToken is missing or blank", () => {
    expect(up42({ data: {}, accessToken: "top" })).toMatchObject({ access_token: "top" })
    expect(up42({ data: { accessToken: " " }, accessToken: "top" })).toMatchObject({ access_token: "top" })
  })

  it("passes a wrongly typed token on, for validation to report", () => {
    expect(up42({ accessToken: 42 })).toMatchObject({ access_token: 42 })
  })

  it("leaves alone a body with access_token, one with no token and a non-object", () => {
    const standard = { access_token: "a", accessToken: "b" }
    expect(up42(standard)).toBe(standard)
    const empty = { data: {} }
    expect(up42(empty)).toBe(empty)
    expect(up42("text")).toBe("text")
  })
})
