/**
 * The README is the truth. `pnpm readme` (scripts/readme-blocks.mjs) compiles every TypeScript block of
 * README.md and docs/*.md as written; here the blocks that run a program are run as written, against
 * the local provider server, and every file and link the pages name is checked to exist.
 *
 * A block runs in this process with one thing changed: `NodeHttpClient.layerUndici` sends each request
 * to the local provider server in place of the real provider's host (as if the network routed
 * `auth.hydrosat.com` and `stac-beta.hydrosat.com` there); everything above the transport, the origin
 * checks and the `Authorization` header included, sees the real URLs. The redirect is
 * scripts/readme-redirect.mjs, which pack-install.mjs uses to run the same blocks in an outside project.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { dirname, join, normalize } from "node:path"
import { pathToFileURL } from "node:url"
import { vi } from "vitest"
import { LocalProviderServer } from "@effect-bearer/providers"
import { NodeLocalProviderServer } from "@effect-bearer/platform-node"
import * as Polling from "@effect-bearer/test-support/Polling"
import * as ReadmeBlocks from "../../../scripts/readme-blocks.mjs"
import * as Redirect from "../../../scripts/readme-redirect.mjs"

vi.mock("@effect/platform-node", async (importOriginal) => {
  // typed by its one module used here: the index's declarations need DOM and `ws` types this project does not load
  const original = await importOriginal<{ readonly NodeHttpClient: typeof import("@effect/platform-node/NodeHttpClient") }>()
  const { routedNodeHttpClient } = await import("../../../scripts/readme-redirect.mjs")
  return { ...original, NodeHttpClient: routedNodeHttpClient(original.NodeHttpClient) }
})

/** Real provider URLs to the local server's (scripts/readme-redirect.mjs, shared with pack-install's outside run). */
const routeTo = (server: LocalProviderServer.Service) => Redirect.routeTo(server.origin)

const blocks = ReadmeBlocks.writeBlocks()
const block = (page: string, section: string) => {
  const found = blocks.find((block) => block.page === page && block.section === section)
  if (found === undefined) throw new Error(`${page} has no TypeScript block under "${section}"`)
  return found
}
/** Imports a block: its top-level `Effect.runPromise` starts the program. */
const runBlock = (path: string) => Effect.promise(() => import(pathToFileURL(path).href))

/** The blocks that run a program, each run by a test below (and again by pack-install in an outside project). */
const runnable = ReadmeBlocks.runnable

