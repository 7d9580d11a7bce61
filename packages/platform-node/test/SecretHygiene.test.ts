/**
 * Secret hygiene across packages: one test runs every provider against the local
 * provider server configured with canary secrets, passwords and console tokens (tokens,
 * refresh tokens, every fault mode, wrong credentials, the authenticated client's 401
 * recovery), credentials files holding canaries, and the CLI as a user runs it; it
 * captures every error in every printable form, every log line at Debug level, every
 * span, and everything the CLI printed; and asserts that no canary, and no token the
 * server issued, appears anywhere (the one exception: `effect-bearer token <provider>`
 * prints the token on stdout, which is its job).
 *
 * The second table runs every provider on each of the three Node HTTP clients, through
 * every token endpoint fault and the API faults the server can inject, reading the API
 * response with every accessor, and prints every error the way users do (see Capture).
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as FileSystem from "@effect/platform/FileSystem"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Encoding, Exit, Layer, Option, Redacted, Schedule } from "effect"
import type { AccessToken } from "@effect-bearer/core"
import { BearerHttpClient } from "@effect-bearer/core"
import { Hydrosat, LocalProviderServer } from "@effect-bearer/providers"
import { CredentialsFile, NodeBearerHttpClient, NodeLocalProviderServer } from "@effect-bearer/platform-node"
import * as Capture from "../../core/test/faults/support/Capture.js"
import { accessorsAndSchema as accessors } from "../../core/test/faults/support/ResponseAccessors.js"
import * as Providers from "./faults/support/Providers.js"
import * as CliHarness from "./support/CliHarness.js"

const canary = {
  projectApiKey: "canary-project-key-1a2b",
  up42Password: "canary-up42-password-5b2d 8e4f&=",
  bitquerySecret: "canary-bitquery-secret-9c8d",
  consoleToken: "ory_at_canary-console-token-77aa",
  hydrosatSecret: "canary-hydrosat-secret-4e5f:+% é",
  oauth2Secret: "canary-oauth2-secret-6a7b:+%",
  oauth2Password: "canary-oauth2-password-0c1d"
}
const projectId = "0f4c52d2-7b0e-4d16-9a7b-5f2a2b1c0099"

const credentials: Partial<LocalProviderServer.Credentials> = {
  up42Projects: [{ projectId, projectApiKey: Redacted.make(canary.projectApiKey) }],
  up42Account: { username: "someone@example.com", password: Redacted.make(canary.up42Password), clientId: "up42-api" },
  bitquery: {
    clientId: "bitquery-app",
    clientSecret: Redacted.make(canary.bitquerySecret),
    accessToken: Redacted.make(canary.consoleToken)
  },
  hydrosat: { clientId: "hydrosat-client", clientSecret: Redacted.make(canary.hydrosatSecret) },
  oauth2: {
    clientId: "oauth2-client",
    clientSecret: Redacted.make(canary.oauth2Secret),
    username: "someone",
    password: Redacted.make(canary.oauth2Password)
  }
}

const Environment = Layer.merge(NodeLocalProviderServer.layerTest({ credentials }), NodeFileSystem.layer)

const base64 = (text: string) => Encoding.encodeBase64(new TextEncoder().encode(text))

/** The canaries in every form they travel in. */
const staticCanaries = [
  ...Object.values(canary),
  ...Object.values(canary).map(Capture.formEncode),
  ...Object.values(canary).map(encodeURIComponent),
  base64(`${projectId}:${Capture.formEncode(canary.projectApiKey)}`),
  base64(`${projectId}:${canary.projectApiKey}`),
  base64(`oauth2-client:${Capture.formEncode(canary.oauth2Secret)}`)
]

const faults: ReadonlyArray<readonly [string, LocalProviderServer.Fault]> = [
  ["401", LocalProviderServer.status(401)],
  ["404", LocalProviderServer.status(404)],
  ["415", LocalProviderServer.status(415)],
  ["503", LocalProviderServer.serverError(503)],
  ["429", LocalProviderServer.rateLimited("1 second")],
  ["HTML", LocalProviderServer.html],
  ["truncated JSON", LocalProviderServer.truncatedJson],
  ["empty body", LocalProviderServer.emptyBody],
  ["no access_token", LocalProviderServer.missingAccessToken],
  ["token_type mac", LocalProviderServer.unsupportedTokenType]
]

