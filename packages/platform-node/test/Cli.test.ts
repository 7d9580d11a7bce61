import * as FileSystem from "@effect/platform/FileSystem"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { expect, layer } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { Jwt } from "@effect-bearer/core"
import { LocalProviderServer } from "@effect-bearer/providers"
import { Cli } from "@effect-bearer/platform-node"
import * as CliHarness from "./support/CliHarness.js"
import * as LocalServer from "./support/LocalServer.js"

// The CLI runs on the real clock (its output shows real times): each block shares one local
// provider server, without the TestClock.
const live = { excludeTestServices: true } as const

type ApiProvider = "up42-project" | "up42-account" | "bitquery" | "hydrosat"

/** Whether the provider's API accepts `token`, asked directly over HTTP. */
const apiAccepts = (provider: ApiProvider, token: string) =>
  Effect.gen(function*() {
    const server = yield* LocalServer.fresh
    const client = yield* HttpClient.HttpClient
    const url = server.urls[provider].apiUrl
    const request = provider === "bitquery" ? HttpClientRequest.post(url) : HttpClientRequest.get(url)
    const response = yield* client.execute(HttpClientRequest.bearerToken(request, token))
    return response.status === 200
  })

/** The server's secrets, none of which may ever be printed. */
const secretsOf = (server: LocalProviderServer.Service) => [
  ...server.credentials.up42Projects.map((project) => Redacted.value(project.projectApiKey)),
  Redacted.value(server.credentials.up42Account.password),
  Redacted.value(server.credentials.bitquery.clientSecret),
  Redacted.value(server.credentials.bitquery.accessToken),
  Redacted.value(server.credentials.hydrosat.clientSecret)
]

const expectNoSecrets = (server: LocalProviderServer.Service, output: string) => {
  for (const secret of secretsOf(server)) expect(output).not.toContain(secret)
}

const { credentialsFile, hydrosatCreds } = CliHarness

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url")
const jwt = (claims: Record<string, unknown>) =>
  `${base64url({ alg: "HS512", typ: "JWT" })}.${base64url(claims)}.c2lnbmF0dXJl`
const nowSeconds = () => Math.floor(Date.now() / 1000)

layer(LocalServer.layer, live)("effect-bearer token <provider>", (it) => {
  const cases = [
    { name: "up42-project", provider: "up42-project", isJwt: true },
    { name: "up42-account", provider: "up42-account", isJwt: true },
    { name: "bitquery", provider: "bitquery", isJwt: false },
    { name: "hydrosat", provider: "hydrosat", isJwt: true }
  ] as const
  for (const { isJwt, name, provider } of cases) {
    it.scoped(`prints a fresh ${name} token, and only the token, from the environment`, () =>
      Effect.gen(function*() {
        const server = yield* LocalServer.fresh
        const result = yield* CliHarness.run(["token", name], server.environment)
        expect(result.stderr).toBe("")
        expect(result.exitCode).toBe(0)
        const lines = result.stdout.trimEnd().split("\n")
        expect(lines).toHaveLength(1)
        const token = lines[0] ?? ""
        expect(Jwt.decodeClaims(token)._tag).toBe(isJwt ? "Some" : "None")
        expect(yield* apiAccepts(provider, token)).toBe(true)
        expect(yield* server.requestCount(provider)).toBe(1)
        expectNoSecrets(server, result.stdout)
      }))
  }

  it.scoped("oauth2: any OAuth2 server, its token endpoint found by OpenID discovery", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.fresh
      const result = yield* CliHarness.run(["token", "oauth2"], server.environment)
      expect(result.stderr).toBe("")
      expect(result.exitCode).toBe(0)
      expect(yield* server.requestCount("oauth2", "discovery")).toBe(1)
      expect(yield* server.requestCount("oauth2")).toBe(1)
    }))

  // With --no-cache, the response as the server sent it; the cache keeps the refresh token (CliCache.test.ts).
  it.scoped("--json --no-cache prints the token response with the secrets redacted", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.fresh
      const result = yield* CliHarness.run(["token", "up42-account", "--json", "--no-cache"], server.environment)
      expect(result.exitCode).toBe(0)
      const response = JSON.parse(result.stdout)
      expect(response).toMatchObject({
        provider: "up42-account",
        access_token: "<redacted>",
        token_type: "Bearer",
        refresh_token: "<redacted>",
        lifetime_source: "expires_in"
      })
      expect(response.expires_in).toBeGreaterThan(290)
      expect(response.expires_in).toBeLessThanOrEqual(300)
      expect(Date.parse(response.expires_at)).toBeGreaterThan(Date.now())
      expect(Date.parse(response.refresh_expires_at)).toBeGreaterThan(Date.parse(response.expires_at))
      expect(result.stdout).not.toMatch(/eyJ/)
      expectNoSecrets(server, result.stdout)
    }))

  it.scoped("--json --reveal prints the token itself", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.fresh
      const result = yield* CliHarness.run(["token", "hydrosat", "--json", "--reveal"], server.environment)
      expect(result.exitCode).toBe(0)
      const response = JSON.parse(result.stdout)
      expect(yield* apiAccepts("hydrosat", response.access_token)).toBe(true)
      expect(response.expires_in).toBeGreaterThan(3590)
    }))

  it.scoped("--reveal without --json changes nothing: the plain token is the token", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.fresh
      const result = yield* CliHarness.run(["token", "hydrosat", "--reveal"], server.environment)
      expect(result.exitCode).toBe(0)
      expect(yield* apiAccepts("hydrosat", result.stdout.trim())).toBe(true)
    }))
})

