import * as FileSystem from "@effect/platform/FileSystem"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import { describe, expect, it } from "@effect/vitest"
import { TokenStore } from "@effect-bearer/core"
import * as FileTokenStore from "@effect-bearer/platform-node/FileTokenStore"
import { spawn } from "node:child_process"
import { chmodSync, chownSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { ConfigProvider, Duration, Effect, Layer, Logger, Option, Redacted } from "effect"
import * as Scripts from "./support/Scripts.js"
import { runWorkers } from "./support/StoreWorkers.js"
import { conformance, freshKey } from "./support/TokenStoreConformance.js"

const directories: Array<string> = []
/** A new cache directory for one test, below a fresh temporary parent; removed after the file. */
const freshDirectory = (): string => {
  const parent = mkdtempSync(join(tmpdir(), "effect-bearer-store-"))
  directories.push(parent)
  return join(parent, "effect-bearer")
}
process.on("exit", () => directories.forEach((directory) => rmSync(directory, { recursive: true, force: true })))

const shared = freshDirectory()

conformance({
  name: "file",
  layer: FileTokenStore.layer({ directory: shared }),
  reportsTakeover: true,
  plantGarbage: (key) =>
    Effect.sync(() => {
      writeFileSync(join(shared, `${key}.json`), "\u0000not an entry{", { mode: 0o600 })
    })
})

const store = TokenStore.TokenStore
const modeOf = (path: string) => statSync(path).mode & 0o777

/** Runs `effect` on a file store in `directory`, collecting the warnings it logs. */
const withStore = <A, E>(directory: string, effect: Effect.Effect<A, E, TokenStore.TokenStore>) =>
  Effect.gen(function*() {
    const warnings: Array<string> = []
    const logger = Logger.replace(Logger.defaultLogger, Logger.make(({ message }) => warnings.push(String(message))))
    const result = yield* Effect.provide(effect, Layer.merge(FileTokenStore.layer({ directory }), logger))
    return [result, warnings] as const
  })

describe("FileTokenStore", () => {
  it.live("creates the directory 0700 and writes entries 0600 by atomic rename, leaving no temporary file", () =>
    Effect.gen(function*() {
      const directory = freshDirectory()
      const key = freshKey()
      yield* withStore(directory, Effect.flatMap(store, (tokens) => tokens.compareAndSet(key, { value: "sealed", generation: 1, expiresAt: Date.now() + 60_000 })))
      expect(modeOf(directory)).toBe(0o700)
      expect(modeOf(join(directory, `${key}.json`))).toBe(0o600)
      expect(readdirSync(directory)).toEqual([`${key}.json`])
      expect(JSON.parse(readFileSync(join(directory, `${key}.json`), "utf8"))).toMatchObject({ generation: 1, value: "sealed" })
    }))

  it.live("repairs a directory and a file readable by others, and says so", () =>
    Effect.gen(function*() {
      const directory = freshDirectory()
      const key = freshKey()
      yield* withStore(directory, Effect.flatMap(store, (tokens) => tokens.compareAndSet(key, { value: "sealed", generation: 1, expiresAt: Date.now() + 60_000 })))
      chmodSync(directory, 0o755)
      chmodSync(join(directory, `${key}.json`), 0o644)
      const [read, warnings] = yield* withStore(directory, Effect.flatMap(store, (tokens) => tokens.get(key)))
      expect(Option.isSome(read.entry)).toBe(true)
      expect(modeOf(directory)).toBe(0o700)
      expect(modeOf(join(directory, `${key}.json`))).toBe(0o600)
      expect(warnings.join("\n")).toMatch(/directory .* had mode 755; repaired to 700/)
      expect(warnings.join("\n")).toMatch(/file .* had mode 644; repaired to 600/)
    }))

  it.live("refuses an entry file that belongs to another user (checked when running as root)", () =>
    Effect.gen(function*() {
      if (process.getuid?.() !== 0) return
      const directory = freshDirectory()
      const key = freshKey()
      yield* withStore(directory, Effect.flatMap(store, (tokens) => tokens.compareAndSet(key, { value: "sealed", generation: 1, expiresAt: Date.now() + 60_000 })))
      chownSync(join(directory, `${key}.json`), 65534, 65534)
      const [error] = yield* withStore(directory, Effect.flip(Effect.flatMap(store, (tokens) => tokens.get(key))))
      expect(error.reason).toBe("Corrupt")
      expect(error.detail).toMatch(/belongs to another user/)
    }))

  it.live("fails with a typed Unavailable error, quickly, when the directory cannot be made", () =>
    Effect.gen(function*() {
      const parent = freshDirectory()
      writeFileSync(parent, "a file where the directory should be")
      const started = Date.now()
      const [error] = yield* withStore(join(parent, "below"), Effect.flip(Effect.flatMap(store, (tokens) => tokens.get(freshKey()))))
      expect(error).toBeInstanceOf(TokenStore.TokenStoreError)
      expect(error.reason).toBe("Unavailable")
      expect(Date.now() - started).toBeLessThan(2_000)
    }))

  it.live("makes its directory again when it was removed while the store was in use", () =>
    Effect.gen(function*() {
      const directory = freshDirectory()
      const key = freshKey()
      const [written] = yield* withStore(directory, Effect.gen(function*() {
        const tokens = yield* store
        yield* tokens.get(key)
        rmSync(directory, { recursive: true, force: true })
        const first = yield* Effect.either(tokens.compareAndSet(key, { value: "sealed", generation: 1, expiresAt: Date.now() + 60_000 }))
        const second = yield* Effect.either(tokens.compareAndSet(key, { value: "sealed", generation: 1, expiresAt: Date.now() + 60_000 }))
        return [first, second]
      }))
      expect(written.some((result) => result._tag === "Right" && result.right._tag === "Written")).toBe(true)
      expect(modeOf(directory)).toBe(0o700)
    }))

  it.live("refuses keys that are not plain file names", () =>
    Effect.gen(function*() {
      const [error] = yield* withStore(freshDirectory(), Effect.flip(Effect.flatMap(store, (tokens) => tokens.get("../../etc/passwd"))))
      expect(error.reason).toBe("Unavailable")
    }))

  it.live("takes over the lock of a process killed with SIGKILL once its lifetime has passed, not before", () =>
    Effect.gen(function*() {
      const directory = freshDirectory()
      const key = freshKey()
      const timeToLive = 2_000
      // Node runs the bundled script itself: a wrapper command (`tsx` is one) would put a second process between the kill and the holder.
      const child = spawn(process.execPath, [Scripts.path("holdFileLock"), directory, key, String(timeToLive)], {
        stdio: ["ignore", "pipe", "inherit"]
      })
      const expiresAt = yield* Effect.async<number>((resume) => {
        let output = ""
        child.stdout.on("data", (chunk) => {
          output += String(chunk)
          const match = /locked (\d+)/.exec(output)
          if (match !== null) resume(Effect.succeed(Number(match[1])))
        })
      })
      child.kill("SIGKILL")
      const killedAt = Date.now()
      yield* Effect.async<void>((resume) => {
        if (child.exitCode !== null || child.signalCode !== null) resume(Effect.void)
        else child.on("exit", () => resume(Effect.void))
      })
      const [lock] = yield* withStore(directory, Effect.gen(function*() {
        const tokens = yield* store
        while (true) {
          const taken = yield* tokens.acquireLock(key, Duration.seconds(10))
          if (Option.isSome(taken)) return taken.value
          // Refused only while the dead holder's lock lives (the check ran just before this line).
          expect(Date.now()).toBeLessThan(expiresAt + 500)
          yield* Effect.sleep(Duration.millis(25))
        }
      }))
      expect(lock.tookOver).toBe(true)
      expect(Date.now()).toBeGreaterThanOrEqual(expiresAt)
      // Never blocked longer than the lock's lifetime (plus the poll and a loaded machine's slack).
      expect(Date.now() - Math.max(expiresAt, killedAt)).toBeLessThan(1_500)
    }), 30_000)

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

  it.live("treats a lock file without content (its writer died at once) as held for one lifetime from its modification", () =>
    Effect.gen(function*() {
      const directory = freshDirectory()
      const key = freshKey()
      yield* withStore(directory, Effect.flatMap(store, (tokens) => tokens.get(key)))
      writeFileSync(join(directory, `${key}.lock`), "", { mode: 0o600 })
      const [[first, second]] = yield* withStore(directory, Effect.gen(function*() {
        const tokens = yield* store
        const first = yield* tokens.acquireLock(key, Duration.millis(300))
        yield* Effect.sleep(Duration.millis(450))
        return [first, yield* tokens.acquireLock(key, Duration.millis(300))] as const
      }))
      expect(Option.isNone(first)).toBe(true)
      expect(Option.getOrThrow(second).tookOver).toBe(true)
    }))

  it("defaults to $XDG_CACHE_HOME/effect-bearer when absolute, else ~/.cache/effect-bearer", () => {
    expect(FileTokenStore.defaultDirectory({ XDG_CACHE_HOME: "/var/cache/ana", HOME: "/home/ana" })).toBe("/var/cache/ana/effect-bearer")
    expect(FileTokenStore.defaultDirectory({ XDG_CACHE_HOME: "relative/cache", HOME: "/home/ana" })).toBe("/home/ana/.cache/effect-bearer")
    expect(FileTokenStore.defaultDirectory({ XDG_CACHE_HOME: "", HOME: "/home/ana" })).toBe("/home/ana/.cache/effect-bearer")
    expect(FileTokenStore.defaultDirectory({ HOME: "/home/bob" })).toBe("/home/bob/.cache/effect-bearer")
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