describe("README and docs blocks", () => {
  it("every block that runs a program (Effect.runPromise, runtime.runPromise, runMain, …) is run here", () => {
    const running = blocks.filter(ReadmeBlocks.runsProgram)
    expect(running.map(({ page, section }) => ({ page, section }))).toEqual(runnable)
  })

  it.scopedLive("Your first provider: Hydrosat from its variables, one token, the STAC API with it", () =>
    Effect.gen(function*() {
      const server = yield* LocalProviderServer.LocalProviderServer
      Redirect.routing.route = routeTo(server)
      const credentials = server.credentials.hydrosat
      vi.stubEnv("HYDROSAT_CLIENT_ID", credentials.clientId)
      vi.stubEnv("HYDROSAT_CLIENT_SECRET", Redacted.value(credentials.clientSecret))
      yield* Effect.addFinalizer(() => Effect.sync(() => vi.unstubAllEnvs()))

      yield* runBlock(block("README.md", "Your first provider").path)
      const [request] = yield* Polling.until(server.requests("hydrosat", "api"), (requests) => requests.length > 0)
      expect(request?.url).toBe("/hydrosat/stac/collections")
      expect(request?.status).toBe(200)
      expect(request?.headers["authorization"]).toMatch(/^Bearer \S+$/)
      expect(yield* server.requestCount("hydrosat")).toBe(1)
    }).pipe(Effect.provide(NodeLocalProviderServer.layer())))

  it.scopedLive("The core in one example: a provider layer, a token, an authenticated request", () =>
    Effect.gen(function*() {
      const server = yield* LocalProviderServer.LocalProviderServer
      Redirect.routing.route = routeTo(server)
      vi.stubEnv("HYDROSAT_CLIENT_SECRET", "my-secret")
      const log = vi.spyOn(console, "log").mockImplementation(() => {})
      yield* Effect.addFinalizer(() => Effect.sync(() => (vi.unstubAllEnvs(), log.mockRestore())))

      const startedAt = Date.now()
      yield* runBlock(block("README.md", "The core in one example").path)
      yield* Polling.eventually(Effect.sync(() => log.mock.calls.length > 0))
      const [printed] = log.mock.calls[0] ?? []
      expect(printed).toMatchObject({ status: 200 })
      // the token's life: the hour the server gives (expires_in 3600), counted from when the request was sent
      const { expiresAt } = printed as { expiresAt: number }
      expect(expiresAt).toBeGreaterThanOrEqual(startedAt + 3_600_000)
      expect(expiresAt).toBeLessThanOrEqual(Date.now() + 3_600_000)
      const tokenRequests = yield* server.requests("hydrosat")
      expect(tokenRequests.map((request) => [request.url, request.status, request.form["client_id"]])).toEqual([
        ["/hydrosat/oauth2/token", 200, "my-client"]
      ])
      const apiRequests = yield* server.requests("hydrosat", "api")
      expect(apiRequests.map((request) => [request.url, request.status])).toEqual([["/hydrosat/stac/collections", 200]])
    }).pipe(
      Effect.provide(NodeLocalProviderServer.layer({
        credentials: { hydrosat: { clientId: "my-client", clientSecret: Redacted.make("my-secret") } }
      }))
    ))

  it.scopedLive("Several APIs in one program: two tagged providers and clients, called from Promise code", () =>
    Effect.gen(function*() {
      const server = yield* LocalProviderServer.LocalProviderServer
      Redirect.routing.route = routeTo(server)
      const { hydrosat, up42Account } = server.credentials
      vi.stubEnv("HYDROSAT_CLIENT_ID", hydrosat.clientId)
      vi.stubEnv("HYDROSAT_CLIENT_SECRET", Redacted.value(hydrosat.clientSecret))
      vi.stubEnv("UP42_USERNAME", up42Account.username)
      vi.stubEnv("UP42_PASSWORD", Redacted.value(up42Account.password))
      yield* Effect.addFinalizer(() => Effect.sync(() => vi.unstubAllEnvs()))

      const module = (yield* runBlock(block("docs/http-client.md", "Several APIs in one program, and callers outside Effect").path)) as {
        readonly collectionsStatus: () => Promise<number>
        readonly up42TokenExpiresAt: () => Promise<number>
        readonly shutdown: () => Promise<void>
      }
      yield* Effect.addFinalizer(() => Effect.promise(() => module.shutdown()))
      expect(yield* Effect.promise(() => module.collectionsStatus())).toBe(200)
      expect(yield* Effect.promise(() => module.up42TokenExpiresAt())).toBeGreaterThan(Date.now())
      const apiRequests = yield* server.requests("hydrosat", "api")
      expect(apiRequests.map((request) => [request.url, request.status])).toEqual([["/hydrosat/stac/collections", 200]])
      expect(apiRequests[0]?.headers["authorization"]).toMatch(/^Bearer \S+$/)
      expect(yield* server.requestCount("hydrosat")).toBe(1)
      expect(yield* server.requestCount("up42-account")).toBe(1)
    }).pipe(
      Effect.provide(NodeLocalProviderServer.layer({
        credentials: {
          up42Account: { ...LocalProviderServer.defaultCredentials.up42Account, clientId: "up42-api" }
        }
      }))
    ))
})

