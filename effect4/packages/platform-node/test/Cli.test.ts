/**
 * The `effect-bearer` command of the Effect 4 line, in process against the local provider server:
 * the same commands, options, output and exit codes as the Effect 3 line's.
 */
import * as Jwt from "@effect-bearer/core/Jwt"
import { Cli } from "@effect-bearer/platform-node"
import * as LocalProviderServer from "@effect-bearer/providers/LocalProviderServer"
import { NodeLocalProviderServer } from "@effect-bearer/platform-node"
import { expect, layer } from "@effect/vitest"
import { Effect, Layer, Option, Redacted } from "effect"
import { HttpClient, HttpClientRequest } from "effect/http"
import * as CliHarness from "./support/CliHarness.js"
import * as TemporaryFiles from "./support/TemporaryFiles.js"

const Server = NodeLocalProviderServer.layerTest().pipe(Layer.orDie)
// The CLI runs on the real clock (its output shows real times).
const live = { excludeTestServices: true } as const

type ApiProvider = "up42-project" | "up42-account" | "bitquery" | "hydrosat"

const server = Effect.gen(function*() {
  const server = yield* LocalProviderServer.LocalProviderServer
  yield* server.clearFaults
  return server
})

/** Whether the provider's API accepts `token`, asked directly over HTTP. */
const apiAccepts = (provider: ApiProvider, token: string) =>
  Effect.gen(function*() {
    const { urls } = yield* server
    const client = yield* HttpClient.HttpClient
    const url = urls[provider].apiUrl
    const request = provider === "bitquery" ? HttpClientRequest.post(url) : HttpClientRequest.get(url)
    return (yield* client.execute(HttpClientRequest.bearerToken(request, token))).status === 200
  })

/** The server's secrets, none of which may ever be printed. */
const secretsOf = (local: LocalProviderServer.Service) => [
  ...local.credentials.up42Projects.map((project) => Redacted.value(project.projectApiKey)),
  Redacted.value(local.credentials.up42Account.password),
  Redacted.value(local.credentials.bitquery.clientSecret),
  Redacted.value(local.credentials.bitquery.accessToken),
  Redacted.value(local.credentials.hydrosat.clientSecret)
]
const expectNoSecrets = (local: LocalProviderServer.Service, output: string) => {
  for (const secret of secretsOf(local)) expect(output).not.toContain(secret)
}

const hydrosatCreds = (local: LocalProviderServer.Service) =>
  JSON.stringify({ client_id: local.credentials.hydrosat.clientId, client_secret: Redacted.value(local.credentials.hydrosat.clientSecret) })

/** Requests an endpoint received while `effect` ran. */
const counting = <A, E, R>(provider: Parameters<LocalProviderServer.Service["requestCount"]>[0], effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const local = yield* server
    const before = yield* local.requestCount(provider)
    const result = yield* effect
    return [result, (yield* local.requestCount(provider)) - before] as const
  })

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url")
const jwt = (claims: Record<string, unknown>) => `${base64url({ alg: "HS512", typ: "JWT" })}.${base64url(claims)}.c2lnbmF0dXJl`