layer(LocalServer.layer, live)("effect-bearer token --credentials <file>", (it) => {
  it.scoped("reads Hydrosat's creds.json (chmod 600); the token URL may still come from the environment", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.fresh
      const path = yield* credentialsFile(hydrosatCreds(server), 0o600)
      const result = yield* CliHarness.run(["token", "hydrosat", "--credentials", path], {
        HYDROSAT_TOKEN_URL: server.urls.hydrosat.tokenUrl
      })
      expect(result.stderr).toBe("")
      expect(result.exitCode).toBe(0)
      expect(yield* apiAccepts("hydrosat", result.stdout.trim())).toBe(true)
    }))

  it.scoped("a file wins over the environment's credentials", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.fresh
      const path = yield* credentialsFile(hydrosatCreds(server), 0o600)
      const result = yield* CliHarness.run(["token", "hydrosat", "--credentials", path], {
        ...server.environment,
        HYDROSAT_CLIENT_SECRET: "not-the-secret"
      })
      expect(result.exitCode).toBe(0)
    }))

  it.scoped("reads UP42 project credentials", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.fresh
      const project = server.credentials.up42Projects[1]
      const path = yield* credentialsFile(
        JSON.stringify({ project_id: project?.projectId, project_api_key: Redacted.value(project!.projectApiKey) }),
        0o600
      )
      const result = yield* CliHarness.run(["token", "up42-project", "--credentials", path], {
        UP42_PROJECT_TOKEN_URL: server.urls["up42-project"].tokenUrl
      })
      expect(result.exitCode).toBe(0)
      const claims = Jwt.decodeClaims(result.stdout.trim())
      expect(claims._tag === "Some" && claims.value["sub"]).toBe(project?.projectId)
    }))

  it.scoped("reads a UP42 account", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.fresh
      const account = server.credentials.up42Account
      const path = yield* credentialsFile(
        JSON.stringify({ username: account.username, password: Redacted.value(account.password) }),
        0o600
      )
      const result = yield* CliHarness.run(["token", "up42-account", "--credentials", path], {
        UP42_TOKEN_URL: server.urls["up42-account"].tokenUrl
      })
      expect(result.exitCode).toBe(0)
      expect(yield* apiAccepts("up42-account", result.stdout.trim())).toBe(true)
    }))

  it.scoped("reads a Bitquery console token, which needs no token request", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.fresh
      const path = yield* credentialsFile(
        JSON.stringify({ access_token: Redacted.value(server.credentials.bitquery.accessToken) }),
        0o600
      )
      const result = yield* CliHarness.run(["token", "bitquery", "--credentials", path])
      expect(result.exitCode).toBe(0)
      expect(yield* apiAccepts("bitquery", result.stdout.trim())).toBe(true)
      expect(yield* server.requestCount("bitquery")).toBe(0)
    }))
})