describe("the Install section", () => {
  const readme = readFileSync(join(ReadmeBlocks.root, "README.md"), "utf8")
  const install = readme.split(/^## /m).find((section) => section.startsWith("Install")) ?? ""
  const commandOf = (effect: string) =>
    install.split("\n").find((line) => line.startsWith("npm install ") && line.includes(` ${effect}`)) ?? ""
  const manifest = (folder: string) =>
    JSON.parse(readFileSync(join(ReadmeBlocks.root, folder, "package.json"), "utf8")) as {
      readonly version: string
      readonly peerDependencies: Record<string, string>
      readonly engines?: { readonly node: string }
      readonly publishConfig?: { readonly tag: string }
    }
  const packages = ["core", "providers", "platform-node"]
  const lines = [
    { line: "Effect 3", effect: "effect@^3", folder: "packages", effectPackages: ["effect", "@effect/platform", "@effect/platform-node"] },
    { line: "Effect 4", effect: "effect@^4", folder: "effect4/packages", effectPackages: ["effect", "@effect/platform-node"] }
  ]
  for (const { effect, effectPackages, folder, line } of lines) {
    it(`the ${line} command pins the Effect its packages' peer dependencies ask for, and names each package at that line's version`, () => {
      const command = commandOf(effect).split(" ")
      const peers = manifest(`${folder}/platform-node`).peerDependencies
      for (const name of effectPackages) {
        const pinned = command.find((word) => word.startsWith(`${name}@`))?.slice(name.length + 1)
        expect(pinned, name).toBeDefined()
        expect(peers[name], name).toMatch(new RegExp(`^\\${pinned}(\\.|$)`))
      }
      for (const name of packages) {
        const { publishConfig, version } = manifest(`${folder}/${name}`)
        const wanted = publishConfig === undefined ? `^${version.split(".")[0]}` : publishConfig.tag
        expect(command, name).toContain(`@effect-bearer/${name}@${wanted}`)
      }
    })
  }

  it("gives each line's Node version", () => {
    const effect3 = JSON.parse(readFileSync(join(ReadmeBlocks.root, "package.json"), "utf8")).engines.node as string
    const effect4 = manifest("effect4/packages/platform-node").engines?.node ?? ""
    const row = install.split("\n").find((line) => line.startsWith("| Node |")) ?? ""
    expect(row).toContain(`${effect3.replace(">=", ">= ")} (Effect 3 line)`)
    expect(row).toContain(`${effect4.replace(">=", ">= ")} (Effect 4 line`)
  })
})

/** The pages a reader follows: the README, docs/, and each package's README. */
const root = ReadmeBlocks.root
const pages = [
  ...ReadmeBlocks.pages(),
  ...readdirSync(join(root, "packages"))
    .map((name) => `packages/${name}/README.md`)
    .filter((page) => existsSync(join(root, page)))
]
/** A page without its code blocks. */
const prose = (page: string) => readFileSync(join(root, page), "utf8").replace(/^```[\s\S]*?^```/gm, "")
/** GitHub's anchor of a heading. */
const anchor = (heading: string) =>
  heading.replace(/`/g, "").trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, "").replace(/ /g, "-")
const anchors = (page: string) =>
  prose(page).split("\n").filter((line) => /^#{1,6} /.test(line)).map((line) => anchor(line.replace(/^#+ /, "")))

describe("the pages name only files the project holds", () => {
  it.each(pages)("%s", (page) => {
    const missing: Array<string> = []
    const text = prose(page)
    for (const [, target = ""] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target)) continue
      const [file = "", fragment] = target.split("#")
      const path = file === "" ? page : normalize(join(dirname(page), file))
      if (!existsSync(join(root, path))) missing.push(`link ${target}`)
      else if (fragment !== undefined && path.endsWith(".md") && !anchors(path).includes(fragment)) {
        missing.push(`link ${target} (no such heading)`)
      }
    }
    // repository paths in code spans: `packages/core/src`, `examples/src/hydrosat.ts`, `pnpm-workspace.yaml`
    for (const [, span = ""] of text.matchAll(/`([^`\s]+)`/g)) {
      if (/[*<>…{}$]/.test(span)) continue
      const path = /^(\.ci|packages|examples|bench|docs|scripts)\/[\w./-]+$/.test(span) || /^[\w.-]+\.(md|yaml)$/.test(span)
      if (path && !existsSync(join(root, span)) && !existsSync(join(root, dirname(page), span))) missing.push(`path ${span}`)
    }
    // any other page named in the text, e.g. "see DESIGN.md"
    for (const [, name = ""] of text.matchAll(/(?<![\w/.-])([\w./-]*[A-Za-z0-9]\.md)\b/g)) {
      if (!existsSync(join(root, name)) && !existsSync(join(root, dirname(page), name))) missing.push(`page ${name}`)
    }
    expect(missing).toEqual([])
  })
})
