/**
 * Bad input on Node: credentials files (missing, not a regular file, invalid JSON, not an
 * object, missing, empty or non-string fields, readable by others, too large), bad
 * environment variables, and an unknown provider on the command line. Each row is a
 * clear typed error, raised when the layer is built: the local provider server, which
 * every row points at, records zero requests on any endpoint. A control row with a good
 * file proves the same path does reach the server.
 */
import * as FileSystem from "@effect/platform/FileSystem"
import { execFileSync } from "node:child_process"
import { expect, layer } from "@effect/vitest"
import { ConfigProvider, Effect, Layer, Redacted } from "effect"
import { TokenProvider } from "@effect-bearer/core"
import { Bitquery, Hydrosat, LocalProviderServer, OAuth2, Up42Account, Up42Project } from "@effect-bearer/providers"
import { Cli } from "@effect-bearer/platform-node"
import * as CliHarness from "../support/CliHarness.js"
import * as LocalServer from "../support/LocalServer.js"

/** Each block shares one local provider server, on the real clock; every test that talks to it starts with `LocalServer.fresh`. */
const live = { excludeTestServices: true } as const

/** Requests of every endpoint of every provider, so that "zero" means nothing at all. */
const allRequests = (server: LocalProviderServer.Service) =>
  Effect.map(
    Effect.all(
      LocalProviderServer.providerIds.flatMap((id) =>
        (["token", "api", "discovery", "revocation"] as const).map((endpoint) => server.requestCount(id, endpoint))
      )
    ),
    (counts) => counts.reduce((a, b) => a + b, 0)
  )

/** The variables that point each provider at the server, without any credentials. */
const tokenUrls = (server: LocalProviderServer.Service) =>
  Object.fromEntries(
    Object.entries(server.environment).filter(([name]) => name.endsWith("_TOKEN_URL") || name === "OAUTH2_ISSUER")
  )

type FileSpec =
  | { readonly content: string; readonly mode: number }
  | { readonly special: "missing" | "directory" | "device" | "fifo" }

interface FileRow {
  readonly name: string
  readonly provider: "hydrosat" | "up42-project" | "up42-account" | "bitquery"
  readonly file: (server: LocalProviderServer.Service) => FileSpec
  readonly tag: keyof typeof Cli.exitCodes
  readonly excerpt: string
}

const hydrosat = (server: LocalProviderServer.Service) => ({
  client_id: server.credentials.hydrosat.clientId,
  client_secret: Redacted.value(server.credentials.hydrosat.clientSecret)
})

