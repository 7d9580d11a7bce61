/**
 * Bad input to the `effect-bearer` command, for both lines: credentials files that cannot be used
 * (missing, not a regular file, invalid JSON, not an object, missing, empty or non-string fields,
 * readable by others, too large) and bad environment variables or command lines. Each row is a
 * clear typed error, with its tag (hence its exit code) and excerpts of its message, raised before
 * any request: the local provider server every row points at records none. Rows read the server
 * through {@link ServerFacts}, the plain view each line makes of its `LocalProviderServer`; both
 * lines' `platform-node/test/faults/BadInput.test.ts` iterate them, and check each run with
 * {@link checkFileRow} and {@link checkEnvironmentRow}.
 */
import type { Expect } from "./Expect.js"

/** What the rows need to know of the local provider server, secrets in plain text (test credentials). */
export interface ServerFacts {
  readonly environment: Readonly<Record<string, string>>
  readonly hydrosat: { readonly clientId: string; readonly clientSecret: string }
  readonly up42Project: { readonly projectId: string; readonly projectApiKey: string }
  readonly up42Account: { readonly username: string; readonly password: string }
  readonly bitquery: { readonly clientId: string; readonly clientSecret: string; readonly accessToken: string }
  readonly oauth2: { readonly clientSecret: string; readonly tokenUrl: string; readonly issuer: string }
}

/** The local provider server as either line's `LocalProviderServer.Service` shows it, its secrets of type `S` (`Redacted`). */
export interface ServerView<S> {
  readonly environment: Readonly<Record<string, string>>
  readonly credentials: {
    readonly hydrosat: { readonly clientId: string; readonly clientSecret: S }
    readonly up42Projects: ReadonlyArray<{ readonly projectId: string; readonly projectApiKey: S }>
    readonly up42Account: { readonly username: string; readonly password: S }
    readonly bitquery: { readonly clientId: string; readonly clientSecret: S; readonly accessToken: S }
    readonly oauth2: { readonly clientSecret: S }
  }
  readonly urls: { readonly oauth2: { readonly tokenUrl: string; readonly issuer: string } }
}

/** The facts the rows read, from either line's server, each secret revealed by `reveal` (`Redacted.value`). */
export const factsOf = <S>(server: ServerView<S>, reveal: (secret: S) => string): ServerFacts => {
  const { bitquery, hydrosat, oauth2, up42Account, up42Projects } = server.credentials
  return {
    environment: server.environment,
    hydrosat: { clientId: hydrosat.clientId, clientSecret: reveal(hydrosat.clientSecret) },
    up42Project: { projectId: up42Projects[0]!.projectId, projectApiKey: reveal(up42Projects[0]!.projectApiKey) },
    up42Account: { username: up42Account.username, password: reveal(up42Account.password) },
    bitquery: { clientId: bitquery.clientId, clientSecret: reveal(bitquery.clientSecret), accessToken: reveal(bitquery.accessToken) },
    oauth2: { clientSecret: reveal(oauth2.clientSecret), tokenUrl: server.urls.oauth2.tokenUrl, issuer: server.urls.oauth2.issuer }
  }
}

/** Every secret the server knows: none may be printed, whatever went wrong. */
export const secretsOf = (server: ServerFacts): ReadonlyArray<string> => [
  server.up42Project.projectApiKey,
  server.up42Account.password,
  server.bitquery.clientSecret,
  server.bitquery.accessToken,
  server.hydrosat.clientSecret,
  server.oauth2.clientSecret
]

/** The variables that point each provider at the server, without any credentials. */
export const tokenUrls = (server: ServerFacts): Record<string, string> =>
  Object.fromEntries(Object.entries(server.environment).filter(([name]) => name.endsWith("_TOKEN_URL") || name === "OAUTH2_ISSUER"))

/** A credentials file to write: its content and mode, or a special path. */
export type FileSpec =
  | { readonly content: string; readonly mode: number }
  | { readonly special: "missing" | "directory" | "device" | "fifo" }

/** A row of bad credentials files: `effect-bearer token <provider> --credentials <file>`. */
export interface FileRow {
  readonly name: string
  readonly provider: "hydrosat" | "up42-project" | "up42-account" | "bitquery"
  readonly file: (server: ServerFacts) => FileSpec
  readonly tag: string
  readonly excerpt: string
}

const hydrosat = (server: ServerFacts) => ({ client_id: server.hydrosat.clientId, client_secret: server.hydrosat.clientSecret })
const json = (value: unknown, mode = 0o600): FileSpec => ({ content: JSON.stringify(value), mode })

