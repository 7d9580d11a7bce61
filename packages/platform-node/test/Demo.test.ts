import { describe, expect, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { vi } from "vitest"
import { LocalProviderServer } from "@effect-bearer/providers"
import { NodeLocalProviderServer } from "@effect-bearer/platform-node"
import * as Programs from "./support/Programs.js"

// `pnpm demo` as a newcomer runs it, with no credentials in the environment, but in this
// process: the demo's main effect with its console captured (see support/Programs.ts).
// The demo checks itself as it goes (it fails, and `pnpm demo` exits non-zero, when
// something it shows did not happen); these tests check what it prints. A real process
// start adds nothing here that CliProcess.test.ts and Examples.test.ts do not prove.
vi.mock("@effect/platform-node/NodeRuntime", async (importOriginal) => ({
  ...await importOriginal<typeof import("@effect/platform-node/NodeRuntime")>(),
  runMain: (await import("./support/Programs.js")).runMain
}))

const timeout = 60_000

const providers = ["UP42 project", "UP42 account", "Bitquery", "Hydrosat"]

const sections = [
  "1. A token for each provider",
  "2. Repeat calls come from the cache",
  "3. The background refresh renews tokens while calls continue",
  "4. A 401 from the API is recovered by one refresh",
  "5. Each documented failure is a typed error"
]

const sectionText = (output: string, index: number) => {
  const start = output.indexOf(sections[index] ?? "")
  const next = sections[index + 1]
  return output.slice(start, next === undefined ? undefined : output.indexOf(next))
}

const secrets = [
  ...LocalProviderServer.defaultCredentials.up42Projects.map((project) => Redacted.value(project.projectApiKey)),
  Redacted.value(LocalProviderServer.defaultCredentials.up42Account.password),
  Redacted.value(LocalProviderServer.defaultCredentials.bitquery.clientSecret),
  Redacted.value(LocalProviderServer.defaultCredentials.bitquery.accessToken),
  Redacted.value(LocalProviderServer.defaultCredentials.hydrosat.clientSecret)
]

const occurrences = (text: string, word: string) => text.split(word).length - 1

/** The "Token requests: N before, M after." pairs of a section. */
const counts = (text: string) =>
  [...text.matchAll(/Token requests: (\d+) before, (\d+) after\./g)].map((match): [number, number] => [
    Number(match[1]),
    Number(match[2])
  ])

/** The output with its line wrapping undone, for matching sentences. */
const flat = (output: string) => output.replace(/\s+/g, " ")

describe.concurrent("pnpm demo", () => {
  it.live("with no credentials: every section for every provider, exit code 0, no secret printed", () =>
    Effect.gen(function*() {
      const result = yield* Programs.run("examples/src/demo.ts")
      expect(result.stderr).toBe("")
      expect(result.exitCode).toBe(0)
      const output = flat(result.stdout)
      expect(output).toContain("No provider credentials in the environment")
      expect(output).toMatch(/local provider server at http:\/\/127\.0\.0\.1:\d+/)

      sections.forEach((section, index) => {
        expect(output).toContain(section)
        for (const provider of providers) expect(sectionText(output, index)).toContain(provider)
      })
      // 1. tokens acquired, shown redacted
      expect(occurrences(sectionText(output, 0), "token #1 <redacted>: expires in")).toBe(4)
      // 2. the cache: the server's count does not move
      const cached = counts(sectionText(output, 1))
      expect(cached).toHaveLength(4)
      for (const [before, after] of cached) expect(after).toBe(before)
      // 3. one background renewal each, while every call succeeded; UP42 account with its refresh token
      const renewed = counts(sectionText(output, 2))
      expect(renewed).toHaveLength(4)
      for (const [before, after] of renewed) expect(after).toBe(before + 1)
      expect(occurrences(sectionText(output, 2), "all answered 200")).toBe(4)
      expect(sectionText(output, 2)).toContain("refresh_token → 200")
      // 4. a 401 recovered by one refresh, the request sent twice
      expect(occurrences(sectionText(output, 3), "→ 200. The API refused the revoked token")).toBe(4)
      expect(occurrences(sectionText(output, 3), "2 API requests for one call")).toBe(4)
      // 5. each documented failure as its typed error, for each provider
      for (const tag of ["InvalidCredentials", "WrongHost", "UnsupportedMediaType", "Expired"]) {
        expect(occurrences(sectionText(output, 4), `→ ${tag} `)).toBe(4)
      }
      expect(sectionText(output, 4)).toContain("auth.sa.up42.com, not api.sa.up42.com")

      expect(output).toMatch(/Done in \d+(\.\d)?s/)
      for (const secret of secrets) expect(result.stdout).not.toContain(secret)
      expect(result.stdout).not.toMatch(/eyJ[\w-]+\.eyJ/) // no JWT
      expect(result.stdout).not.toMatch(/ory_at_\w{8}/) // no Bitquery token
    }), timeout)

  it.scopedLive("with a provider's credentials in the environment: that provider is the real one", () =>
    Effect.gen(function*() {
      // "Real" Hydrosat is played by a server of this test, reached through the documented variables.
      const server = yield* LocalProviderServer.LocalProviderServer
      const result = yield* Programs.run("examples/src/demo.ts", {
        HYDROSAT_CLIENT_ID: server.environment["HYDROSAT_CLIENT_ID"] ?? "",
        HYDROSAT_CLIENT_SECRET: server.environment["HYDROSAT_CLIENT_SECRET"] ?? "",
        HYDROSAT_TOKEN_URL: server.urls.hydrosat.tokenUrl,
        HYDROSAT_STAC_URL: server.urls.hydrosat.apiUrl.replace(/\/collections$/, "")
      })
      expect(result.stderr).toBe("")
      expect(result.exitCode).toBe(0)
      const output = flat(result.stdout)
      expect(output).toContain(`Hydrosat REAL provider (credentials from the environment): ${server.urls.hydrosat.tokenUrl}`)
      expect(output).toContain("UP42 project local provider server")
      expect(output).toContain("This demo does not wait that long for a real provider.")
      expect(output).toContain("Hydrosat not shown for a real provider")
      expect(yield* server.requestCount("hydrosat")).toBe(1)
      expect(yield* server.requestCount("hydrosat", "api")).toBe(1)
      expect(output).toContain("Hydrosat GET /hydrosat/stac/collections → 200 with token #1")
      expect(result.stdout).not.toContain(Redacted.value(server.credentials.hydrosat.clientSecret))
    }).pipe(Effect.provide(NodeLocalProviderServer.layer())), timeout)
})
