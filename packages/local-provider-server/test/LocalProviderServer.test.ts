/**
 * The server's facts: its provider records, its credentials and its origin.
 */
import { describe, expect, it } from "vitest"
import { Provider, Providers } from "@effect-bearer/kernel"
import { LocalProviderServer } from "@effect-bearer/local-provider-server"
import { make } from "./support/TestServer.js"

describe("LocalProviderServer", () => {
  it("speaks each provider's record: its documented token path under the provider's prefix, its variable names", () => {
    const { server } = make()
    const served = [
      [server.urls["up42-project"].tokenUrl, Providers.up42Project],
      [server.urls["up42-account"].tokenUrl, Providers.up42Account],
      [server.urls.bitquery.tokenUrl, Providers.bitquery],
      [server.urls.hydrosat.tokenUrl, Providers.hydrosat]
    ] as const
    for (const [url, record] of served) {
      expect(new URL(url).pathname).toMatch(new RegExp(`^/[a-z0-9-]+${new URL(Provider.tokenUrl(record)!).pathname}$`))
    }
    const variables = new Set(Providers.all.flatMap((record) => record.environment.variables.map((variable) => variable.name)))
    expect(Object.keys(server.environment).filter((name) => !variables.has(name))).toEqual([])
    expect(server.credentials.up42Account.clientId).toBe(Providers.up42Account.clientId)
  })
})

describe("mapSecrets", () => {
  it("passes every secret, and nothing else, through the function", () => {
    const marked = LocalProviderServer.mapSecrets(LocalProviderServer.defaultCredentials, (secret) => `<${secret}>`)
    expect(marked.up42Projects.map((project) => project.projectApiKey)).toEqual(["<local-project-api-key-1>", "<local-project-api-key-2>"])
    expect(marked.bitquery).toEqual({
      clientId: "local-bitquery-client",
      clientSecret: "<local-bitquery-secret>",
      accessToken: "<ory_at_local-console-token>"
    })
    expect(marked.oauth2).toMatchObject({ username: "user@example.com", password: "<local-password>" })
    expect(LocalProviderServer.mapSecrets(marked, (secret) => secret.slice(1, -1))).toEqual(LocalProviderServer.defaultCredentials)
  })
})

describe("originOf", () => {
  it("names 127.0.0.1 for a server listening on every interface, the address it listens on otherwise", () => {
    for (const everywhere of ["0.0.0.0", "::", ""]) {
      expect(LocalProviderServer.originOf(everywhere, 8080)).toBe("http://127.0.0.1:8080")
    }
    expect(LocalProviderServer.originOf("localhost", 80)).toBe("http://localhost:80")
  })
})