layer(LocalServer.layer, live)("effect-bearer token: each error has its exit code and its message on stderr", (it) => {
  it.scoped("no credentials anywhere: which variables to set or which file to pass (MissingCredentials, 3)", () =>
    Effect.gen(function*() {
      const result = yield* CliHarness.run(["token", "up42-project"])
      expect(result.exitCode).toBe(Cli.exitCodes.MissingCredentials)
      expect(result.stdout).toBe("")
      expect(result.stderr).toContain("UP42_PROJECT_ID and UP42_PROJECT_API_KEY")
      expect(result.stderr).toContain("--credentials")
      expect(result.stderr).toContain(`"project_api_key"`)
    }))

  it.scoped("half the credentials: names the missing variable (InvalidConfiguration, 4)", () =>
    Effect.gen(function*() {
      const result = yield* CliHarness.run(["token", "hydrosat"], { HYDROSAT_CLIENT_ID: "someone" })
      expect(result.exitCode).toBe(Cli.exitCodes.InvalidConfiguration)
      expect(result.stderr).toContain("HYDROSAT_CLIENT_SECRET")
    }))

  it.scoped("wrong credentials (InvalidCredentials, 10), never printing the secret", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.fresh
      const result = yield* CliHarness.run(["token", "hydrosat"], {
        ...server.environment,
        HYDROSAT_CLIENT_SECRET: "not-the-secret"
      })
      expect(result.exitCode).toBe(Cli.exitCodes.InvalidCredentials)
      expect(result.stdout).toBe("")
      expect(result.stderr).toMatch(/^effect-bearer: InvalidCredentials: /)
      expect(result.stderr).toContain(server.urls.hydrosat.tokenUrl)
      expect(result.stderr).not.toContain("not-the-secret")
      expectNoSecrets(server, result.stderr)
    }))

  it.scoped("wrong host, with the provider's hint (WrongHost, 11)", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.fresh
      const result = yield* CliHarness.run(["token", "up42-account"], {
        ...server.environment,
        UP42_TOKEN_URL: `${server.origin}/up42-account/api/protocol/openid-connect/token`
      })
      expect(result.exitCode).toBe(Cli.exitCodes.WrongHost)
      expect(result.stderr).toContain("WrongHost")
      expect(result.stderr).toContain("auth.sa.up42.com")
    }))

  it.scoped("a 415 from the token endpoint (UnsupportedMediaType, 12)", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.fresh
      yield* server.setFault("hydrosat", LocalProviderServer.status(415))
      const result = yield* CliHarness.run(["token", "hydrosat"], server.environment)
      expect(result.exitCode).toBe(Cli.exitCodes.UnsupportedMediaType)
      expect(result.stderr).toContain("application/x-www-form-urlencoded")
    }))

  it.scoped("an expired console token (Expired, 13)", () =>
    Effect.gen(function*() {
      const expired = jwt({ sub: "console", iat: nowSeconds() - 7200, exp: nowSeconds() - 60 })
      const result = yield* CliHarness.run(["token", "bitquery"], { BITQUERY_ACCESS_TOKEN: expired })
      expect(result.exitCode).toBe(Cli.exitCodes.Expired)
      expect(result.stderr).toContain("Expired")
      expect(result.stderr).not.toContain(expired)
    }))

  it.scoped("a refused request, e.g. Bitquery without scope=api (InvalidRequest, 14)", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.fresh
      const result = yield* CliHarness.run(["token", "bitquery"], { ...server.environment, BITQUERY_SCOPE: "read" })
      expect(result.exitCode).toBe(Cli.exitCodes.InvalidRequest)
      expect(result.stderr).toContain("scope=api")
    }))

  it.scoped("a token endpoint that keeps failing, after the retries (TemporarilyUnavailable, 15)", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.fresh
      yield* server.setFault("hydrosat", LocalProviderServer.serverError(503))
      const result = yield* CliHarness.run(["token", "hydrosat"], server.environment)
      expect(result.exitCode).toBe(Cli.exitCodes.TemporarilyUnavailable)
      expect(result.stderr).toContain("TemporarilyUnavailable")
      expect(yield* server.requestCount("hydrosat")).toBe(3)
    }))

  it.scoped("a login page instead of a token (InvalidTokenResponse, 16)", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.fresh
      yield* server.setFault("hydrosat", LocalProviderServer.html)
      const result = yield* CliHarness.run(["token", "hydrosat"], server.environment)
      expect(result.exitCode).toBe(Cli.exitCodes.InvalidTokenResponse)
      expect(result.stderr).toContain("HTML")
    }))

  it.scoped("a missing credentials file (CredentialsFileNotFound, 20)", () =>
    Effect.gen(function*() {
      const result = yield* CliHarness.run(["token", "hydrosat", "--credentials", "/nonexistent/creds.json"])
      expect(result.exitCode).toBe(Cli.exitCodes.CredentialsFileNotFound)
      expect(result.stderr).toContain("/nonexistent/creds.json")
    }))

  it.scoped("a directory instead of a file (CredentialsFileUnreadable, 21)", () =>
    Effect.gen(function*() {
      const fs = yield* FileSystem.FileSystem
      const dir = yield* fs.makeTempDirectoryScoped()
      const result = yield* CliHarness.run(["token", "hydrosat", "--credentials", dir])
      expect(result.exitCode).toBe(Cli.exitCodes.CredentialsFileUnreadable)
      expect(result.stderr).toContain("directory")
    }))

  it.scoped("a file other users may read, with the fix (InsecureCredentialsFile, 22)", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.fresh
      const path = yield* credentialsFile(hydrosatCreds(server), 0o644)
      const result = yield* CliHarness.run(["token", "hydrosat", "--credentials", path], {
        HYDROSAT_TOKEN_URL: server.urls.hydrosat.tokenUrl
      })
      expect(result.exitCode).toBe(Cli.exitCodes.InsecureCredentialsFile)
      expect(result.stdout).toBe("")
      expect(result.stderr).toContain(`chmod 600 ${path}`)
      expect(yield* server.requestCount("hydrosat")).toBe(0)
      expectNoSecrets(server, result.stderr)
    }))

  it.scoped("a file without the fields (InvalidCredentialsFile, 23)", () =>
    Effect.gen(function*() {
      const path = yield* credentialsFile(JSON.stringify({ client_id: "id" }), 0o600)
      const result = yield* CliHarness.run(["token", "hydrosat", "--credentials", path])
      expect(result.exitCode).toBe(Cli.exitCodes.InvalidCredentialsFile)
      expect(result.stderr).toContain(`"client_secret"`)
    }))

  it.scoped("HYDROSAT_CREDENTIALS_FILE: the same exit code and message as --credentials for each file problem", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.fresh
      const fs = yield* FileSystem.FileSystem
      const problems = [
        ["/nonexistent/creds.json", Cli.exitCodes.CredentialsFileNotFound],
        [yield* fs.makeTempDirectoryScoped(), Cli.exitCodes.CredentialsFileUnreadable],
        [yield* credentialsFile(hydrosatCreds(server), 0o644), Cli.exitCodes.InsecureCredentialsFile],
        [yield* credentialsFile(JSON.stringify({ client_id: "id" }), 0o600), Cli.exitCodes.InvalidCredentialsFile]
      ] as const
      const environment = { HYDROSAT_TOKEN_URL: server.urls.hydrosat.tokenUrl }
      for (const [path, exitCode] of problems) {
        const named = yield* CliHarness.run(["token", "hydrosat", "--credentials", path], environment)
        const variable = yield* CliHarness.run(["token", "hydrosat"], { ...environment, HYDROSAT_CREDENTIALS_FILE: path })
        expect(named.exitCode).toBe(exitCode)
        expect(variable).toEqual(named)
        expectNoSecrets(server, variable.stderr)
      }
      expect(yield* server.requestCount("hydrosat")).toBe(0)
    }))

  it.scoped("an unknown provider is a usage error (2)", () =>
    Effect.gen(function*() {
      const result = yield* CliHarness.run(["token", "planet"])
      expect(result.exitCode).toBe(Cli.exitCodes.InvalidCommandLine)
      expect(result.stdout).toBe("")
      expect(result.stderr).not.toBe("")
    }))

  it.scoped("an unknown subcommand is a usage error on stderr (2)", () =>
    Effect.gen(function*() {
      const result = yield* CliHarness.run(["fetch-everything"])
      expect(result.exitCode).toBe(Cli.exitCodes.InvalidCommandLine)
      expect(result.stdout).toBe("")
      expect(result.stderr).not.toBe("")
    }))

  it.scoped("--help lists the subcommands and exits 0", () =>
    Effect.gen(function*() {
      const result = yield* CliHarness.run(["--help"])
      expect(result.exitCode).toBe(0)
      expect(result.stdout).toContain("token")
      expect(result.stdout).toContain("header")
      expect(result.stdout).toContain("decode")
      expect(result.stderr).toBe("")
    }))

  it.scoped("credentials on the command line are not an option (2)", () =>
    Effect.gen(function*() {
      const result = yield* CliHarness.run(["token", "hydrosat", "--client-secret", "s3cr3t"])
      expect(result.exitCode).toBe(Cli.exitCodes.InvalidCommandLine)
    }))

  it("every outcome has its own exit code", () => {
    const codes = Object.values(Cli.exitCodes)
    expect(new Set(codes).size).toBe(codes.length)
  })
})