const fileRows: ReadonlyArray<FileRow> = [
  {
    name: "a missing credentials file",
    provider: "hydrosat",
    file: () => ({ special: "missing" }),
    tag: "CredentialsFileNotFound",
    excerpt: "No credentials file at"
  },
  {
    name: "a directory instead of a file",
    provider: "hydrosat",
    file: () => ({ special: "directory" }),
    tag: "CredentialsFileUnreadable",
    excerpt: "it is a directory"
  },
  {
    name: "a device instead of a file (/dev/null)",
    provider: "hydrosat",
    file: () => ({ special: "device" }),
    tag: "CredentialsFileUnreadable",
    excerpt: "it is not a regular file"
  },
  {
    name: "a FIFO instead of a file (refused at once, never waited on)",
    provider: "hydrosat",
    file: () => ({ special: "fifo" }),
    tag: "CredentialsFileUnreadable",
    excerpt: "it is not a regular file (FIFO)"
  },
  {
    name: "mode 0644 (readable by everyone)",
    provider: "hydrosat",
    file: (server) => ({ content: JSON.stringify(hydrosat(server)), mode: 0o644 }),
    tag: "InsecureCredentialsFile",
    excerpt: "may be read by other users (permissions 644)"
  },
  {
    name: "mode 0640 (readable by the group)",
    provider: "up42-project",
    file: (server) => ({
      content: JSON.stringify({
        project_id: server.credentials.up42Projects[0]!.projectId,
        project_api_key: Redacted.value(server.credentials.up42Projects[0]!.projectApiKey)
      }),
      mode: 0o640
    }),
    tag: "InsecureCredentialsFile",
    excerpt: "chmod 600"
  },
  {
    name: "invalid JSON",
    provider: "hydrosat",
    file: (server) => ({ content: JSON.stringify(hydrosat(server)).slice(0, -5), mode: 0o600 }),
    tag: "InvalidCredentialsFile",
    excerpt: "is not valid JSON"
  },
  {
    name: "JSON that is not an object",
    provider: "hydrosat",
    file: (server) => ({ content: JSON.stringify(Object.values(hydrosat(server))), mode: 0o600 }),
    tag: "InvalidCredentialsFile",
    excerpt: "is not a JSON object"
  },
  {
    name: "a missing field (client_secret)",
    provider: "hydrosat",
    file: (server) => ({ content: JSON.stringify({ client_id: hydrosat(server).client_id }), mode: 0o600 }),
    tag: "InvalidCredentialsFile",
    excerpt: "has no \"client_secret\" field"
  },
  {
    name: "a missing field (password)",
    provider: "up42-account",
    file: (server) => ({ content: JSON.stringify({ username: server.credentials.up42Account.username }), mode: 0o600 }),
    tag: "InvalidCredentialsFile",
    excerpt: "has no \"password\" field"
  },
  {
    name: "an empty field (whitespace client_id)",
    provider: "hydrosat",
    file: (server) => ({ content: JSON.stringify({ ...hydrosat(server), client_id: "  " }), mode: 0o600 }),
    tag: "InvalidCredentialsFile",
    excerpt: "has an empty \"client_id\" field"
  },
  {
    name: "a field that is not a string",
    provider: "hydrosat",
    file: (server) => ({ content: JSON.stringify({ ...hydrosat(server), client_secret: 12345 }), mode: 0o600 }),
    tag: "InvalidCredentialsFile",
    excerpt: "has a \"client_secret\" field that is not a string"
  },
  {
    name: "both a console token and an application (Bitquery)",
    provider: "bitquery",
    file: (server) => ({
      content: JSON.stringify({
        client_id: server.credentials.bitquery.clientId,
        client_secret: Redacted.value(server.credentials.bitquery.clientSecret),
        access_token: Redacted.value(server.credentials.bitquery.accessToken)
      }),
      mode: 0o600
    }),
    tag: "InvalidCredentialsFile",
    excerpt: "holds two kinds of credentials"
  },
  {
    name: "a file too large to be credentials",
    provider: "hydrosat",
    file: (server) => ({ content: JSON.stringify({ ...hydrosat(server), padding: "x".repeat(100_000) }), mode: 0o600 }),
    tag: "InvalidCredentialsFile",
    excerpt: "is too large to be a credentials file"
  }
]

/** Writes the file a row describes, in a temporary directory of the test's scope. */
const writeFile = (spec: FileSpec) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const dir = yield* fs.makeTempDirectoryScoped({ prefix: "effect-bearer-bad-input-" })
    if ("special" in spec) {
      if (spec.special === "fifo") execFileSync("mkfifo", ["-m", "600", `${dir}/creds.json`])
      return spec.special === "missing" || spec.special === "fifo"
        ? `${dir}/creds.json`
        : spec.special === "directory"
        ? dir
        : "/dev/null"
    }
    const path = `${dir}/creds.json`
    yield* fs.writeFileString(path, spec.content)
    yield* fs.chmod(path, spec.mode)
    return path
  })

/** Every secret the server knows: none may be printed, whatever went wrong. */
const secretsOf = (server: LocalProviderServer.Service) => [
  ...server.credentials.up42Projects.map((project) => Redacted.value(project.projectApiKey)),
  Redacted.value(server.credentials.up42Account.password),
  Redacted.value(server.credentials.bitquery.clientSecret),
  Redacted.value(server.credentials.bitquery.accessToken),
  Redacted.value(server.credentials.hydrosat.clientSecret),
  Redacted.value(server.credentials.oauth2.clientSecret)
]

layer(LocalServer.layer, live)("bad credentials files: a typed error before any request (effect-bearer token --credentials)", (it) => {
  for (const row of fileRows) {
    it.scoped(`${row.name} → ${row.tag} (exit ${Cli.exitCodes[row.tag]})`, () =>
      Effect.gen(function*() {
        const server = yield* LocalServer.fresh
        const path = yield* writeFile(row.file(server))
        const result = yield* CliHarness.run(["token", row.provider, "--credentials", path], tokenUrls(server))
        expect(result.exitCode).toBe(Cli.exitCodes[row.tag])
        expect(result.stdout).toBe("")
        expect(result.stderr).toContain(`effect-bearer: ${row.tag}: `)
        expect(result.stderr).toContain(row.excerpt)
        expect(result.stderr).toContain(path)
        for (const secret of secretsOf(server)) expect(result.stderr).not.toContain(secret)
        expect(yield* allRequests(server)).toBe(0)
      }))
  }

  it.scoped("control: the same path with a good file (mode 0600) reaches the token endpoint once", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.fresh
      const path = yield* writeFile({ content: JSON.stringify(hydrosat(server)), mode: 0o600 })
      const result = yield* CliHarness.run(["token", "hydrosat", "--credentials", path], tokenUrls(server))
      expect(result.exitCode).toBe(0)
      expect(yield* server.requestCount("hydrosat", "token")).toBe(1)
    }))
})