layer(Server, live)("effect-bearer token <provider>", (it) => {
  for (const [provider, isJwt] of [["up42-project", true], ["up42-account", true], ["bitquery", false], ["hydrosat", true]] as const) {
    it.effect(`prints a fresh ${provider} token, and only the token, from the environment`, () =>
      Effect.gen(function*() {
        const local = yield* server
        const [result, requests] = yield* counting(provider, CliHarness.run(["token", provider], local.environment))
        expect(result.stderr).toBe("")
        expect(result.exitCode).toBe(0)
        const lines = result.stdout.trimEnd().split("\n")
        expect(lines).toHaveLength(1)
        expect(Option.isSome(Jwt.decodeClaims(lines[0]!))).toBe(isJwt)
        expect(yield* apiAccepts(provider, lines[0]!)).toBe(true)
        expect(requests).toBe(1)
        expectNoSecrets(local, result.stdout)
      }))
  }

  it.effect("oauth2: any OAuth2 server, its token endpoint found by OpenID discovery", () =>
    Effect.gen(function*() {
      const local = yield* server
      const [result, requests] = yield* counting("oauth2", CliHarness.run(["token", "oauth2"], local.environment))
      expect(result).toMatchObject({ exitCode: 0, stderr: "" })
      expect(requests).toBe(1)
    }))

  it.effect("header prints one line, Authorization: Bearer <token>, with the same cached token as token", () =>
    Effect.gen(function*() {
      const local = yield* server
      const cache = yield* TemporaryFiles.directory()
      const environment = { ...local.environment, XDG_CACHE_HOME: cache }
      const [[token, header], requests] = yield* counting(
        "hydrosat",
        Effect.all([CliHarness.run(["token", "hydrosat"], environment), CliHarness.run(["header", "hydrosat"], environment)])
      )
      expect(header.exitCode).toBe(0)
      expect(header.stdout).toBe(`Authorization: Bearer ${token.stdout.trim()}\n`)
      expect(requests).toBe(1)
    }))

  it.effect("--no-cache asks the provider every time, and writes nothing to the cache", () =>
    Effect.gen(function*() {
      const local = yield* server
      const cache = yield* TemporaryFiles.directory()
      const environment = { ...local.environment, XDG_CACHE_HOME: cache }
      const [, requests] = yield* counting(
        "hydrosat",
        Effect.all([CliHarness.run(["token", "hydrosat", "--no-cache"], environment), CliHarness.run(["token", "hydrosat", "--no-cache"], environment)])
      )
      expect(requests).toBe(2)
      const { readdirSync } = yield* Effect.promise(() => import("node:fs"))
      expect(readdirSync(cache)).toEqual([])
    }))

  it.effect("--json prints the token response with its secrets redacted; --reveal shows them", () =>
    Effect.gen(function*() {
      const local = yield* server
      const redacted = yield* CliHarness.run(["token", "up42-account", "--json", "--no-cache"], local.environment)
      expect(redacted.exitCode).toBe(0)
      expect(JSON.parse(redacted.stdout)).toMatchObject({
        provider: "up42-account",
        access_token: "<redacted>",
        refresh_token: "<redacted>",
        token_type: "Bearer",
        lifetime_source: "expires_in"
      })
      const revealed = JSON.parse((yield* CliHarness.run(["token", "up42-account", "--json", "--reveal", "--no-cache"], local.environment)).stdout)
      expect(revealed.access_token).not.toBe("<redacted>")
      expect(yield* apiAccepts("up42-account", revealed.access_token)).toBe(true)
      expectNoSecrets(local, redacted.stdout)
    }))

  it.effect("reads a credentials file given with --credentials", () =>
    Effect.gen(function*() {
      const local = yield* server
      const path = yield* TemporaryFiles.file(hydrosatCreds(local), 0o600)
      const result = yield* CliHarness.run(["token", "hydrosat", "--credentials", path], { HYDROSAT_TOKEN_URL: local.environment["HYDROSAT_TOKEN_URL"]! })
      expect(result.exitCode).toBe(0)
      expect(yield* apiAccepts("hydrosat", result.stdout.trim())).toBe(true)
    }))

  it.effect("refuses a credentials file readable by others: InsecureCredentialsFile, exit code 22, nothing on stdout", () =>
    Effect.gen(function*() {
      const local = yield* server
      const path = yield* TemporaryFiles.file(hydrosatCreds(local), 0o644)
      const result = yield* CliHarness.run(["token", "hydrosat", "--credentials", path], {})
      expect(result).toMatchObject({ exitCode: Cli.exitCodes.InsecureCredentialsFile, stdout: "" })
      expect(result.stderr).toContain(`chmod 600 ${path}`)
      expectNoSecrets(local, result.stderr)
    }))

  it.effect("reports a file named by HYDROSAT_CREDENTIALS_FILE with the same exit code as --credentials", () =>
    Effect.gen(function*() {
      const result = yield* CliHarness.run(["token", "hydrosat"], { HYDROSAT_CREDENTIALS_FILE: "/nonexistent/creds.json" })
      expect(result.exitCode).toBe(Cli.exitCodes.CredentialsFileNotFound)
      expect(result.stderr).toContain("No credentials file at /nonexistent/creds.json")
    }))

  it.effect("without credentials: MissingCredentials naming the variables and the file format, exit code 3", () =>
    Effect.gen(function*() {
      const result = yield* CliHarness.run(["token", "hydrosat"], {})
      expect(result).toMatchObject({ exitCode: 3, stdout: "" })
      expect(result.stderr).toContain("effect-bearer: MissingCredentials: No credentials for hydrosat. Set HYDROSAT_CLIENT_ID")
    }))

  it.effect("wrong credentials: InvalidCredentials, exit code 10, no secret printed", () =>
    Effect.gen(function*() {
      const local = yield* server
      const result = yield* CliHarness.run(["token", "hydrosat", "--no-cache"], { ...local.environment, HYDROSAT_CLIENT_SECRET: "wrong-secret" })
      expect(result).toMatchObject({ exitCode: Cli.exitCodes.InvalidCredentials, stdout: "" })
      expect(result.stderr).toMatch(/^effect-bearer: InvalidCredentials: /)
      expect(result.stderr).not.toContain("wrong-secret")
    }))

  it.effect("an invalid EFFECT_BEARER_STORE_KEY is warned about by name, never by value, and the token still comes", () =>
    Effect.gen(function*() {
      const local = yield* server
      const result = yield* CliHarness.run(["token", "hydrosat"], { ...local.environment, EFFECT_BEARER_STORE_KEY: "not-a-key!" })
      expect(result.exitCode).toBe(0)
      expect(result.stderr).toContain("EFFECT_BEARER_STORE_KEY is not valid")
      expect(result.stderr).not.toContain("not-a-key!")
    }))
})

