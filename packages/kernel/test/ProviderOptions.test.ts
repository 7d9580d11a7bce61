import { describe, expect, it } from "vitest"
import { Providers } from "@effect-bearer/kernel"
import * as ProviderOptions from "@effect-bearer/kernel/ProviderOptions"

/** A stand-in secret type, as a line's `Redacted`. */
class Secret {
  constructor(readonly value: string) {}
}
const secrets: ProviderOptions.Secrets<Secret> = {
  is: (value): value is Secret => value instanceof Secret,
  reveal: (secret) => secret.value,
  conceal: (value) => new Secret(value)
}

const resolve = (provider: Parameters<typeof ProviderOptions.resolve>[0], options: Record<string, unknown>) =>
  ProviderOptions.resolve(provider, options, secrets)

describe("ProviderOptions.resolve", () => {
  it("reads the credentials under the record's names for them, and names the token provider by client where the record says", () => {
    const read = resolve(Providers.up42Project, { projectId: "p-1", projectApiKey: new Secret("k") })
    expect(read).toMatchObject({
      resolved: {
        clientId: "p-1",
        clientAuthentication: "client_secret_basic",
        clientSecret: new Secret("k"),
        grant: { grantType: "client_credentials" },
        tokenUrl: "https://api.up42.com/oauth/token",
        name: "up42-project:p-1"
      }
    })
  })

  it("the password grant with the client the provider fixes, in the region asked for", () => {
    const read = resolve(Providers.up42Account, { username: "me@example.com", password: "p", region: "eu" })
    expect(read).toMatchObject({
      resolved: {
        clientId: "up42-api",
        clientAuthentication: "none",
        clientSecret: undefined,
        grant: { grantType: "password", username: "me@example.com", password: new Secret("p") },
        tokenUrl: "https://auth.up42.com/realms/public/protocol/openid-connect/token",
        region: { id: "eu" }
      }
    })
  })

  it("names the first problem, in the order a user fixes them", () => {
    const key = new Secret("k3y")
    expect(resolve(Providers.up42Project, { projectId: "p", projectApiKey: key, tokenUrl: "https://p:k3y@api.up42.com/oauth/token" }))
      .toMatchObject({ problem: { variable: "tokenUrl", problem: expect.stringMatching(/^carries credentials/) } })
    expect(resolve(Providers.up42Account, { username: "u", password: "p", region: "mars" }))
      .toEqual({ problem: { variable: "region", problem: "is not one of sa, eu" } })
    expect(resolve(Providers.up42Account, { password: " " })).toEqual({ problem: { variable: "username", problem: "is not set" } })
    expect(resolve(Providers.up42Account, { username: "u", password: new Secret("\t") }))
      .toEqual({ problem: { variable: "password", problem: "is empty" } })
    expect(resolve(Providers.hydrosat, { clientId: "id", clientSecret: new Secret("") }))
      .toEqual({ problem: { variable: "clientSecret", problem: "is empty" } })
    expect(resolve(Providers.oauth2, { clientId: "id", clientSecret: "s" })).toEqual({ problem: { variable: "tokenUrl", problem: "is not set" } })
  })

  it("a plain scope option replaces the record's, a plain name the record's id", () => {
    const read = resolve(Providers.bitquery, { clientId: "id", clientSecret: "s", scope: "graphql", name: "mine" })
    expect(read).toMatchObject({ resolved: { scope: "graphql", name: "mine", clientSecret: new Secret("s") } })
  })
})
