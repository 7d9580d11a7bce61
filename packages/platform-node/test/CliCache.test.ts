import * as FileSystem from "@effect/platform/FileSystem"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { expect, layer } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { Cli } from "@effect-bearer/platform-node"
import * as CliHarness from "./support/CliHarness.js"
import * as LocalServer from "./support/LocalServer.js"

// `token` and `header` share tokens through the file store (the cache) across runs: each run
// here is a whole CLI run (its own token provider, nothing kept in memory between two), so
// what the second run knows it read from the cache directory.
const live = { excludeTestServices: true } as const

/** A cache home of the test's scope, as `XDG_CACHE_HOME`. */
const cacheHome = Effect.flatMap(FileSystem.FileSystem, (fs) => fs.makeTempDirectoryScoped({ prefix: "effect-bearer-xdg-" }))
const { cachedEnvironment } = CliHarness

const hydrosatAccepts = (token: string) =>
  Effect.gen(function*() {
    const server = yield* LocalServer.fresh
    const client = yield* HttpClient.HttpClient
    const response = yield* client.execute(
      HttpClientRequest.get(server.urls.hydrosat.apiUrl).pipe(HttpClientRequest.bearerToken(token))
    )
    return response.status === 200
  })

layer(LocalServer.layer, live)("effect-bearer token: the cache", (it) => {
  it.scoped("a second run prints the cached token without a token request", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.fresh
      const env = yield* cachedEnvironment(server)
      const first = yield* CliHarness.run(["token", "up42-account"], env)
      const second = yield* CliHarness.run(["token", "up42-account"], env)
      expect([first.exitCode, second.exitCode]).toEqual([0, 0])
      expect(second.stderr).toBe("")
      expect(second.stdout).toBe(first.stdout)
      expect(yield* server.requestCount("up42-account")).toBe(1)
    }))

  it.scoped("the cache directory is 0700, its files 0600, and they hold neither the token nor a secret", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.fresh
      const fs = yield* FileSystem.FileSystem
      const home = yield* cacheHome
      const result = yield* CliHarness.run(["token", "up42-account"], { ...server.environment, XDG_CACHE_HOME: home })
      expect(result.exitCode).toBe(0)
      const directory = `${home}/effect-bearer`
      expect((yield* fs.stat(directory)).mode & 0o777).toBe(0o700)
      const files = yield* fs.readDirectory(directory)
      expect(files.length).toBeGreaterThan(0)
      for (const file of files) {
        expect((yield* fs.stat(`${directory}/${file}`)).mode & 0o777).toBe(0o600)
        const content = yield* fs.readFileString(`${directory}/${file}`)
        expect(content).not.toContain(result.stdout.trim())
        expect(content).not.toContain(server.credentials.up42Account.username)
        expect(content).not.toContain(Redacted.value(server.credentials.up42Account.password))
      }
    }))

  it.scoped("a cached token no longer usable is replaced: a token request only when needed", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.fresh
      yield* server.setLifetime("hydrosat", "2 seconds") // the shortest accepted: usable for 1 s (its margin is 1 s)
      yield* Effect.addFinalizer(() => server.setLifetime("hydrosat", "3600 seconds"))
      const env = yield* cachedEnvironment(server)
      const first = yield* CliHarness.run(["token", "hydrosat"], env)
      yield* Effect.sleep("1100 millis")
      const second = yield* CliHarness.run(["token", "hydrosat"], env)
      expect([first.exitCode, second.exitCode]).toEqual([0, 0])
      expect(second.stdout).not.toBe(first.stdout)
      expect(yield* server.requestCount("hydrosat")).toBe(2)
    }))

  it.scoped("--no-cache neither reads nor writes the cache", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.fresh
      const fs = yield* FileSystem.FileSystem
      const home = yield* cacheHome
      const env = { ...server.environment, XDG_CACHE_HOME: home }
      const cached = yield* CliHarness.run(["token", "hydrosat"], env)
      const uncached = yield* CliHarness.run(["token", "hydrosat", "--no-cache"], env)
      expect([cached.exitCode, uncached.exitCode]).toEqual([0, 0])
      expect(uncached.stdout).not.toBe(cached.stdout)
      expect(yield* server.requestCount("hydrosat")).toBe(2)
      const other = yield* cacheHome
      yield* CliHarness.run(["token", "hydrosat", "--no-cache"], { ...server.environment, XDG_CACHE_HOME: other })
      expect(yield* fs.readDirectory(other)).toEqual([])
    }))

  it.scoped("an invalid EFFECT_BEARER_STORE_KEY: the token is fetched without the cache, with one warning naming it", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.fresh
      const fs = yield* FileSystem.FileSystem
      const home = yield* cacheHome
      for (const key of ["not base64 at all, but long enough to be 32 bytes !!", "too-short-key-value"]) {
        const result = yield* CliHarness.run(["token", "hydrosat"], {
          ...server.environment,
          XDG_CACHE_HOME: home,
          EFFECT_BEARER_STORE_KEY: key,
          NO_COLOR: "1"
        })
        expect(result.exitCode).toBe(0)
        expect(yield* hydrosatAccepts(result.stdout.trim())).toBe(true)
        expect(result.stderr.trim().split("\n")).toHaveLength(1)
        expect(result.stderr).toMatch(/WARN.*EFFECT_BEARER_STORE_KEY/)
        expect(result.stderr).not.toContain(key)
      }
      expect(yield* server.requestCount("hydrosat")).toBe(2)
      expect(yield* fs.readDirectory(home)).toEqual([])
    }))

  it.scoped("a cache that cannot be written: the token is fetched, with a warning on stderr, exit code 0", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.fresh
      const fs = yield* FileSystem.FileSystem
      // A file where the directory should be: unwritable even for root.
      const home = `${yield* cacheHome}/not-a-directory`
      yield* fs.writeFileString(home, "")
      const result = yield* CliHarness.run(["token", "hydrosat"], { ...server.environment, XDG_CACHE_HOME: home, NO_COLOR: "1" })
      expect(result.exitCode).toBe(0)
      expect(yield* hydrosatAccepts(result.stdout.trim())).toBe(true)
      expect(result.stderr).toMatch(/WARN.*file token store is unavailable/)
      expect(result.stderr).not.toContain(result.stdout.trim())
      expect(yield* server.requestCount("hydrosat")).toBe(1)
    }))

  it.scoped("--json: the cached token, its refresh token kept sealed in the cache (the only one that spends it)", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.fresh
      const env = yield* cachedEnvironment(server)
      yield* CliHarness.run(["token", "up42-account"], env)
      const result = yield* CliHarness.run(["token", "up42-account", "--json"], env)
      expect(result.exitCode).toBe(0)
      const response = JSON.parse(result.stdout)
      expect(response).toMatchObject({ provider: "up42-account", access_token: "<redacted>", token_type: "Bearer" })
      expect(response).not.toHaveProperty("refresh_token")
      expect(response.expires_in).toBeGreaterThan(0)
      expect(yield* server.requestCount("up42-account")).toBe(1)
    }))
})

