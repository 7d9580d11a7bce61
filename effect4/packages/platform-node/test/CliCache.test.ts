/**
 * The CLI's token cache (the file store under $XDG_CACHE_HOME/effect-bearer), its output on
 * terminals and pipes, server text on stderr and Retry-After: the Effect 3 line's behaviours.
 */
import { Cli, NodeLocalProviderServer } from "@effect-bearer/platform-node"
import * as LocalProviderServer from "@effect-bearer/providers/LocalProviderServer"
import { expect, layer } from "@effect/vitest"
import { Effect, Layer, Redacted } from "effect"
import { HttpClient, HttpClientRequest } from "effect/http"
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs"
import * as CliHarness from "./support/CliHarness.js"
import * as TemporaryFiles from "./support/TemporaryFiles.js"

const live = { excludeTestServices: true } as const
const Server = Layer.fresh(NodeLocalProviderServer.layerTest()).pipe(Layer.orDie)

const setting = Effect.gen(function*() {
  const server = yield* LocalProviderServer.LocalProviderServer
  yield* server.clearFaults
  const home = yield* TemporaryFiles.directory("effect-bearer-xdg-")
  return { server, home, env: { ...server.environment, XDG_CACHE_HOME: home } }
})

/** Requests the server's token endpoint of `provider` received while `effect` ran. */
const counting = <A, E, R>(server: LocalProviderServer.Service, provider: "hydrosat" | "up42-account", effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const before = yield* server.requestCount(provider)
    const result = yield* effect
    return [result, (yield* server.requestCount(provider)) - before] as const
  })

const hydrosatAccepts = (server: LocalProviderServer.Service, token: string) =>
  Effect.flatMap(Effect.service(HttpClient.HttpClient), (client) =>
    Effect.map(client.execute(HttpClientRequest.bearerToken(HttpClientRequest.get(server.urls.hydrosat.apiUrl), token)), (response) =>
      response.status === 200))

layer(Server, live)("effect-bearer token: the cache", (it) => {
  it.effect("a second run prints the cached token without a token request", () =>
    Effect.gen(function*() {
      const { env, server } = yield* setting
      const [[first, second], requests] = yield* counting(server, "up42-account", Effect.all([
        CliHarness.run(["token", "up42-account"], env),
        CliHarness.run(["token", "up42-account"], env)
      ]))
      expect([first.exitCode, second.exitCode]).toEqual([0, 0])
      expect(second).toMatchObject({ stderr: "", stdout: first.stdout })
      expect(requests).toBe(1)
    }))

  it.effect("the cache directory is 0700, its files 0600, and they hold neither the token nor a secret", () =>
    Effect.gen(function*() {
      const { env, home, server } = yield* setting
      const result = yield* CliHarness.run(["token", "up42-account"], env)
      expect(result.exitCode).toBe(0)
      const directory = `${home}/effect-bearer`
      expect(statSync(directory).mode & 0o777).toBe(0o700)
      const files = readdirSync(directory)
      expect(files.length).toBeGreaterThan(0)
      for (const file of files) {
        expect(statSync(`${directory}/${file}`).mode & 0o777).toBe(0o600)
        const content = readFileSync(`${directory}/${file}`, "utf8")
        expect(content).not.toContain(result.stdout.trim())
        expect(content).not.toContain(server.credentials.up42Account.username)
        expect(content).not.toContain(Redacted.value(server.credentials.up42Account.password))
      }
    }))

  it.effect("a cached token no longer usable is replaced: a token request only when needed", () =>
    Effect.gen(function*() {
      const { env, server } = yield* setting
      yield* server.setLifetime("hydrosat", "2 seconds") // the shortest accepted: usable for 1 s (its margin is 1 s)
      yield* Effect.addFinalizer(() => server.setLifetime("hydrosat", "3600 seconds"))
      const [[first, second], requests] = yield* counting(server, "hydrosat", Effect.gen(function*() {
        const first = yield* CliHarness.run(["token", "hydrosat"], env)
        yield* Effect.sleep("1100 millis")
        return [first, yield* CliHarness.run(["token", "hydrosat"], env)] as const
      }))
      expect([first.exitCode, second.exitCode]).toEqual([0, 0])
      expect(second.stdout).not.toBe(first.stdout)
      expect(requests).toBe(2)
    }))

  it.effect("an invalid EFFECT_BEARER_STORE_KEY: the token is fetched without the cache, with one warning naming it", () =>
    Effect.gen(function*() {
      const { env, home, server } = yield* setting
      for (const key of ["not base64 at all, but long enough to be 32 bytes !!", "too-short-key-value"]) {
        const result = yield* CliHarness.run(["token", "hydrosat"], { ...env, EFFECT_BEARER_STORE_KEY: key, NO_COLOR: "1" })
        expect(result.exitCode).toBe(0)
        expect(yield* hydrosatAccepts(server, result.stdout.trim())).toBe(true)
        expect(result.stderr.trim().split("\n")).toHaveLength(1)
        expect(result.stderr).toMatch(/WARN.*EFFECT_BEARER_STORE_KEY/)
        expect(result.stderr).not.toContain(key)
      }
      expect(readdirSync(home)).toEqual([])
    }))

  it.effect("a cache that cannot be written: the token is fetched, with a warning on stderr, exit code 0", () =>
    Effect.gen(function*() {
      const { env, home, server } = yield* setting
      // A file where the directory should be: unwritable even for root.
      writeFileSync(`${home}/not-a-directory`, "")
      const [result, requests] = yield* counting(
        server,
        "hydrosat",
        CliHarness.run(["token", "hydrosat"], { ...env, XDG_CACHE_HOME: `${home}/not-a-directory`, NO_COLOR: "1" })
      )
      expect(result.exitCode).toBe(0)
      expect(yield* hydrosatAccepts(server, result.stdout.trim())).toBe(true)
      expect(result.stderr).toMatch(/WARN.*file token store is unavailable/)
      expect(result.stderr).not.toContain(result.stdout.trim())
      expect(requests).toBe(1)
    }))

  it.effect("--json: the cached token, its refresh token kept sealed in the cache (the only one that spends it)", () =>
    Effect.gen(function*() {
      const { env, server } = yield* setting
      const [result, requests] = yield* counting(
        server,
        "up42-account",
        Effect.andThen(CliHarness.run(["token", "up42-account"], env), CliHarness.run(["token", "up42-account", "--json"], env))
      )
      expect(result.exitCode).toBe(0)
      const response = JSON.parse(result.stdout)
      expect(response).toMatchObject({ provider: "up42-account", access_token: "<redacted>", token_type: "Bearer" })
      expect(response).not.toHaveProperty("refresh_token")
      expect(response.expires_in).toBeGreaterThan(0)
      expect(requests).toBe(1)
    }))

  it.effect("a 429 asking to wait a day answers at once, after one request (TemporarilyUnavailable, 15)", () =>
    Effect.gen(function*() {
      const { env, server } = yield* setting
      yield* server.setFault("hydrosat", LocalProviderServer.rateLimited("1 day"))
      const started = Date.now()
      const [result, requests] = yield* counting(server, "hydrosat", CliHarness.run(["token", "hydrosat"], env))
      expect(Date.now() - started).toBeLessThan(5_000)
      expect(result.exitCode).toBe(Cli.exitCodes.TemporarilyUnavailable)
      expect(result.stderr).toContain("rate limiting")
      expect(requests).toBe(1)
    }))
})
