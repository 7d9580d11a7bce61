import * as FileSystem from "@effect/platform/FileSystem"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import { describe, expect, it } from "@effect/vitest"
import * as FileTokenStoreCases from "@effect-bearer/conformance/FileTokenStoreCases"
import * as TokenStoreCases from "@effect-bearer/conformance/TokenStoreCases"
import { TokenStore } from "@effect-bearer/core"
import * as FileTokenStore from "@effect-bearer/platform-node/FileTokenStore"
import { spawn } from "node:child_process"
import { readdirSync } from "node:fs"
import { join } from "node:path"
import { ConfigProvider, Context, Effect, Layer, Logger, ManagedRuntime, Option, Redacted } from "effect"
import * as Scripts from "./support/Scripts.js"
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

/** Runs `effect` on a file store in `directory`, collecting the warnings it logs. */
const withStore = <A, E>(directory: string, effect: Effect.Effect<A, E, TokenStore.TokenStore>) =>
  Effect.gen(function*() {
    const warnings: Array<string> = []
    const logger = Logger.replace(Logger.defaultLogger, Logger.make(({ message }) => warnings.push(String(message))))
    const result = yield* Effect.provide(effect, Layer.merge(FileTokenStore.layer({ directory }), logger))
    return [result, warnings] as const
  })

/** Opens a file store on `directory` on a runtime of its own, its warnings collected. */
const open: FileTokenStoreCases.Open = async (directory) => {
  const warnings: Array<string> = []
  const logger = Logger.replace(Logger.defaultLogger, Logger.make(({ message }) => warnings.push(String(message))))
  const runtime = ManagedRuntime.make(Layer.merge(FileTokenStore.layer({ directory }), logger))
  const built = await runtime.runtime()
  return {
    store: promised(Context.get(built.context, TokenStore.TokenStore), built),
    warnings: () => warnings,
    close: () => runtime.dispose()
  }
}

/** The holder process: Node runs the bundled script itself (a wrapper command, as `tsx` is, would put a second process between the kill and the holder). */
const spawnHolder: FileTokenStoreCases.SpawnHolder = (directory, key, timeToLiveMillis) =>
  spawn(process.execPath, [Scripts.path("holdFileLock"), directory, key, String(timeToLiveMillis)], { stdio: ["ignore", "pipe", "inherit"] })

describe("FileTokenStore: its directory (the shared cases)", () => {
  for (const testCase of FileTokenStoreCases.withHolder(spawnHolder)) {
    it.live(testCase.name, () => Effect.promise(() => testCase.run(open, freshDirectory(), expect as TokenStoreCases.Expect)), testCase.timeoutMillis)
  }
})

describe("FileTokenStore", () => {
  it.live("holds its lock and generations across OS processes: 3 processes × 15 locked increments lose none", () =>
    Effect.gen(function*() {
      const directory = freshDirectory()
      const key = freshKey()
      const reports = yield* Effect.promise(() => runWorkers("file", directory, key, { processes: 3, rounds: 15 }))
      expect(reports.map((report) => report.stale)).toEqual([0, 0, 0])
      const [read] = yield* withStore(directory, Effect.flatMap(store, (tokens) => tokens.get(key)))
      expect(Option.getOrThrow(read.entry).generation).toBe(45)
      expect(readdirSync(directory).sort()).toEqual([`${key}.json`])
    }), 120_000)

  it("defaults to $XDG_CACHE_HOME/effect-bearer when absolute, else ~/.cache/effect-bearer", () => {
    for (const row of FileTokenStoreCases.defaultDirectoryRows) expect(FileTokenStore.defaultDirectory(row.environment)).toBe(row.directory)
  })

  it.live("layerConfig finds the directory through Config", () =>
    Effect.gen(function*() {
      const cacheHome = join(freshDirectory(), "..", "xdg")
      const key = freshKey()
      yield* Effect.flatMap(store, (tokens) => tokens.compareAndSet(key, { value: "sealed", generation: 1, expiresAt: Date.now() + 60_000 })).pipe(
        Effect.provide(FileTokenStore.layerConfig()),
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["XDG_CACHE_HOME", cacheHome], ["HOME", "/nonexistent"]])))
      )
      const fs = yield* FileSystem.FileSystem
      expect(yield* fs.exists(join(cacheHome, "effect-bearer", `${key}.json`))).toBe(true)
    }).pipe(Effect.provide(NodeFileSystem.layer)))

  it.live("takes a sealing key from the options or EFFECT_BEARER_STORE_KEY (redacted), refusing one under 32 bytes without showing it", () =>
    Effect.gen(function*() {
      const key = btoa("k".repeat(32))
      const fromConfig = (value: string) => Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["EFFECT_BEARER_STORE_KEY", value], ["HOME", freshDirectory()]])))
      const viaConfig = yield* Effect.provide(store, FileTokenStore.layerConfig()).pipe(fromConfig(key))
      expect(viaConfig.sealingKey).toBeDefined()
      expect(String(viaConfig.sealingKey)).not.toContain(key)
      const viaOptions = yield* Effect.provide(store, FileTokenStore.layer({ directory: freshDirectory(), sealingKey: Redacted.make(key) }))
      expect(viaOptions.sealingKey).toBeDefined()
      expect((yield* Effect.provide(store, FileTokenStore.layer({ directory: freshDirectory() }))).sealingKey).toBeUndefined()
      const short = btoa("short key, 31 bytes long......!")
      const refused = yield* Effect.flip(Effect.provide(store, FileTokenStore.layerConfig()).pipe(fromConfig(short)))
      expect(String(refused)).toMatch(/EFFECT_BEARER_STORE_KEY.*at least 32 bytes/)
      expect(String(refused)).not.toContain(short)
      const died = yield* Effect.exit(Effect.provide(store, FileTokenStore.layer({ directory: freshDirectory(), sealingKey: Redacted.make(short) })))
      expect(String(died)).toMatch(/at least 32 bytes/)
      expect(String(died)).not.toContain(short)
    }))
})