/** Bad credentials files. */
export const fileRows: ReadonlyArray<FileRow> = [
  { name: "a missing credentials file", provider: "hydrosat", file: () => ({ special: "missing" }), tag: "CredentialsFileNotFound", excerpt: "No credentials file at" },
  { name: "a directory instead of a file", provider: "hydrosat", file: () => ({ special: "directory" }), tag: "CredentialsFileUnreadable", excerpt: "it is a directory" },
  { name: "a device instead of a file (/dev/null)", provider: "hydrosat", file: () => ({ special: "device" }), tag: "CredentialsFileUnreadable", excerpt: "it is not a regular file" },
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
    file: (server) => json(hydrosat(server), 0o644),
    tag: "InsecureCredentialsFile",
    excerpt: "may be read by other users (permissions 644)"
  },
  {
    name: "mode 0640 (readable by the group)",
    provider: "up42-project",
    file: (server) => json({ project_id: server.up42Project.projectId, project_api_key: server.up42Project.projectApiKey }, 0o640),
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
  { name: "JSON that is not an object", provider: "hydrosat", file: (server) => json(Object.values(hydrosat(server))), tag: "InvalidCredentialsFile", excerpt: "is not a JSON object" },
  {
    name: "a missing field (client_secret)",
    provider: "hydrosat",
    file: (server) => json({ client_id: server.hydrosat.clientId }),
    tag: "InvalidCredentialsFile",
    excerpt: "has no \"client_secret\" field"
  },
  {
    name: "a missing field (password)",
    provider: "up42-account",
    file: (server) => json({ username: server.up42Account.username }),
    tag: "InvalidCredentialsFile",
    excerpt: "has no \"password\" field"
  },
  {
    name: "an empty field (whitespace client_id)",
    provider: "hydrosat",
    file: (server) => json({ ...hydrosat(server), client_id: "  " }),
    tag: "InvalidCredentialsFile",
    excerpt: "has an empty \"client_id\" field"
  },
  {
    name: "a field that is not a string",
    provider: "hydrosat",
    file: (server) => json({ ...hydrosat(server), client_secret: 12345 }),
    tag: "InvalidCredentialsFile",
    excerpt: "has a \"client_secret\" field that is not a string"
  },
  {
    name: "both a console token and an application (Bitquery)",
    provider: "bitquery",
    file: (server) =>
      json({ client_id: server.bitquery.clientId, client_secret: server.bitquery.clientSecret, access_token: server.bitquery.accessToken }),
    tag: "InvalidCredentialsFile",
    excerpt: "holds two kinds of credentials"
  },
  {
    name: "a file too large to be credentials",
    provider: "hydrosat",
    file: (server) => json({ ...hydrosat(server), padding: "x".repeat(100_000) }),
    tag: "InvalidCredentialsFile",
    excerpt: "is too large to be a credentials file"
  }
]

/** A row of bad environments and command lines: `effect-bearer token <provider>`. */
export interface EnvironmentRow {
  readonly name: string
  /** The provider argument as typed on the command line. */
  readonly provider: string
  readonly environment: (server: ServerFacts) => Record<string, string>
  readonly tag: string
  /** Texts the error output contains (each line's command-line parser words a usage error its own way). */
  readonly excerpts: ReadonlyArray<string>
}

const setting = (variable: string, value: string) => (server: ServerFacts) => ({ ...server.environment, [variable]: value })
const invalid = (variable: string, problem: string) => [`Invalid configuration for ${variable}: ${problem}`]

