import { describe, expect, it } from "@effect/vitest"
import * as FileTokenStoreCases from "@effect-bearer/conformance/FileTokenStoreCases"
import * as TokenStoreCases from "@effect-bearer/conformance/TokenStoreCases"
import * as TokenStore from "@effect-bearer/core/TokenStore"
import { FileTokenStore } from "@effect-bearer/platform-node"
import { ConfigProvider, Context, Effect, Exit, Layer, Logger, Option, Redacted, Scope } from "effect"
import { spawn } from "node:child_process"
import { existsSync, readdirSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { promised } from "./support/promisedStore.js"
import { runWorkers } from "./support/StoreWorkers.js"
import { conformance } from "./support/TokenStoreConformance.js"

const freshDirectory = FileTokenStoreCases.freshDirectory
const shared = freshDirectory()

conformance({
  name: "file",
  layer: FileTokenStore.layer({ directory: shared }),
  reportsTakeover: true,
  plantGarbage: FileTokenStoreCases.plantGarbage(shared)
})

const store = TokenStore.TokenStore
const freshKey = TokenStoreCases.freshKey
const written = (generation = 1) => ({ value: "sealed", generation, expiresAt: Date.now() + 60_000 })
const withConfig = (variables: Record<string, string>) => Effect.provide(ConfigProvider.layer(ConfigProvider.fromEnv({ env: variables })))

/** Runs `effect` on a file store in `directory`, collecting the warnings it logs. */
const withStore = <A, E>(directory: string, effect: Effect.Effect<A, E, TokenStore.TokenStore>) =>
  Effect.gen(function*() {
    const warnings: Array<string> = []
    const logger = Logger.layer([Logger.make(({ message }) => warnings.push(Array.isArray(message) ? message.join(" ") : String(message)))])
    const result = yield* Effect.provide(effect, Layer.fresh(Layer.merge(FileTokenStore.layer({ directory }), logger)))
    return [result, warnings] as const
  })

/** Opens a file store on `directory` in a scope of its own, its warnings collected. */
const open: FileTokenStoreCases.Open = async (directory) => {
  const warnings: Array<string> = []
  const logger = Logger.layer([Logger.make(({ message }) => warnings.push(Array.isArray(message) ? message.join(" ") : String(message)))])
  const scope = Effect.runSync(Scope.make())
  const context = await Effect.runPromise(Layer.buildWithScope(Layer.merge(FileTokenStore.layer({ directory }), logger), scope))
  return {
    store: promised(Context.get(context, TokenStore.TokenStore), context),
    warnings: () => warnings,
    close: () => Effect.runPromise(Scope.close(scope, Exit.void))
  }
}

/** The holder process, on this line's sources (`--import tsx` runs in the same process). */
const spawnHolder: FileTokenStoreCases.SpawnHolder = (directory, key, timeToLiveMillis) =>
  spawn(
    process.execPath,
    ["--import", "tsx", "--conditions=source", fileURLToPath(new URL("./support/holdFileLock.ts", import.meta.url)), directory, key, String(timeToLiveMillis)],
    { stdio: ["ignore", "pipe", "inherit"], cwd: fileURLToPath(new URL("../", import.meta.url)) }
  )

describe("FileTokenStore: its directory (the shared cases)", () => {
  for (const testCase of FileTokenStoreCases.withHolder(spawnHolder)) {
    it.live(testCase.name, () => Effect.promise(() => testCase.run(open, freshDirectory(), expect as TokenStoreCases.Expect)), testCase.timeoutMillis)
  }
})

describe("FileTokenStore", () => {
  it.live("holds its lock and generations across OS processes of both Effect lines: 2 + 2 processes × 10 locked increments lose none", () =>
    Effect.gen(function*() {
      const directory = freshDirectory()
      const key = freshKey()
      const reports = yield* Effect.promise(() => runWorkers(["effect3", "effect4", "effect3", "effect4"], "file", directory, key, 10))
      expect(reports.map((report) => report.stale)).toEqual([0, 0, 0, 0])
      const [read] = yield* withStore(directory, Effect.flatMap(Effect.service(store), (tokens) => tokens.get(key)))
      expect(Option.getOrThrow(read.entry).generation).toBe(40)
      expect(readdirSync(directory).sort()).toEqual([`${key}.json`])
    }), 120_000)

  it("defaults to $XDG_CACHE_HOME/effect-bearer when absolute, else ~/.cache/effect-bearer", () => {
    for (const row of FileTokenStoreCases.defaultDirectoryRows) expect(FileTokenStore.defaultDirectory(row.environment)).toBe(row.directory)
  })

  it.live("layerConfig finds the directory through Config", () =>
    Effect.gen(function*() {
      const cacheHome = join(freshDirectory(), "..", "xdg")
      const key = freshKey()
      yield* Effect.flatMap(Effect.service(store), (tokens) => tokens.compareAndSet(key, written())).pipe(
        Effect.provide(Layer.fresh(FileTokenStore.layerConfig())),
        withConfig({ XDG_CACHE_HOME: cacheHome, HOME: "/nonexistent" })
      )
      expect(existsSync(join(cacheHome, "effect-bearer", `${key}.json`))).toBe(true)
    }))

  it.live("takes a sealing key from the options or EFFECT_BEARER_STORE_KEY (redacted), refusing one under 32 bytes without showing it", () =>
    Effect.gen(function*() {
      const key = btoa("k".repeat(32))
      const read = (layer: Layer.Layer<TokenStore.TokenStore, unknown>) => Effect.provide(Effect.service(store), Layer.fresh(layer))
      const viaConfig = yield* read(FileTokenStore.layerConfig()).pipe(withConfig({ EFFECT_BEARER_STORE_KEY: key, HOME: freshDirectory() }))
      expect(viaConfig.sealingKey).toBeDefined()
      expect(String(viaConfig.sealingKey)).not.toContain(key)
      expect((yield* read(FileTokenStore.layer({ directory: freshDirectory(), sealingKey: Redacted.make(key) }))).sealingKey).toBeDefined()
      expect((yield* read(FileTokenStore.layer({ directory: freshDirectory() }))).sealingKey).toBeUndefined()
      const short = btoa("short key, 31 bytes long......!")
      const refused = yield* Effect.flip(read(FileTokenStore.layerConfig()).pipe(withConfig({ EFFECT_BEARER_STORE_KEY: short, HOME: freshDirectory() })))
      expect(String(refused)).toMatch(/EFFECT_BEARER_STORE_KEY.*at least 32 bytes/)
      expect(String(refused)).not.toContain(short)
      const died = yield* Effect.exit(read(FileTokenStore.layer({ directory: freshDirectory(), sealingKey: Redacted.make(short) })))
      expect(String(died)).toMatch(/at least 32 bytes/)
      expect(String(died)).not.toContain(short)
    }))
})
