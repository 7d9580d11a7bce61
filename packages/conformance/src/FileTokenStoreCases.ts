/**
 * What the file token store does with its directory, for both lines: modes, repairs (with a
 * warning), another user's files, a directory that cannot be made or that vanished, unsafe keys,
 * and a lock file without content. Each line opens its store through {@link Open}; the store's
 * operations are the promise view of `TokenStoreCases`.
 */
import type { ChildProcess } from "node:child_process"
import { chmodSync, chownSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { type Expect, freshKey, type Store } from "./TokenStoreCases.js"

/** A file store on `directory`, and the warnings it logged so far. */
export interface Opened {
  readonly store: Store
  readonly warnings: () => ReadonlyArray<string>
  readonly close: () => Promise<void>
}

/** Opens a file store on `directory` (each line's `FileTokenStore.layer({ directory })`). */
export type Open = (directory: string) => Promise<Opened>

/** One case: its name, and what it does with a fresh directory (not yet created). */
export interface Case {
  readonly name: string
  readonly run: (open: Open, directory: string, expect: Expect) => Promise<void>
}

const directories: Array<string> = []
/** A new cache directory for one test (not yet made), below a fresh temporary parent; removed when the process exits. */
export const freshDirectory = (): string => {
  if (directories.length === 0) process.on("exit", () => directories.forEach((directory) => rmSync(directory, { recursive: true, force: true })))
  const parent = mkdtempSync(join(tmpdir(), "effect-bearer-store-"))
  directories.push(parent)
  return join(parent, "effect-bearer")
}

/** `FileTokenStore.defaultDirectory` of an environment: `$XDG_CACHE_HOME/effect-bearer` when absolute, else `~/.cache/effect-bearer`. */
export const defaultDirectoryRows: ReadonlyArray<{ readonly environment: Readonly<Record<string, string>>; readonly directory: string }> = [
  { environment: { XDG_CACHE_HOME: "/var/cache/ana", HOME: "/home/ana" }, directory: "/var/cache/ana/effect-bearer" },
  { environment: { XDG_CACHE_HOME: "relative/cache", HOME: "/home/ana" }, directory: "/home/ana/.cache/effect-bearer" },
  { environment: { XDG_CACHE_HOME: "", HOME: "/home/ana" }, directory: "/home/ana/.cache/effect-bearer" },
  { environment: { HOME: "/home/bob" }, directory: "/home/bob/.cache/effect-bearer" }
]

/** Puts a file that is not an entry at `key` in `directory` (the file backend's `TokenStoreCases.Backend.plantGarbage`). */
export const plantGarbage = (directory: string) => async (key: string): Promise<void> =>
  writeFileSync(join(directory, `${key}.json`), "\u0000not an entry{", { mode: 0o600 })

const modeOf = (path: string) => statSync(path).mode & 0o777
const entry = (generation = 1) => ({ value: "sealed", generation, expiresAt: Date.now() + 60_000 })

/** Runs `use` on a store opened on `directory`, closed afterwards; its result and the warnings logged. */
const withStore = async <A>(open: Open, directory: string, use: (store: Store) => Promise<A>) => {
  const opened = await open(directory)
  try {
    return [await use(opened.store), opened.warnings()] as const
  } finally {
    await opened.close()
  }
}

const failureOf = (promise: Promise<unknown>) =>
  promise.then(() => undefined, (error: { readonly reason: string; readonly detail: string; readonly _tag: string }) => error)

/** The cases. */
export const cases: ReadonlyArray<Case> = [
  {
    name: "creates the directory 0700 and writes entries 0600 by atomic rename, leaving no temporary file",
    run: async (open, directory, expect) => {
      const key = freshKey()
      await withStore(open, directory, (store) => store.compareAndSet(key, entry()))
      expect(modeOf(directory)).toBe(0o700)
      expect(modeOf(join(directory, `${key}.json`))).toBe(0o600)
      expect(readdirSync(directory)).toEqual([`${key}.json`])
      expect(JSON.parse(readFileSync(join(directory, `${key}.json`), "utf8"))).toMatchObject({ generation: 1, value: "sealed" })
    }
  },
  {
    name: "repairs a directory and a file readable by others, and says so",
    run: async (open, directory, expect) => {
      const key = freshKey()
      await withStore(open, directory, (store) => store.compareAndSet(key, entry()))
      chmodSync(directory, 0o755)
      chmodSync(join(directory, `${key}.json`), 0o644)
      const [read, warnings] = await withStore(open, directory, (store) => store.get(key))
      expect(read.entry).toBeDefined()
      expect(modeOf(directory)).toBe(0o700)
      expect(modeOf(join(directory, `${key}.json`))).toBe(0o600)
      expect(warnings.join("\n")).toMatch(/directory .* had mode 755; repaired to 700/)
      expect(warnings.join("\n")).toMatch(/file .* had mode 644; repaired to 600/)
    }
  },
  {
    name: "refuses an entry file that belongs to another user (checked when running as root)",
    run: async (open, directory, expect) => {
      if (process.getuid?.() !== 0) return
      const key = freshKey()
      await withStore(open, directory, (store) => store.compareAndSet(key, entry()))
      chownSync(join(directory, `${key}.json`), 65534, 65534)
      const [error] = await withStore(open, directory, (store) => failureOf(store.get(key)))
      expect(error?.reason).toBe("Corrupt")
      expect(error?.detail).toMatch(/belongs to another user/)
    }
  },
  {
    name: "fails with a typed Unavailable error, quickly, when the directory cannot be made",
    run: async (open, directory, expect) => {
      writeFileSync(directory, "a file where the directory should be")
      const started = Date.now()
      const [[error, isStoreError]] = await withStore(open, join(directory, "below"), async (store) => {
        const error = await failureOf(store.get(freshKey()))
        return [error, store.isStoreError(error)] as const
      })
      expect(isStoreError).toBe(true)
      expect(error?._tag).toBe("TokenStoreError")
      expect(error?.reason).toBe("Unavailable")
      expect(Date.now() - started).toBeLessThan(2_000)
    }
  },
  {
    name: "makes its directory again when it was removed while the store was in use",
    run: async (open, directory, expect) => {
      const key = freshKey()
      const [written] = await withStore(open, directory, async (store) => {
        await store.get(key)
        rmSync(directory, { recursive: true, force: true })
        const first = await store.compareAndSet(key, entry()).catch(() => undefined)
        const second = await store.compareAndSet(key, entry()).catch(() => undefined)
        return [first, second]
      })
      expect(written.some((result) => result?._tag === "Written")).toBe(true)
      expect(modeOf(directory)).toBe(0o700)
    }
  },
  {
    name: "refuses keys that are not plain file names",
    run: async (open, directory, expect) => {
      const [error] = await withStore(open, directory, (store) => failureOf(store.get("../../etc/passwd")))
      expect(error?.reason).toBe("Unavailable")
    }
  },
  {
    name: "treats a lock file without content (its writer died at once) as held for one lifetime from its modification",
    run: async (open, directory, expect) => {
      const key = freshKey()
      await withStore(open, directory, (store) => store.get(key))
      writeFileSync(join(directory, `${key}.lock`), "", { mode: 0o600 })
      const [[first, second]] = await withStore(open, directory, async (store) => {
        const first = await store.acquireLock(key, 300)
        await new Promise((resolve) => setTimeout(resolve, 450))
        return [first, await store.acquireLock(key, 300)] as const
      })
      expect(first).toBeUndefined()
      expect(second?.tookOver).toBe(true)
    }
  }
]

/**
 * Starts a process that takes `key`'s lock in `directory` for `timeToLiveMillis`, prints
 * `locked <expiresAt>` and hangs (each line's `holdFileLock` script), its stdout piped.
 */
export type SpawnHolder = (directory: string, key: string, timeToLiveMillis: number) => ChildProcess

/** The case of a lock holder killed with SIGKILL, which needs a process of the line's: run with its {@link SpawnHolder}. */
export const killedHolder = {
  name: "takes over the lock of a process killed with SIGKILL once its lifetime has passed, not before",
  timeoutMillis: 30_000,
  run: async (open: Open, directory: string, expect: Expect, spawnHolder: SpawnHolder): Promise<void> => {
    const key = freshKey()
    const child = spawnHolder(directory, key, 2_000)
    const expiresAt = await new Promise<number>((resolve) => {
      let output = ""
      child.stdout!.on("data", (chunk) => {
        output += String(chunk)
        const match = /locked (\d+)/.exec(output)
        if (match !== null) resolve(Number(match[1]))
      })
    })
    child.kill("SIGKILL")
    const killedAt = Date.now()
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve()
      else child.on("exit", () => resolve())
    })
    const [lock] = await withStore(open, directory, async (store) => {
      while (true) {
        const taken = await store.acquireLock(key, 10_000)
        if (taken !== undefined) return taken
        // Refused only while the dead holder's lock lives (the check ran just before this line).
        expect(Date.now()).toBeLessThan(expiresAt + 500)
        await new Promise((resolve) => setTimeout(resolve, 25))
      }
    })
    expect(lock.tookOver).toBe(true)
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt)
    // Never blocked longer than the lock's lifetime (plus the poll and a loaded machine's slack).
    expect(Date.now() - Math.max(expiresAt, killedAt)).toBeLessThan(1_500)
  }
}

/** Every case as a line's runner iterates it: {@link cases}, then {@link killedHolder} on the line's holder process. */
export const withHolder = (spawnHolder: SpawnHolder): ReadonlyArray<Case & { readonly timeoutMillis?: number }> => [
  ...cases,
  { ...killedHolder, run: (open, directory, expect) => killedHolder.run(open, directory, expect, spawnHolder) }
]