layer(LocalServer.layer, live)("effect-bearer decode <jwt>", (it) => {
  it.scoped("shows the header, the claims and the time left", () =>
    Effect.gen(function*() {
      const result = yield* CliHarness.run(["decode", jwt({ sub: "project-1", iat: nowSeconds(), exp: nowSeconds() + 300 })])
      expect(result.exitCode).toBe(0)
      expect(result.stderr).toBe("")
      expect(result.stdout).toContain(`"alg":"HS512"`)
      expect(result.stdout).toContain(`"sub": "project-1"`)
      expect(result.stdout).toMatch(/issued\s+\S+Z \((0s|\ds) ago\)/)
      expect(result.stdout).toMatch(/expires\s+\S+Z \(in (5m|4m \d+s)\)/)
    }))

  it.scoped("accepts the token with its `Bearer ` prefix, as copied from a header", () =>
    Effect.gen(function*() {
      const result = yield* CliHarness.run(["decode", `Bearer ${jwt({ sub: "header", exp: nowSeconds() + 60 })}`])
      expect(result.exitCode).toBe(0)
      expect(result.stdout).toContain(`"sub": "header"`)
    }))

  it.scoped("says how long ago an expired JWT expired, and still exits 0", () =>
    Effect.gen(function*() {
      const result = yield* CliHarness.run(["decode", jwt({ sub: "old", iat: nowSeconds() - 600, exp: nowSeconds() - 120 })])
      expect(result.exitCode).toBe(0)
      expect(result.stdout).toMatch(/expired\s+\S+Z \(2m( \d+s)? ago\)/)
    }))

  it.scoped("says when a JWT has no exp claim", () =>
    Effect.gen(function*() {
      const result = yield* CliHarness.run(["decode", jwt({ sub: "forever" })])
      expect(result.exitCode).toBe(0)
      expect(result.stdout).toContain("never (no exp claim)")
    }))

  it.scoped("--json prints the header, claims and seconds left as JSON", () =>
    Effect.gen(function*() {
      const exp = nowSeconds() + 300
      const result = yield* CliHarness.run(["decode", "--json", jwt({ sub: "json", exp })])
      expect(result.exitCode).toBe(0)
      const parsed = JSON.parse(result.stdout)
      expect(parsed.header).toEqual({ alg: "HS512", typ: "JWT" })
      expect(parsed.claims).toMatchObject({ sub: "json", exp })
      expect(parsed.expired).toBe(false)
      expect(parsed.seconds_left).toBeGreaterThan(295)
      expect(parsed.seconds_left).toBeLessThanOrEqual(300)
    }))

  it.scoped("a token from the local server decodes to its provider's claims", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.fresh
      const token = yield* CliHarness.run(["token", "up42-project"], server.environment)
      const decoded = yield* CliHarness.run(["decode", token.stdout.trim()])
      expect(decoded.stdout).toContain(`"alg":"HS512"`)
      expect(decoded.stdout).toContain(`"sub": "${server.credentials.up42Projects[0]?.projectId}"`)
    }))

  it.scoped("reads the token from stdin, keeping it out of the process list", () =>
    Effect.gen(function*() {
      const exp = nowSeconds() + 3600
      const result = yield* CliHarness.run(["decode"], {}, { stdin: `${jwt({ sub: "piped", exp })}\n` })
      expect(result.exitCode).toBe(0)
      expect(result.stdout).toContain(`"sub": "piped"`)
      expect(result.stdout).toMatch(/expires\s+\S+Z \(in (1h|5\dm( \d+s)?)\)/)
    }))

  it.scoped("nothing on stdin says what to do (InvalidJwt)", () =>
    Effect.gen(function*() {
      const result = yield* CliHarness.run(["decode"], {}, { stdin: "" })
      expect(result.exitCode).toBe(Cli.exitCodes.InvalidJwt)
      expect(result.stderr).toContain("No token to decode")
    }))

  it.scoped("refuses an opaque token without echoing it (InvalidJwt, 30)", () =>
    Effect.gen(function*() {
      const result = yield* CliHarness.run(["decode", "ory_at_opaque-token"])
      expect(result.exitCode).toBe(Cli.exitCodes.InvalidJwt)
      expect(result.stdout).toBe("")
      expect(result.stderr).toContain("not a JWT")
      expect(result.stderr).not.toContain("ory_at_opaque-token")
    }))
})