describe("secret hygiene across packages", () => {
  it.scopedLive("no canary credential or issued token appears in any error, log line, span or CLI output", () => {
    const capture = Capture.make()
    const issued = new Set<string>()
    const remember = (token: AccessToken.AccessToken) => {
      issued.add(Redacted.value(token.value))
      Option.map(token.refreshToken, (refresh) => issued.add(Redacted.value(refresh.value)))
    }
    const scenario = <A, E, R>(name: string, effect: Effect.Effect<A, E, R>) =>
      Effect.tap(Effect.exit(effect), (exit) => Effect.sync(() => capture.recordExit(name, exit)))

    return Effect.gen(function*() {
      const server = yield* LocalProviderServer.LocalProviderServer
      const fs = yield* FileSystem.FileSystem
      const noRetry = { retry: Schedule.stop, backgroundRefresh: false } as const

      // 1. Every provider: tokens, invalidation and refresh, then every fault mode.
      for (const [id, make] of Providers.all) {
        yield* Effect.gen(function*() {
          const provider = yield* make(server, noRetry)
          const token = yield* provider.get
          remember(token)
          yield* Effect.log(`${id} token`, token)
          yield* provider.invalidate(token)
          remember(yield* provider.get)
          remember(yield* provider.refresh)
        }).pipe(Effect.scoped)
        for (const [name, fault] of faults) {
          yield* server.setFault(id, fault)
          yield* scenario(`${id} ${name}`, Effect.scoped(Effect.flatMap(make(server, noRetry), (provider) => provider.get)))
        }
        yield* server.clearFaults
      }

      // 2. Wrong credentials: the server answers 401 to a secret it does not know.
      yield* scenario(
        "hydrosat with a wrong secret",
        Hydrosat.make({
          ...noRetry,
          clientId: "hydrosat-client",
          clientSecret: Redacted.make(`${canary.hydrosatSecret}-wrong`),
          tokenUrl: server.urls.hydrosat.tokenUrl
        }).pipe(Effect.flatMap((provider) => provider.get), Effect.scoped)
      )

      // 3. The authenticated client: a call, then a 401 after revocation, recovered once.
      // The responses themselves are recorded: they carry the caller's request, not the token.
      const tokens = Hydrosat.layer({
        backgroundRefresh: false,
        clientId: "hydrosat-client",
        clientSecret: Redacted.make(canary.hydrosatSecret),
        tokenUrl: server.urls.hydrosat.tokenUrl
      })
      yield* Effect.gen(function*() {
        const client = yield* HttpClient.HttpClient
        const first = yield* client.execute(HttpClientRequest.get(server.urls.hydrosat.apiUrl))
        yield* server.revokeTokens("hydrosat")
        const second = yield* client.execute(HttpClientRequest.get(server.urls.hydrosat.apiUrl))
        capture.recordValue("API response", first)
        capture.recordValue("API response after a 401", second)
        expect([first.status, second.status]).toEqual([200, 200])
      }).pipe(Effect.provide(NodeBearerHttpClient.layer(tokens, { origins: [server.origin] })))

      // 4. Credentials files that hold canaries and are refused.
      const dir = yield* fs.makeTempDirectoryScoped({ prefix: "effect-bearer-hygiene-" })
      const hydrosatFile = { client_id: "hydrosat-client", client_secret: canary.hydrosatSecret }
      const files: ReadonlyArray<readonly [string, string, number, CredentialsFile.Format<unknown>]> = [
        ["invalid JSON", JSON.stringify(hydrosatFile).slice(0, -3), 0o600, CredentialsFile.hydrosat],
        ["readable by others", JSON.stringify(hydrosatFile), 0o644, CredentialsFile.hydrosat],
        ["a secret that is not a string", JSON.stringify({ ...hydrosatFile, client_secret: [canary.hydrosatSecret] }), 0o600, CredentialsFile.hydrosat],
        ["a password in the wrong field", JSON.stringify({ username: canary.up42Password }), 0o600, CredentialsFile.up42Account],
        ["both a console token and an application", JSON.stringify({ access_token: canary.consoleToken, client_id: "x", client_secret: canary.bitquerySecret }), 0o600, CredentialsFile.bitquery],
        ["too large", JSON.stringify({ ...hydrosatFile, padding: canary.hydrosatSecret.repeat(5000) }), 0o600, CredentialsFile.hydrosat]
      ]
      const paths: Record<string, string> = {}
      for (const [name, content, mode, format] of files) {
        const path = `${dir}/${name.replaceAll(" ", "-")}.json`
        yield* fs.writeFileString(path, content)
        yield* fs.chmod(path, mode)
        paths[name] = path
        yield* scenario(`credentials file: ${name}`, CredentialsFile.load(path, format))
      }

      // 5. The CLI as a user runs it.
      const cli = (name: string, args: ReadonlyArray<string>, env: Record<string, string>, tokenOnStdout = false) =>
        Effect.gen(function*() {
          const result = yield* CliHarness.run(args, env)
          capture.record(`cli ${name} stderr`, result.stderr)
          // `token <provider>` prints the token itself on stdout: its one job.
          if (tokenOnStdout) {
            const token = result.stdout.trim()
            issued.add(token)
            expect(result.stdout).toBe(`${token}\n`)
          } else {
            capture.record(`cli ${name} stdout`, result.stdout)
          }
          return result
        })
      const env = server.environment
      yield* cli("token hydrosat", ["token", "hydrosat"], env, true)
      for (const provider of ["up42-project", "up42-account", "bitquery", "hydrosat", "oauth2"]) {
        const result = yield* cli(`token ${provider} --json`, ["token", provider, "--json"], env)
        expect(result.exitCode).toBe(0)
      }
      yield* cli("token bitquery (console token) --json", ["token", "bitquery", "--json"], {
        BITQUERY_ACCESS_TOKEN: canary.consoleToken
      })
      yield* cli("token hydrosat with a wrong secret", ["token", "hydrosat"], {
        ...env,
        HYDROSAT_CLIENT_SECRET: `${canary.hydrosatSecret}-wrong`
      })
      yield* cli("token up42-account with a wrong password", ["token", "up42-account"], {
        ...env,
        UP42_PASSWORD: `${canary.up42Password}-wrong`
      })
      for (const [name, path] of Object.entries(paths)) {
        yield* cli(`token --credentials (${name})`, ["token", "hydrosat", "--credentials", path], {
          HYDROSAT_TOKEN_URL: server.urls.hydrosat.tokenUrl
        })
      }
      yield* cli("decode an opaque console token", ["decode", canary.consoleToken], {})
      yield* server.setFault("hydrosat", LocalProviderServer.html)
      yield* cli("token hydrosat, answered with HTML", ["token", "hydrosat"], env)
      yield* server.clearFaults

      // The canaries did reach the server, and tokens were issued (the capture is not vacuous).
      const hydrosatRequests = yield* server.requests("hydrosat", "token")
      expect(hydrosatRequests.some((request) => request.body.includes(Capture.formEncode(canary.hydrosatSecret)))).toBe(true)
      expect(issued.size).toBeGreaterThan(10)
      const counts = capture.counts()
      expect(counts.errors).toBeGreaterThan(50)
      expect(counts.spans).toBeGreaterThan(50)
      expect(counts.logs).toBeGreaterThan(0)

      expect(capture.leaks([...staticCanaries, ...issued])).toEqual([])
    }).pipe(Effect.provide(capture.layer), Effect.provide(Environment))
  })
})

