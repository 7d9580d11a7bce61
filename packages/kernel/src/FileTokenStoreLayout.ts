/**
 * How the file token store lays out its directory, for both Effect lines: which keys may name a
 * file, the files of one credential, and the content of a lock file (its owner and expiry), so
 * that a process of either line honours the other's locks.
 *
 * @since 0.1.0
 */

/**
 * The files of one credential: the entry (`<key>.json`), the token provider's lock
 * (`<key>.lock`) and the short write mutex (`<key>.write`).
 *
 * @since 0.1.0
 */
export const suffixes = { entry: "json", lock: "lock", writeMutex: "write" } as const

/**
 * Whether a key may name a file: only what `TokenStoreKey.make` and tests use, nothing that
 * walks paths.
 *
 * @since 0.1.0
 */
export const isSafeKey = (key: string): boolean => /^[A-Za-z0-9][A-Za-z0-9_-]{0,200}$/.test(key)

/**
 * How long the write mutex (held only for read, compare, rename) may live before it is stale, in milliseconds.
 *
 * @since 0.1.0
 */
export const writeMutexTimeToLiveMillis = 5_000

/**
 * How long a lock file without readable content (being written, or its writer died) counts as
 * live after its modification time when a waiter checks it, in milliseconds.
 *
 * @since 0.1.0
 */
export const unreadableLockLifetimeMillis = 60_000

/**
 * What a lock file holds: a random owner and when the lock expires (epoch milliseconds).
 *
 * @since 0.1.0
 */
export interface LockContent {
  readonly owner: string
  readonly expiresAt: number
}

/**
 * The text of a lock file.
 *
 * @since 0.1.0
 */
export const encodeLock = (lock: LockContent): string => JSON.stringify({ owner: lock.owner, expiresAt: lock.expiresAt })

/**
 * The lock in a lock file's text, or `undefined` when it is not one (being written, garbage).
 *
 * @since 0.1.0
 */
export const decodeLock = (text: string): LockContent | undefined => {
  try {
    const parsed: unknown = JSON.parse(text)
    if (typeof parsed !== "object" || parsed === null) return undefined
    const { owner, expiresAt } = parsed as Record<string, unknown>
    return typeof owner === "string" && typeof expiresAt === "number" ? { owner, expiresAt } : undefined
  } catch {
    return undefined
  }
}

/**
 * Until when a lock file found with `text` and modified at `modifiedAt` blocks others: its own
 * expiry, or (unreadable content) its modification time plus `lifetimeMillis`.
 *
 * @since 0.1.0
 */
export const heldUntil = (text: string, modifiedAt: number, lifetimeMillis: number): number =>
  decodeLock(text)?.expiresAt ?? modifiedAt + lifetimeMillis
