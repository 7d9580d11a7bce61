import { describe, expect, it } from "vitest"
import { Providers } from "@effect-bearer/kernel"
import * as ProviderEnvironment from "@effect-bearer/kernel/ProviderEnvironment"

const lookup = (variables: Record<string, string>): ProviderEnvironment.Lookup => (name) => variables[name]

describe("ProviderEnvironment.read", () => {
  it("fills the options the record names, secrets marked", () => {
    const read = ProviderEnvironment.read(
      Providers.hydrosat,
      lookup({ HYDROSAT_CLIENT_ID: "id", HYDROSAT_CLIENT_SECRET: "secret", HYDROSAT_TOKEN_URL: " " })
    )
    expect(read).toEqual({
      _tag: "Settings",
      settings: { clientId: { value: "id", secret: false }, clientSecret: { value: "secret", secret: true } }
    })
  })

  it("names a missing required variable with the record's advice", () => {
    expect(ProviderEnvironment.read(Providers.hydrosat, lookup({ HYDROSAT_CLIENT_ID: "id" }))).toEqual({
      _tag: "Problem",
      problem: { variable: "HYDROSAT_CLIENT_SECRET", problem: "is not set: set it to the client_secret of your Hydrosat creds.json" }
    })
  })

  it("refuses a blank required variable as empty", () => {
    const read = ProviderEnvironment.read(Providers.hydrosat, lookup({ HYDROSAT_CLIENT_ID: "id", HYDROSAT_CLIENT_SECRET: " " }))
    expect(read).toMatchObject({ _tag: "Problem", problem: { variable: "HYDROSAT_CLIENT_SECRET", problem: expect.stringMatching(/^is empty: /) } })
  })

  it("refuses a value outside the allowed ones without quoting it", () => {
    const read = ProviderEnvironment.read(
      Providers.up42Account,
      lookup({ UP42_USERNAME: "me", UP42_PASSWORD: "p", UP42_REGION: "canary-region" })
    )
    expect(read).toEqual({
      _tag: "Problem",
      problem: { variable: "UP42_REGION", problem: "is not one of the allowed values: set it to sa or eu" }
    })
  })

  it("chooses the first usable group of alternative credentials, a blank one counting as unset", () => {
    const token = ProviderEnvironment.read(Providers.bitquery, lookup({ BITQUERY_CLIENT_ID: " ", BITQUERY_ACCESS_TOKEN: "ory_at_x" }))
    expect(token).toMatchObject({ _tag: "Settings", settings: { accessToken: { value: "ory_at_x", secret: true } } })
    const incomplete = ProviderEnvironment.read(Providers.bitquery, lookup({ BITQUERY_CLIENT_ID: "id", BITQUERY_ACCESS_TOKEN: "t" }))
    expect(incomplete).toMatchObject({ _tag: "Problem", problem: { variable: "BITQUERY_CLIENT_SECRET" } })
  })

  it("with no alternative usable, names the first one set but empty, or asks for the first", () => {
    expect(ProviderEnvironment.read(Providers.bitquery, lookup({}))).toMatchObject({
      problem: { variable: "BITQUERY_CLIENT_ID", problem: expect.stringContaining("or set BITQUERY_ACCESS_TOKEN") }
    })
    expect(ProviderEnvironment.read(Providers.bitquery, lookup({ BITQUERY_ACCESS_TOKEN: "" }))).toMatchObject({
      problem: { variable: "BITQUERY_ACCESS_TOKEN", problem: expect.stringMatching(/^is empty/) }
    })
  })
})

describe("ProviderEnvironment.givenRecord", () => {
  const given = (values: Record<string, unknown>, configured: Array<string> = []): ProviderEnvironment.Given => ({
    isGiven: (option) => values[option] !== undefined,
    configured: new Set(configured)
  })

  it("leaves out the variable of an option given as a Config, and makes a plain one's optional", () => {
    const record = ProviderEnvironment.givenRecord(Providers.hydrosat, given({ clientId: "id", clientSecret: "s" }, ["clientSecret"]))
    expect(record.environment.variables.map((variable) => [variable.name, variable.requirement])).toEqual([
      ["HYDROSAT_CLIENT_ID", "optional"],
      ["HYDROSAT_TOKEN_URL", "optional"]
    ])
  })

  it("a given alternative credential chooses its group: the others of it become required, the other group goes", () => {
    const record = ProviderEnvironment.givenRecord(Providers.bitquery, given({ clientId: "id" }))
    const names = record.environment.variables.map((variable) => variable.name)
    expect(names).not.toContain("BITQUERY_ACCESS_TOKEN")
    expect(record.environment.variables.find((variable) => variable.name === "BITQUERY_CLIENT_SECRET")?.requirement).toBe("required")
  })
})

describe("ProviderEnvironment messages", () => {
  it("a token URL with credentials names the variables that take them, never the URL", () => {
    const problem = ProviderEnvironment.credentialsInUrlProblem(Providers.up42Project, "https://p:k3y@api.up42.com/oauth/token")
    expect(problem).toBe(
      "carries credentials (user:password@ before the host): set UP42_PROJECT_ID and UP42_PROJECT_API_KEY instead (the projectId and projectApiKey options in code), and leave the token URL unset (https://api.up42.com/oauth/token)"
    )
    expect(ProviderEnvironment.credentialsInUrlProblem(Providers.up42Project, "https://api.up42.com/oauth/token")).toBeUndefined()
  })

  it("reads instants as epoch seconds or ISO dates, nothing else", () => {
    expect(ProviderEnvironment.parseInstant("3600")?.getTime()).toBe(3_600_000)
    expect(ProviderEnvironment.parseInstant(" 1970-01-01T01:00:00Z ")?.getTime()).toBe(3_600_000)
    expect(ProviderEnvironment.parseInstant("next tuesday")).toBeUndefined()
    expect(ProviderEnvironment.parseInstant("2026-99-99")).toBeUndefined()
  })

  it("a static token expiry that is no date is a problem naming its variable", () => {
    const option = Providers.bitquery.environment.variables.find((variable) =>
      variable.name === Providers.bitquery.staticToken?.expiresAtVariable
    )!.fills
    expect(ProviderEnvironment.staticExpiry(Providers.bitquery, { [option]: "soon" })).toMatchObject({
      problem: { variable: "BITQUERY_ACCESS_TOKEN_EXPIRES_AT", problem: expect.stringMatching(/^is not a date: set it to /) }
    })
    expect(ProviderEnvironment.staticExpiry(Providers.bitquery, {})).toEqual({ expiresAt: undefined })
  })
})