layer(Server, live)("effect-bearer: the command line", (it) => {
  it.effect("no subcommand is a usage error: help on stderr, nothing on stdout, exit code 2, whatever options come", () =>
    Effect.gen(function*() {
      for (const args of [[], ["--log-level", "debug"]]) {
        const result = yield* CliHarness.run(args)
        expect(result).toMatchObject({ exitCode: 2, stdout: "" })
        expect(result.stderr).toContain("No command given: token, header or decode.")
        expect(result.stderr).toContain("SUBCOMMANDS")
      }
    }))

  it.effect("--help prints the help on stdout, exit code 0", () =>
    Effect.gen(function*() {
      const result = yield* CliHarness.run(["--help"])
      expect(result.exitCode).toBe(0)
      expect(result.stdout).toContain("token")
      expect(result.stdout).toContain("decode")
    }))

  it.effect("an unknown provider or option is a usage error, exit code 2, nothing on stdout", () =>
    Effect.gen(function*() {
      for (const args of [["token", "nope"], ["token", "hydrosat", "--nope"], ["header"]]) {
        expect(yield* CliHarness.run(args)).toMatchObject({ exitCode: 2, stdout: "" })
      }
    }))

  it.effect("help and usage errors carry no ANSI escapes when the streams are not terminals", () =>
    Effect.gen(function*() {
      const usage = yield* CliHarness.run([])
      const help = yield* CliHarness.run(["--help"])
      expect(usage.stderr).not.toContain("\u001b[")
      expect(help.stdout).not.toContain("\u001b[")
    }))
})

layer(Server, live)("effect-bearer decode", (it) => {
  const now = Math.floor(Date.now() / 1000)
  const token = jwt({ sub: "someone", iat: now - 60, exp: now + 252 })

  it.effect("shows the header, the claims and the time left", () =>
    Effect.gen(function*() {
      const result = yield* CliHarness.run(["decode", token])
      expect(result.exitCode).toBe(0)
      expect(result.stdout).toContain(`header   {"alg":"HS512","typ":"JWT"}`)
      expect(result.stdout).toContain(`"sub": "someone"`)
      expect(result.stdout).toMatch(/expires  \S+ \(in 4m \d+s\)/)
    }))

  it.effect("--json prints the claims, the expiry and the seconds left", () =>
    Effect.gen(function*() {
      const result = yield* CliHarness.run(["decode", "--json", token])
      expect(JSON.parse(result.stdout)).toMatchObject({ claims: { sub: "someone" }, expired: false })
    }))

  it.effect("reads the token from standard input (so that it stays out of ps), a Bearer prefix allowed", () =>
    Effect.gen(function*() {
      const result = yield* CliHarness.run(["decode"], {}, { stdin: `Bearer ${token}\n` })
      expect(result.exitCode).toBe(0)
      expect(result.stdout).toContain(`"sub": "someone"`)
    }))

  it.effect("an expired token is still shown, exit code 0, saying it expired", () =>
    Effect.gen(function*() {
      const result = yield* CliHarness.run(["decode", jwt({ exp: now - 60 })])
      expect(result.exitCode).toBe(0)
      expect(result.stdout).toMatch(/expired  \S+ \(1m( \d+s)? ago\)/)
    }))

  it.effect("something that is not a JWT, or nothing: InvalidJwt, exit code 30", () =>
    Effect.gen(function*() {
      expect((yield* CliHarness.run(["decode", "ory_at_opaque"])).exitCode).toBe(Cli.exitCodes.InvalidJwt)
      const empty = yield* CliHarness.run(["decode"], {}, { stdin: "  \n" })
      expect(empty.exitCode).toBe(Cli.exitCodes.InvalidJwt)
      expect(empty.stderr).toContain("No token to decode")
    }))
})