/** The three Node HTTP clients a user may provide (as in core's fault tests). */
const clients = [
  ["undici", NodeHttpClient.layerUndici],
  ["node:http", NodeHttpClient.layer],
  ["fetch", FetchHttpClient.layer]
] as const

/** API faults the server can inject: a 401 to every token (so the replay is refused too), and HTML where JSON was expected. */
const apiFaults: ReadonlyArray<readonly [string, LocalProviderServer.Fault]> = [
  ["401 to the token and to the fresh token", LocalProviderServer.status(401)],
  ["a 200 HTML body where JSON was expected", LocalProviderServer.html]
]

const bearerTokenOf = (request: LocalProviderServer.RecordedRequest) => request.headers["authorization"]?.replace(/^Bearer /, "")

describe.each(clients)("secret hygiene of every printed error of every provider, through the %s client", (_, clientLayer) => {
  for (const [id, make] of Providers.all) {
    it.live(`${id}: no canary credential or issued token appears in any printed form of any fault, for any accessor`, () => {
      const capture = Capture.make()
      const record = (label: string, exit: Exit.Exit<unknown, unknown>) => Capture.recordAndLog(capture, label, exit)
      return Effect.gen(function*() {
        const server = yield* LocalProviderServer.LocalProviderServer
        const apiUrl = server.urls[id].apiUrl
        const options = { retry: Schedule.stop, backgroundRefresh: false } as const
        // Bitquery's API is GraphQL, over POST; the others answer GET.
        const apiRequest = id === "bitquery"
          ? HttpClientRequest.bodyUnsafeJson(HttpClientRequest.post(apiUrl), { query: "{ EVM { Blocks { Block { Number } } } }" })
          : HttpClientRequest.get(apiUrl)
        const call = (provider: Parameters<typeof BearerHttpClient.make>[1], read: (typeof accessors)[number][1]) =>
          Effect.flatMap(HttpClient.HttpClient, (client) =>
            Effect.flatMap(BearerHttpClient.make(client, provider, { origins: [server.origin], retry: Schedule.stop }), (bearer) =>
              Effect.flatMap(bearer.execute(apiRequest), read)))

        // Token endpoint faults fail a call before there is a response, with the provider's
        // error (the core suite prints that error through the bearer client and every accessor).
        for (const [name, fault] of [...faults, ["400", LocalProviderServer.status(400)] as const]) {
          yield* server.setFault(id, fault)
          yield* record(`token endpoint ${name}: provider.get`, yield* Effect.exit(Effect.scoped(Effect.flatMap(make(server, options), (provider) => provider.get))))
          yield* server.clearFaults
        }
        // API faults, read with every accessor.
        for (const [name, fault] of apiFaults) {
          yield* server.setFault(id, fault, { endpoint: "api" })
          yield* Effect.gen(function*() {
            const provider = yield* make(server, options)
            for (const [accessorName, read] of accessors) {
              yield* record(`API ${name}: ${accessorName}`, yield* Effect.exit(call(provider, read)))
            }
          }).pipe(Effect.scoped)
          yield* server.clearFaults
        }

        // The canaries did travel: the credentials to the token endpoint, issued tokens to the API.
        const tokenRequests = yield* server.requests(id, "token")
        const apiRequests = yield* server.requests(id, "api")
        const issued = new Set([
          ...apiRequests.flatMap((request) => Option.toArray(Option.fromNullable(bearerTokenOf(request)))),
          ...tokenRequests.flatMap((request) => Option.toArray(Option.fromNullable(request.form["refresh_token"])))
        ])
        expect(apiRequests.length).toBeGreaterThanOrEqual(2 * accessors.length)
        expect(issued.size).toBeGreaterThan(0)
        expect(capture.counts().errors).toBeGreaterThan(20)
        expect(capture.counts().logs).toBeGreaterThan(20)
        const leaks = capture.leaks([...staticCanaries, ...issued])
        expect({ leaks: leaks.length, first: leaks.slice(0, 10) }).toEqual({ leaks: 0, first: [] })
      }).pipe(Effect.provide(capture.layer), Effect.provide(Layer.merge(NodeLocalProviderServer.layer({ credentials }), clientLayer)))
    })
  }
})
