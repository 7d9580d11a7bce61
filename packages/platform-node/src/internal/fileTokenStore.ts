/**
 * The file token store on Effect 3's `FileSystem`. The directory's layout (file names, the lock
 * file's content, safe keys) and the entries are the kernel's `FileTokenStoreLayout` and
 * `TokenStoreEntry`, the same as the Effect 4 line's: processes of both lines share one cache.
 *
 * @internal
 */
import type { PlatformError } from "@effect/platform/Error"
import * as FileSystem from "@effect/platform/FileSystem"
import { TokenStore } from "@effect-bearer/core"
import * as Layout from "@effect-bearer/kernel/FileTokenStoreLayout"
import * as TokenStoreEntry from "@effect-bearer/kernel/TokenStoreEntry"
import { Clock, Duration, Effect, Option, Random, Ref } from "effect"
import { join } from "node:path"

/** @internal */
export interface Options {
  readonly directory: string
  readonly pollInterval: Duration.Duration
  readonly operationTimeout: Duration.Duration
}

type Failure = TokenStore.TokenStoreError
const backend = "file"
const fail = (reason: Failure["reason"], operation: string, detail: string) =>
  new TokenStore.TokenStoreError({ reason, backend, operation, detail })

const isReason = (error: PlatformError, reason: string): boolean => error._tag === "SystemError" && error.reason === reason
const isPlatformError = (error: Failure | PlatformError): error is PlatformError => error._tag !== "TokenStoreError"
const isNotFound = (error: Failure | PlatformError): boolean => isPlatformError(error) && isReason(error, "NotFound")

const encoder = new TextEncoder()