interface EnvironmentRow {
  readonly name: string
  /** The provider argument as typed on the command line. */
  readonly provider: string
  readonly environment: (server: LocalProviderServer.Service) => Record<string, string>
  readonly tag: keyof typeof Cli.exitCodes
  readonly excerpt: string
}

const environmentRows: ReadonlyArray<EnvironmentRow> = [
  {
    name: "an unknown provider",
    provider: "planet",
    environment: (server) => server.environment,
    tag: "InvalidCommandLine",
    excerpt: "Expected one of the following cases: up42-project, up42-account, bitquery, hydrosat, oauth2"
  },
  {
    name: "no credentials at all",
    provider: "hydrosat",
    environment: tokenUrls,
    tag: "MissingCredentials",
    excerpt:
      "Set HYDROSAT_CLIENT_ID and HYDROSAT_CLIENT_SECRET (or HYDROSAT_CREDENTIALS_FILE) in the environment, or pass --credentials <file>"
  },
  {
    name: "a whitespace client id",
    provider: "hydrosat",
    environment: (server) => ({ ...server.environment, HYDROSAT_CLIENT_ID: "   " }),
    tag: "InvalidConfiguration",
    excerpt: "Invalid configuration for HYDROSAT_CLIENT_ID: is empty"
  },
  {
    name: "an empty client secret",
    provider: "bitquery",
    environment: (server) => ({ ...server.environment, BITQUERY_CLIENT_SECRET: "" }),
    tag: "InvalidConfiguration",
    excerpt: "Invalid configuration for BITQUERY_CLIENT_SECRET: is empty"
  },
  {
    name: "a whitespace client secret",
    provider: "hydrosat",
    environment: (server) => ({ ...server.environment, HYDROSAT_CLIENT_SECRET: "  " }),
    tag: "InvalidConfiguration",
    excerpt: "Invalid configuration for HYDROSAT_CLIENT_SECRET: is empty"
  },
  {
    name: "an empty BITQUERY_CLIENT_ID beside a client secret",
    provider: "bitquery",
    environment: (server) => ({ ...server.environment, BITQUERY_CLIENT_ID: "" }),
    tag: "InvalidConfiguration",
    excerpt: "Invalid configuration for BITQUERY_CLIENT_ID: is empty"
  },
  {
    name: "a missing password",
    provider: "up42-account",
    environment: (server) => {
      const { UP42_PASSWORD: _, ...rest } = server.environment
      return rest
    },
    tag: "InvalidConfiguration",
    excerpt: "Invalid configuration for UP42_PASSWORD: is not set"
  },
  {
    name: "a token URL that is not a URL",
    provider: "hydrosat",
    environment: (server) => ({ ...server.environment, HYDROSAT_TOKEN_URL: "auth.hydrosat.com/oauth2/token" }),
    tag: "WrongHost",
    excerpt: "The token endpoint is not a valid absolute URL"
  },
  {
    name: "a token URL over plain http to another host",
    provider: "up42-project",
    environment: (server) => ({ ...server.environment, UP42_PROJECT_TOKEN_URL: "http://api.up42.com/oauth/token" }),
    tag: "WrongHost",
    excerpt: "Refusing to send credentials over plain http"
  },
  {
    name: "a secret pasted into OAUTH2_CLIENT_AUTHENTICATION (named, never echoed)",
    provider: "oauth2",
    environment: (server) => ({
      ...server.environment,
      OAUTH2_CLIENT_AUTHENTICATION: Redacted.value(server.credentials.oauth2.clientSecret)
    }),
    tag: "InvalidConfiguration",
    excerpt:
      "Invalid configuration for OAUTH2_CLIENT_AUTHENTICATION: is not one of the allowed values: set it to client_secret_basic, client_secret_post or none"
  },
  {
    name: "a secret pasted into OAUTH2_GRANT_TYPE (named, never echoed)",
    provider: "oauth2",
    environment: (server) => ({ ...server.environment, OAUTH2_GRANT_TYPE: Redacted.value(server.credentials.oauth2.clientSecret) }),
    tag: "InvalidConfiguration",
    excerpt: "Invalid configuration for OAUTH2_GRANT_TYPE: is not one of the allowed values: set it to client_credentials or password"
  },
  {
    name: "both a token URL and an issuer (generic OAuth2)",
    provider: "oauth2",
    environment: (server) => ({
      ...server.environment,
      OAUTH2_TOKEN_URL: server.urls.oauth2.tokenUrl,
      OAUTH2_ISSUER: server.urls.oauth2.issuer
    }),
    tag: "InvalidConfiguration",
    excerpt: "set the token URL, or the issuer to discover it, not both"
  }
]

