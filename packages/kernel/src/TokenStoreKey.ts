/**
 * The key under which a shared token store keeps one credential's tokens: a SHA-256 hash
 * of what identifies the credential (token URL, client id, grant type, username, scope,
 * audience), never of a secret, so that reading the store's keys reveals nothing and two
 * credentials never share an entry.
 *
 * @since 0.1.0
 */

/**
 * The version prefix of every key; a change of the hashed fields or their encoding
 * changes it, so that old entries are simply never found again.
 *
 * @since 0.1.0
 */
export const version = "v1"

/**
 * What identifies a credential. No field is a secret: the client secret and the password
 * are deliberately absent (they seal the value instead, see `Seal`).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.4
 * @since 0.1.0
 */
export interface CredentialIdentity {
  /** The token endpoint URL. */
  readonly tokenUrl: string
  /** The `client_id`. */
  readonly clientId: string
  /** The `grant_type`, e.g. `client_credentials`, `password`. */
  readonly grantType: string
  /** The resource owner's `username` of a password grant. */
  readonly username?: string | undefined
  /** The requested `scope` (space-separated; order and repetitions do not matter). */
  readonly scope?: string | undefined
  /** The requested `audience` (or resource indicator). */
  readonly audience?: string | undefined
}

/**
 * The scope as a set: RFC 6749 §3.3 scope tokens are space-delimited and order-independent.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.3
 */
const normalizeScope = (scope: string | undefined): string | null =>
  scope === undefined ? null : [...new Set(scope.split(" ").filter((token) => token !== ""))].sort().join(" ")

/**
 * The exact text that is hashed: a JSON array in a fixed order, absent fields as `null`, so
 * that no two identities (e.g. a username containing a separator) produce the same text.
 *
 * @since 0.1.0
 */
export const canonicalText = (identity: CredentialIdentity): string =>
  JSON.stringify([
    version,
    identity.tokenUrl,
    identity.clientId,
    identity.grantType,
    identity.username ?? null,
    normalizeScope(identity.scope),
    identity.audience ?? null
  ])

const hex = (bytes: ArrayBuffer): string => [...new Uint8Array(bytes)].map((byte) => byte.toString(16).padStart(2, "0")).join("")

/**
 * The store key of a credential: `v1-` followed by the lowercase hex SHA-256 of its
 * {@link canonicalText}. Safe as a file name and as a Redis key.
 *
 * @example
 * import { TokenStoreKey } from "@effect-bearer/kernel"
 *
 * await TokenStoreKey.make({ tokenUrl: "https://idp.example/token", clientId: "app", grantType: "client_credentials" })
 * // "v1-3f6c…" (64 hex digits)
 *
 * @since 0.1.0
 */
export const make = async (identity: CredentialIdentity): Promise<string> =>
  `${version}-${hex(await globalThis.crypto.subtle.digest("SHA-256", new TextEncoder().encode(canonicalText(identity))))}`

/**
 * Whether `text` has the shape of a key made by {@link make}.
 *
 * @since 0.1.0
 */
export const isKey = (text: string): boolean => /^v1-[0-9a-f]{64}$/.test(text)