layer(LocalServer.layer, live)("effect-bearer header <provider>", (it) => {
  it.scoped("prints Authorization: Bearer <token>, one line, that the provider's API accepts", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.fresh
      const result = yield* CliHarness.run(["header", "hydrosat"], server.environment)
      expect(result.exitCode).toBe(0)
      expect(result.stderr).toBe("")
      expect(result.stdout).toMatch(/^Authorization: Bearer [\w-]+\.[\w-]+\.[\w-]+\n$/)
      expect(yield* hydrosatAccepts(result.stdout.trim().slice("Authorization: Bearer ".length))).toBe(true)
    }))

  it.scoped("shares the cache with token: the same token, one request", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.fresh
      const env = yield* cachedEnvironment(server)
      const token = yield* CliHarness.run(["token", "hydrosat"], env)
      const header = yield* CliHarness.run(["header", "hydrosat"], env)
      expect(header.stdout).toBe(`Authorization: Bearer ${token.stdout}`)
      expect(yield* server.requestCount("hydrosat")).toBe(1)
    }))

  it.scoped("takes the same options: --no-cache, --credentials", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.fresh
      const env = yield* cachedEnvironment(server)
      yield* CliHarness.run(["header", "hydrosat"], env)
      const uncached = yield* CliHarness.run(["header", "hydrosat", "--no-cache"], env)
      expect(uncached.exitCode).toBe(0)
      expect(yield* server.requestCount("hydrosat")).toBe(2)
      const path = yield* CliHarness.credentialsFile(CliHarness.hydrosatCreds(server), 0o600)
      const fromFile = yield* CliHarness.run(["header", "hydrosat", "--credentials", path, "--no-cache"], {
        HYDROSAT_TOKEN_URL: server.urls.hydrosat.tokenUrl
      })
      expect(fromFile.exitCode).toBe(0)
      expect(fromFile.stdout).toMatch(/^Authorization: Bearer \S+\n$/)
    }))

  it.scoped("the same errors and exit codes as token: no credentials (MissingCredentials, 3), nothing on stdout", () =>
    Effect.gen(function*() {
      const result = yield* CliHarness.run(["header", "hydrosat"])
      expect(result.exitCode).toBe(Cli.exitCodes.MissingCredentials)
      expect(result.stdout).toBe("")
      expect(result.stderr).toContain("HYDROSAT_CLIENT_ID")
    }))
})