/** @internal */
export const make = (options: Options) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const ready = yield* Ref.make(false)
    const userId = process.getuid?.()

    const unavailable = (operation: string) => (error: PlatformError) => fail("Unavailable", operation, error.message)

    /** Creates the directory 0700 once; repairs a looser mode (with a warning), refuses another user's. */
    const prepare = (operation: string) =>
      Effect.gen(function*() {
        if (yield* Ref.get(ready)) return
        yield* fs.makeDirectory(options.directory, { recursive: true, mode: 0o700 })
        const info = yield* fs.stat(options.directory)
        if (info.type !== "Directory") return yield* fail("Unavailable", operation, `${options.directory} is not a directory`)
        if (userId !== undefined && Option.isSome(info.uid) && info.uid.value !== userId) {
          return yield* fail("Unavailable", operation, `refused: ${options.directory} belongs to another user`)
        }
        if ((info.mode & 0o077) !== 0) {
          yield* fs.chmod(options.directory, 0o700)
          yield* Effect.logWarning(
            `effect-bearer: the token cache directory ${options.directory} had mode ${(info.mode & 0o777).toString(8)}; repaired to 700`
          )
        }
        yield* Ref.set(ready, true)
      })

    const pathOf = (key: string, suffix: string) => join(options.directory, `${key}.${suffix}`)

    /** Reads a file of ours; `None` when absent. Repairs a looser mode, refuses another user's file. */
    const readOwn = (
      path: string,
      operation: string
    ): Effect.Effect<Option.Option<{ readonly text: string; readonly modifiedAt: Option.Option<number> }>, Failure | PlatformError> =>
      Effect.gen(function*() {
        const info = yield* fs.stat(path)
        if (userId !== undefined && Option.isSome(info.uid) && info.uid.value !== userId) {
          return yield* fail("Corrupt", operation, `refused: ${path} belongs to another user`)
        }
        if ((info.mode & 0o077) !== 0) {
          yield* fs.chmod(path, 0o600)
          yield* Effect.logWarning(`effect-bearer: the token cache file ${path} had mode ${(info.mode & 0o777).toString(8)}; repaired to 600`)
        }
        return Option.some({ text: yield* fs.readFileString(path), modifiedAt: Option.map(info.mtime, (date) => date.getTime()) })
      }).pipe(Effect.catchIf(isNotFound, () => Effect.succeed(Option.none())))

    /** Creates `path` exclusively (O_EXCL), 0600, with `text`, synced; `false` when it exists. */
    const createExclusive = (path: string, text: string) =>
      Effect.scoped(Effect.gen(function*() {
        const file = yield* fs.open(path, { flag: "wx", mode: 0o600 })
        yield* file.writeAll(encoder.encode(text))
        yield* file.sync
        return true
      })).pipe(Effect.catchIf((error) => isReason(error, "AlreadyExists"), () => Effect.succeed(false)))

    /**
     * Removes `path` when `keep` says its content may go, without a window in which another
     * process's new file is removed: the file is first renamed aside (atomic, one winner),
     * checked there, and linked back (never over a newer file) when it must stay.
     */
    const removeIf = (path: string, mayRemove: (text: string) => boolean) =>
      Effect.gen(function*() {
        const aside = `${path}.${yield* TokenStore.makeOwner}.removing`
        const moved = yield* fs.rename(path, aside).pipe(
          Effect.as(true),
          Effect.catchIf((error) => isReason(error, "NotFound"), () => Effect.succeed(false))
        )
        if (!moved) return false
        const text = yield* fs.readFileString(aside).pipe(Effect.orElseSucceed(() => ""))
        if (mayRemove(text)) {
          yield* fs.remove(aside)
          return true
        }
        yield* fs.link(aside, path).pipe(Effect.catchIf((error) => isReason(error, "AlreadyExists"), () => Effect.void))
        yield* fs.remove(aside)
        return false
      })

    /** Takes the lock file at `path`, replacing a lock past its lifetime (e.g. of a killed process). */
    const lockFile = (path: string, key: string, timeToLive: Duration.DurationInput, operation: string) =>
      Effect.gen(function*() {
        const owner = yield* TokenStore.makeOwner
        const now = yield* Clock.currentTimeMillis
        const expiresAt = now + Duration.toMillis(timeToLive)
        const content = Layout.encodeLock({ owner, expiresAt })
        const lock = (tookOver: boolean): Option.Option<TokenStore.Lock> => Option.some({ key, owner, expiresAt, tookOver })
        if (yield* createExclusive(path, content)) return lock(false)
        const existing = yield* readOwn(path, operation)
        if (Option.isNone(existing)) return (yield* createExclusive(path, content)) ? lock(false) : Option.none()
        // A lock file without readable content is being written, or its writer died: its
        // modification time plus this lifetime bounds how long it can block anyone.
        const modifiedAt = Option.getOrElse(existing.value.modifiedAt, () => now)
        if (Layout.heldUntil(existing.value.text, modifiedAt, Duration.toMillis(timeToLive)) > now) return Option.none()
        const replaced = yield* removeIf(path, (text) => text === existing.value.text)
        return replaced && (yield* createExclusive(path, content)) ? lock(true) : Option.none()
      })

    const releaseFile = (path: string, owner: string) => removeIf(path, (text) => Layout.decodeLock(text)?.owner === owner)

    const readEntry = (key: string, operation: string, now: number) =>
      Effect.flatMap(readOwn(pathOf(key, Layout.suffixes.entry), operation), (found) => {
        if (Option.isNone(found)) return Effect.succeed(Option.none<TokenStore.Entry>())
        const entry = TokenStoreEntry.decode(found.value.text)
        return entry === undefined
          ? Effect.fail(fail("Corrupt", operation, "the entry file is not a token entry"))
          : Effect.succeed(Option.filter(Option.some(entry), (live) => live.expiresAt > now))
      })

    const liveLock = (key: string, operation: string, now: number) =>
      Effect.map(readOwn(pathOf(key, Layout.suffixes.lock), operation), (found) =>
        Option.isSome(found) &&
        Layout.heldUntil(
            found.value.text,
            Option.getOrElse(found.value.modifiedAt, () => now),
            Layout.unreadableLockLifetimeMillis
          ) > now)

    /** Every operation: a safe key, the directory ready, platform errors typed, bounded in time. */
    const run = <A>(operation: string, key: string | undefined, effect: Effect.Effect<A, Failure | PlatformError>) =>
      (key !== undefined && !Layout.isSafeKey(key)
        ? Effect.fail(fail("Unavailable", operation, "the key is not a safe file name"))
        : Effect.zipRight(prepare(operation), effect)).pipe(
          // The directory is checked again after a failure: it may have been removed meanwhile.
          Effect.tapError(() => Ref.set(ready, false)),
          Effect.catchIf(isPlatformError, (error) => Effect.fail(unavailable(operation)(error))),
          Effect.timeoutFail({
            duration: options.operationTimeout,
            onTimeout: () => fail("Timeout", operation, `no answer within ${Duration.format(options.operationTimeout)}`)
          }),
          Effect.withSpan(`TokenStore.${operation}`, { attributes: { backend } })
        )

    const read = (key: string, operation: string) =>
      Effect.gen(function*() {
        const now = yield* Clock.currentTimeMillis
        return { entry: yield* readEntry(key, operation, now), now }
      })

    const compareAndSet = (key: string, entry: TokenStore.Entry) =>
      run("compareAndSet", key, Effect.gen(function*() {
        // Writers of one key take turns for the read-compare-rename (milliseconds), so that a
        // stale writer can never rename over a newer generation between its check and its write.
        const mutexPath = pathOf(key, Layout.suffixes.writeMutex)
        let mutex = Option.none<TokenStore.Lock>()
        for (let attempt = 0; Option.isNone(mutex); attempt++) {
          mutex = yield* lockFile(mutexPath, key, Layout.writeMutexTimeToLiveMillis, "compareAndSet")
          if (Option.isNone(mutex)) yield* Effect.sleep(Duration.millis(Math.min(50, 2 + attempt * 2)))
        }
        const owner = Option.getOrThrow(mutex).owner
        return yield* Effect.gen(function*() {
          const now = yield* Clock.currentTimeMillis
          const stored = yield* readEntry(key, "compareAndSet", now).pipe(
            Effect.catchIf((error) => !isPlatformError(error) && error.reason === "Corrupt", () => Effect.succeed(Option.none()))
          )
          const current = Option.match(stored, { onNone: () => 0, onSome: (found) => found.generation })
          if (current >= entry.generation) return { _tag: "Stale", current } as const
          const entryPath = pathOf(key, Layout.suffixes.entry)
          const temporary = `${entryPath}.${yield* TokenStore.makeOwner}.tmp`
          yield* createExclusive(temporary, TokenStoreEntry.encode(entry))
          yield* fs.rename(temporary, entryPath).pipe(Effect.tapError(() => fs.remove(temporary).pipe(Effect.ignore)))
          // The rename itself survives a crash only once the directory is synced (best effort).
          yield* Effect.scoped(Effect.flatMap(fs.open(options.directory, { flag: "r" }), (directory) => directory.sync)).pipe(Effect.ignore)
          return { _tag: "Written" } as const
        }).pipe(Effect.ensuring(releaseFile(mutexPath, owner).pipe(Effect.ignore)))
      }))

    const awaitChange = (key: string, after: number, timeout: Duration.DurationInput) =>
      run("awaitChange", key, Effect.gen(function*() {
        const deadline = (yield* Clock.currentTimeMillis) + Duration.toMillis(timeout)
        while (true) {
          const result = yield* read(key, "awaitChange")
          const changed = Option.exists(result.entry, (entry) => entry.generation > after)
          if (changed || result.now >= deadline || !(yield* liveLock(key, "awaitChange", result.now))) return result
          // A bounded poll with jitter, so that processes that started together do not poll together.
          const jitter = yield* Random.nextIntBetween(0, Math.max(1, Duration.toMillis(options.pollInterval)))
          yield* Effect.sleep(Duration.millis(Math.min(deadline - result.now, Duration.toMillis(options.pollInterval) + jitter)))
        }
      })).pipe(
        // The wait itself is bounded by `timeout`, not by the operation timeout.
        Effect.timeoutFail({
          duration: Duration.sum(timeout, options.operationTimeout),
          onTimeout: () => fail("Timeout", "awaitChange", "no answer in time")
        })
      )

    return {
      backend,
      get: (key) => run("get", key, read(key, "get")),
      compareAndSet,
      acquireLock: (key, timeToLive) => run("acquireLock", key, lockFile(pathOf(key, Layout.suffixes.lock), key, timeToLive, "acquireLock")),
      releaseLock: (lock) => run("releaseLock", lock.key, releaseFile(pathOf(lock.key, Layout.suffixes.lock), lock.owner)),
      awaitChange,
      now: Clock.currentTimeMillis
    } satisfies TokenStore.Service
  })