layer(LocalServer.layer, live)("bad environment and command line: a typed error before any request (effect-bearer token)", (it) => {
  for (const row of environmentRows) {
    it.scoped(`${row.name} → ${row.tag} (exit ${Cli.exitCodes[row.tag]})`, () =>
      Effect.gen(function*() {
        const server = yield* LocalServer.fresh
        const result = yield* CliHarness.run(["token", row.provider], row.environment(server))
        expect(result.exitCode).toBe(Cli.exitCodes[row.tag])
        expect(result.stdout).toBe("")
        if (row.tag !== "InvalidCommandLine") expect(result.stderr).toContain(`effect-bearer: ${row.tag}: `)
        expect(result.stderr).toContain(row.excerpt)
        for (const secret of secretsOf(server)) expect(result.stderr).not.toContain(secret)
        expect(yield* allRequests(server)).toBe(0)
      }))
  }
})

layer(LocalServer.layer, live)("an empty variable beside a usable one (effect-bearer token)", (it) => {
  it.scoped("an empty BITQUERY_CLIENT_ID beside BITQUERY_ACCESS_TOKEN counts as unset: the console token is printed, no token request", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.fresh
      const { BITQUERY_CLIENT_SECRET: _, ...rest } = server.environment
      const result = yield* CliHarness.run(["token", "bitquery"], {
        ...rest,
        BITQUERY_CLIENT_ID: "",
        BITQUERY_ACCESS_TOKEN: Redacted.value(server.credentials.bitquery.accessToken)
      })
      expect(result.exitCode).toBe(0)
      expect(result.stdout).toContain(Redacted.value(server.credentials.bitquery.accessToken))
      expect(yield* allRequests(server)).toBe(0)
    }))
})

layer(LocalServer.layer, live)("bad environment: each provider's layerConfig fails when it is built", (it) => {
  const layers = [
    ["Up42Project", Up42Project.layerConfig(), "UP42_PROJECT_API_KEY"],
    ["Up42Account", Up42Account.layerConfig(), "UP42_PASSWORD"],
    ["Bitquery", Bitquery.layerConfig(), "BITQUERY_CLIENT_SECRET"],
    ["Hydrosat", Hydrosat.layerConfig(), "HYDROSAT_CLIENT_SECRET"],
    ["OAuth2", OAuth2.layerConfig(), "OAUTH2_CLIENT_SECRET"]
  ] as const
  for (const [name, layer, secretVariable] of layers) {
    it.scoped(`${name}.layerConfig with a blank ${secretVariable} → InvalidConfiguration, no request`, () =>
      Effect.gen(function*() {
        const server = yield* LocalServer.fresh
        const error = yield* Layer.build(layer).pipe(
          Effect.withConfigProvider(ConfigProvider.fromJson({ ...server.environment, [secretVariable]: " " })),
          Effect.flip
        )
        expect(error).toMatchObject({ _tag: "InvalidConfiguration", setting: secretVariable })
        expect(error.message).toContain(`Invalid configuration for ${secretVariable}`)
        expect(yield* allRequests(server)).toBe(0)
      }))

    it.scoped(`${name}.layerConfig with the server's environment builds and gets a token (control)`, () =>
      Effect.gen(function*() {
        const server = yield* LocalServer.fresh
        const context = yield* Layer.build(layer).pipe(
          Effect.withConfigProvider(ConfigProvider.fromJson(server.environment))
        )
        yield* Effect.provide(TokenProvider.get, context)
        expect(yield* allRequests(server)).toBeGreaterThan(0)
      }))
  }
})
