/**
 * The version-free parts of the cross-process token protocol (`TokenStore`): what a sealed
 * entry holds (a token with its instants on the store's clock, or a failure marker), the
 * checks that decide whether an opened value is one, and the protocol's bounds (the lock's
 * life, the waits, how long a failure holds the others back, how long an entry is kept).
 * Each Effect line's `internal/sharedFetch.ts` and `internal/sharedToken.ts` run the protocol
 * with these; the sealing is `Seal`.
 *
 * @since 0.1.0
 */
import * as Seal from "./Seal.js"
import * as TokenStoreKey from "./TokenStoreKey.js"

/**
 * A token as sealed in the store: short names, instants on the store's clock.
 *
 * @since 0.1.0
 * @category models
 */
export interface StoredToken {
  readonly value: string
  readonly issuedAt: number
  readonly expiresAt: number
  readonly lifetimeSource: "expires_in" | "jwt" | "default"
  readonly scope: string | null
  readonly refreshToken: string | null
  readonly refreshExpiresAt: number | null
}

const lifetimeSources: ReadonlyArray<string> = ["expires_in", "jwt", "default"]

const asRecord = (u: unknown): Record<string, unknown> | undefined =>
  typeof u === "object" && u !== null ? u as Record<string, unknown> : undefined

/**
 * Whether an opened value is a stored token (a non-empty value, an expiry after its issue).
 *
 * @since 0.1.0
 * @category decoding
 */
export const isStoredToken = (u: unknown): u is StoredToken => {
  const p = asRecord(u)
  return p !== undefined && typeof p["value"] === "string" && p["value"] !== "" && typeof p["issuedAt"] === "number" &&
    typeof p["expiresAt"] === "number" && p["expiresAt"] > p["issuedAt"] &&
    typeof p["lifetimeSource"] === "string" && lifetimeSources.includes(p["lifetimeSource"]) &&
    (p["scope"] === null || typeof p["scope"] === "string") &&
    (p["refreshToken"] === null || typeof p["refreshToken"] === "string") &&
    (p["refreshExpiresAt"] === null || typeof p["refreshExpiresAt"] === "number")
}

/**
 * The failure marker: the lock holder's fetch failed transiently while the entry was at
 * `generation`; the others fail alike until it expires instead of each asking the endpoint.
 *
 * @since 0.1.0
 * @category models
 */
export interface FailureMarker {
  readonly generation: number
  readonly endpoint: string
  readonly reason: "Transport" | "Timeout" | "ServerError" | "RateLimited"
  readonly status: number | null
}

const failureReasons: ReadonlyArray<string> = ["Transport", "Timeout", "ServerError", "RateLimited"]

/**
 * Whether an opened value is a failure marker.
 *
 * @since 0.1.0
 * @category decoding
 */
export const isFailureMarker = (u: unknown): u is FailureMarker => {
  const p = asRecord(u)
  return p !== undefined && typeof p["generation"] === "number" && typeof p["endpoint"] === "string" &&
    typeof p["reason"] === "string" && failureReasons.includes(p["reason"]) &&
    (p["status"] === null || typeof p["status"] === "number")
}

/**
 * A credential's store key and the key its values are sealed under.
 *
 * @since 0.1.0
 * @category keys
 */
export interface Keys {
  readonly storeKey: string
  readonly sealingKey: Seal.SealingKey
}

/**
 * The keys of a credential: its store key (`TokenStoreKey`), and a sealing key derived from
 * it and the credential's secrets, with the store's own `sealingKey` when the user gives one
 * (both are then needed to open a value).
 *
 * @since 0.1.0
 * @category keys
 */
export const deriveKeys = async (
  identity: TokenStoreKey.CredentialIdentity,
  secrets: ReadonlyArray<string>,
  storeSealingKey: string | Uint8Array | undefined
): Promise<Keys> => {
  const storeKey = await TokenStoreKey.make(identity)
  const sealingKey = await Seal.deriveKey({ storeKey, secrets: storeSealingKey === undefined ? secrets : [...secrets, storeSealingKey] })
  return { storeKey, sealingKey }
}

/**
 * The store key of a credential's failure marker.
 *
 * @since 0.1.0
 * @category keys
 */
export const failureKey = (storeKey: string): string => `${storeKey}-failed`

/**
 * `value` as JSON, sealed under `key`.
 *
 * @since 0.1.0
 * @category sealing
 */
export const sealJson = (key: Seal.SealingKey, value: unknown): Promise<string> => Seal.seal(key, JSON.stringify(value))

/**
 * The JSON sealed in `sealed` when it opens and passes `is`; `undefined` for anything else
 * (tampered with, another credential's, not JSON, not the shape). Never rejects.
 *
 * @since 0.1.0
 * @category sealing
 */
export const openJson = async <A>(key: Seal.SealingKey, sealed: string, is: (u: unknown) => u is A): Promise<A | undefined> => {
  try {
    const opened = await Seal.open(key, sealed)
    if (opened._tag !== "Opened") return undefined
    const value: unknown = JSON.parse(opened.plaintext)
    return is(value) ? value : undefined
  } catch {
    return undefined
  }
}

/**
 * How much longer than the fetch's deadline the lock lives, in milliseconds.
 *
 * @since 0.1.0
 * @category bounds
 */
export const lockMargin = 2_000

/**
 * The default of a store's `lockTimeToLive` (longer than one request's 10 s timeout).
 *
 * @since 0.1.0
 * @category bounds
 */
export const defaultLockTimeToLive = 12_000

/**
 * The longest single wait for another process's write before reading again.
 *
 * @since 0.1.0
 * @category bounds
 */
export const longestWait = 5_000

/**
 * How long the lock of a fetch ending by `deadline` lives at `now`: the fetch's time left plus
 * {@link lockMargin}, at most the store's `lockTimeToLive` (default {@link defaultLockTimeToLive}).
 *
 * @since 0.1.0
 * @category bounds
 */
export const lockTimeToLive = (deadline: number, now: number, storeLockTimeToLive: number | undefined): number =>
  Math.min(Math.max(0, deadline - now) + lockMargin, storeLockTimeToLive ?? defaultLockTimeToLive)

/**
 * How long to wait for the lock holder's write before reading again.
 *
 * @since 0.1.0
 * @category bounds
 */
export const waitForHolder = (deadline: number, now: number): number => Math.min(longestWait, Math.max(1, deadline - now))

/**
 * How long a failure marker holds the others back: 1 s, or the server's `Retry-After`, at most 30 s.
 *
 * @since 0.1.0
 * @category bounds
 */
export const failureHold = (retryAfterMillis: number | undefined): number => Math.min(30_000, Math.max(1_000, retryAfterMillis ?? 0))

/**
 * Until when the store keeps a token: its refresh token's expiry, a day past its own expiry
 * for a refresh token without one, else its own expiry (never before it).
 *
 * @since 0.1.0
 * @category bounds
 */
export const keepUntil = (expiresAt: number, refreshToken: { readonly expiresAt: number | undefined } | undefined): number =>
  Math.max(expiresAt, refreshToken === undefined ? expiresAt : refreshToken.expiresAt ?? expiresAt + 86_400_000)