/** Bad environments and command lines. */
export const environmentRows: ReadonlyArray<EnvironmentRow> = [
  {
    name: "an unknown provider",
    provider: "planet",
    environment: (server) => ({ ...server.environment }),
    tag: "InvalidCommandLine",
    excerpts: ["planet", "up42-project", "up42-account", "bitquery", "hydrosat", "oauth2"]
  },
  {
    name: "no credentials at all",
    provider: "hydrosat",
    environment: tokenUrls,
    tag: "MissingCredentials",
    excerpts: ["Set HYDROSAT_CLIENT_ID and HYDROSAT_CLIENT_SECRET (or HYDROSAT_CREDENTIALS_FILE) in the environment, or pass --credentials <file>"]
  },
  { name: "a whitespace client id", provider: "hydrosat", environment: setting("HYDROSAT_CLIENT_ID", "   "), tag: "InvalidConfiguration", excerpts: invalid("HYDROSAT_CLIENT_ID", "is empty") },
  { name: "an empty client secret", provider: "bitquery", environment: setting("BITQUERY_CLIENT_SECRET", ""), tag: "InvalidConfiguration", excerpts: invalid("BITQUERY_CLIENT_SECRET", "is empty") },
  { name: "a whitespace client secret", provider: "hydrosat", environment: setting("HYDROSAT_CLIENT_SECRET", "  "), tag: "InvalidConfiguration", excerpts: invalid("HYDROSAT_CLIENT_SECRET", "is empty") },
  {
    name: "an empty BITQUERY_CLIENT_ID beside a client secret",
    provider: "bitquery",
    environment: setting("BITQUERY_CLIENT_ID", ""),
    tag: "InvalidConfiguration",
    excerpts: invalid("BITQUERY_CLIENT_ID", "is empty")
  },
  {
    name: "a missing password",
    provider: "up42-account",
    environment: (server) => Object.fromEntries(Object.entries(server.environment).filter(([name]) => name !== "UP42_PASSWORD")),
    tag: "InvalidConfiguration",
    excerpts: invalid("UP42_PASSWORD", "is not set")
  },
  {
    name: "a token URL that is not a URL",
    provider: "hydrosat",
    environment: setting("HYDROSAT_TOKEN_URL", "auth.hydrosat.com/oauth2/token"),
    tag: "WrongHost",
    excerpts: ["The token endpoint is not a valid absolute URL"]
  },
  {
    name: "a token URL over plain http to another host",
    provider: "up42-project",
    environment: setting("UP42_PROJECT_TOKEN_URL", "http://api.up42.com/oauth/token"),
    tag: "WrongHost",
    excerpts: ["Refusing to send credentials over plain http"]
  },
  {
    name: "a secret pasted into OAUTH2_CLIENT_AUTHENTICATION (named, never echoed)",
    provider: "oauth2",
    environment: (server) => setting("OAUTH2_CLIENT_AUTHENTICATION", server.oauth2.clientSecret)(server),
    tag: "InvalidConfiguration",
    excerpts: invalid("OAUTH2_CLIENT_AUTHENTICATION", "is not one of the allowed values: set it to client_secret_basic, client_secret_post or none")
  },
  {
    name: "a secret pasted into OAUTH2_GRANT_TYPE (named, never echoed)",
    provider: "oauth2",
    environment: (server) => setting("OAUTH2_GRANT_TYPE", server.oauth2.clientSecret)(server),
    tag: "InvalidConfiguration",
    excerpts: invalid("OAUTH2_GRANT_TYPE", "is not one of the allowed values: set it to client_credentials or password")
  },
  {
    name: "both a token URL and an issuer (generic OAuth2)",
    provider: "oauth2",
    environment: (server) => ({ ...server.environment, OAUTH2_TOKEN_URL: server.oauth2.tokenUrl, OAUTH2_ISSUER: server.oauth2.issuer }),
    tag: "InvalidConfiguration",
    excerpts: ["set the token URL, or the issuer to discover it, not both"]
  }
]

/** The variable holding each provider module's secret, which a blank value makes `InvalidConfiguration` at layer build. */
export const blankSecretRows = [
  { module: "Up42Project", variable: "UP42_PROJECT_API_KEY" },
  { module: "Up42Account", variable: "UP42_PASSWORD" },
  { module: "Bitquery", variable: "BITQUERY_CLIENT_SECRET" },
  { module: "Hydrosat", variable: "HYDROSAT_CLIENT_SECRET" },
  { module: "OAuth2", variable: "OAUTH2_CLIENT_SECRET" }
] as const

/** What a run of `effect-bearer token ...` left. */
export interface Finished {
  readonly exitCode: number
  readonly stdout: string
  readonly stderr: string
}

/** A row's run and what the line knows of it: the exit code of the row's tag (the line's `Cli.exitCodes`) and the server's facts. */
export interface Run {
  readonly finished: Finished
  readonly exitCode: number
  readonly server: ServerFacts
}

/** Checks the run of a {@link FileRow} with the file at `path`: the tag's exit code, nothing on stdout, the tagged error naming the file, no secret. */
export const checkFileRow = (row: FileRow, run: Run & { readonly path: string }, expect: Expect): void => {
  expect(run.finished.exitCode).toBe(run.exitCode)
  expect(run.finished.stdout).toBe("")
  expect(run.finished.stderr).toContain(`effect-bearer: ${row.tag}: `)
  expect(run.finished.stderr).toContain(row.excerpt)
  expect(run.finished.stderr).toContain(run.path)
  for (const secret of secretsOf(run.server)) expect(run.finished.stderr).not.toContain(secret)
}

/**
 * Checks the run of an {@link EnvironmentRow}: the tag's exit code, nothing on stdout, the tagged
 * error (a usage error is the parser's own text), `excerpts` (the row's unless the line words the
 * error its own way), no secret.
 */
export const checkEnvironmentRow = (row: EnvironmentRow, run: Run, expect: Expect, excerpts = row.excerpts): void => {
  expect(run.finished.exitCode).toBe(run.exitCode)
  expect(run.finished.stdout).toBe("")
  if (row.tag !== "InvalidCommandLine") expect(run.finished.stderr).toContain(`effect-bearer: ${row.tag}: `)
  for (const excerpt of excerpts) expect(run.finished.stderr).toContain(excerpt)
  for (const secret of secretsOf(run.server)) expect(run.finished.stderr).not.toContain(secret)
}
