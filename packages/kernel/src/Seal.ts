/**
 * Sealing a token store's values: AES-256-GCM under a key derived by HKDF-SHA-256 from the
 * client's own credentials (the client secret, the password) or from a key the user gives,
 * so that whoever reads the store (Redis, the cache file) without those gets nothing usable.
 * The secrets are only input keying material: they are never stored. The store key is bound
 * into the derivation and into the additional authenticated data, so a value copied to
 * another key (another credential) does not open.
 *
 * Opening never throws: a tampered, truncated, foreign or unknown value is `Unusable`,
 * which the caller treats as a miss (with a warning).
 *
 * Plain WebCrypto (`globalThis.crypto.subtle`): Node, browsers, Deno and Bun alike.
 *
 * @see https://www.rfc-editor.org/rfc/rfc5869 HKDF
 * @see https://nvlpubs.nist.gov/nistpubs/Legacy/SP/nistspecialpublication800-38d.pdf AES-GCM
 * @since 0.1.0
 */

/**
 * The format version, the first field of every sealed value.
 *
 * @since 0.1.0
 */
export const version = "v1"

const context = "effect-bearer/seal/v1"
const ivLength = 12
const tagLength = 16
const encoder = new TextEncoder()
const decoder = new TextDecoder("utf-8", { fatal: true })

/**
 * A key that seals and opens the values of one store key. Its AES-256-GCM key is a
 * non-extractable `CryptoKey` kept out of the object itself: the key bytes cannot be read
 * back, logged or serialised.
 *
 * @since 0.1.0
 */
export interface SealingKey {
  /** The store key (see `TokenStoreKey`) this key is bound to. */
  readonly storeKey: string
}

const cryptoKeys = new WeakMap<SealingKey, CryptoKey>()

const cryptoKeyOf = (key: SealingKey): CryptoKey => {
  const cryptoKey = cryptoKeys.get(key)
  if (cryptoKey === undefined) throw new TypeError("Seal: not a key made by Seal.deriveKey")
  return cryptoKey
}

/**
 * The result of {@link open}.
 *
 * @since 0.1.0
 */
export type Opened =
  | { readonly _tag: "Opened"; readonly plaintext: string }
  | {
    readonly _tag: "Unusable"
    /**
     * `Malformed`: not a sealed value (or truncated below its minimum length);
     * `UnknownVersion`: sealed by another format version;
     * `NotAuthentic`: tampered with, truncated, sealed under other credentials or for another key.
     */
    readonly reason: "Malformed" | "UnknownVersion" | "NotAuthentic"
  }

/** Length-prefixed concatenation, so that ("ab", "c") and ("a", "bc") are different material. */
const concatenate = (parts: ReadonlyArray<Uint8Array>): Uint8Array<ArrayBuffer> => {
  const total = parts.reduce((sum, part) => sum + 4 + part.length, 0)
  const result = new Uint8Array(total)
  const view = new DataView(result.buffer)
  let offset = 0
  for (const part of parts) {
    view.setUint32(offset, part.length)
    result.set(part, offset + 4)
    offset += 4 + part.length
  }
  return result
}

const toBytes = (value: string | Uint8Array): Uint8Array => typeof value === "string" ? encoder.encode(value) : value

const additionalData = (storeKey: string): Uint8Array<ArrayBuffer> => encoder.encode(`${context} ${storeKey}`)

/**
 * Derives the sealing key of `storeKey` from `secrets`: the client secret, the client secret
 * and the password of a password grant, or a key of at least 32 random bytes the user
 * provides (for public clients). Rejects when `secrets` is empty or all empty.
 *
 * @see https://www.rfc-editor.org/rfc/rfc5869#section-2
 * @since 0.1.0
 */
export const deriveKey = async (options: {
  readonly storeKey: string
  readonly secrets: ReadonlyArray<string | Uint8Array>
}): Promise<SealingKey> => {
  const parts = options.secrets.map(toBytes)
  if (parts.every((part) => part.length === 0)) {
    throw new TypeError("Seal.deriveKey needs a secret: the client secret, the password or a key you provide")
  }
  const material = await globalThis.crypto.subtle.importKey("raw", concatenate(parts), "HKDF", false, ["deriveKey"])
  const cryptoKey = await globalThis.crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: encoder.encode(context), info: additionalData(options.storeKey) },
    material,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"]
  )
  const key: SealingKey = Object.freeze({ storeKey: options.storeKey })
  cryptoKeys.set(key, cryptoKey)
  return key
}

const base64UrlOf = (bytes: Uint8Array): string => {
  let binary = ""
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")
}

const bytesOfBase64Url = (text: string): Uint8Array<ArrayBuffer> | undefined => {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return undefined
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (text.length % 4)) % 4))
  const bytes = new Uint8Array(binary.length)
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index)
  return bytes
}

/**
 * Seals `plaintext` under `key`: `v1.` followed by the base64url of a fresh 96-bit IV, the
 * ciphertext and the 128-bit tag, with the store key as additional authenticated data.
 *
 * @since 0.1.0
 */
export const seal = async (key: SealingKey, plaintext: string): Promise<string> => {
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(ivLength))
  const ciphertext = new Uint8Array(
    await globalThis.crypto.subtle.encrypt(
      { name: "AES-GCM", iv, additionalData: additionalData(key.storeKey), tagLength: tagLength * 8 },
      cryptoKeyOf(key),
      encoder.encode(plaintext)
    )
  )
  const sealed = new Uint8Array(ivLength + ciphertext.length)
  sealed.set(iv, 0)
  sealed.set(ciphertext, ivLength)
  return `${version}.${base64UrlOf(sealed)}`
}

/**
 * Opens a value made by {@link seal}. Never throws, never rejects: anything that is not a
 * value sealed under `key` for `key.storeKey` is `Unusable`.
 *
 * @since 0.1.0
 */
export const open = async (key: SealingKey, sealed: string): Promise<Opened> => {
  const separator = sealed.indexOf(".")
  if (separator < 0) return { _tag: "Unusable", reason: "Malformed" }
  if (sealed.slice(0, separator) !== version) return { _tag: "Unusable", reason: "UnknownVersion" }
  const bytes = bytesOfBase64Url(sealed.slice(separator + 1))
  if (bytes === undefined || bytes.length < ivLength + tagLength) return { _tag: "Unusable", reason: "Malformed" }
  try {
    const plaintext = await globalThis.crypto.subtle.decrypt(
      { name: "AES-GCM", iv: bytes.subarray(0, ivLength), additionalData: additionalData(key.storeKey), tagLength: tagLength * 8 },
      cryptoKeyOf(key),
      bytes.subarray(ivLength)
    )
    return { _tag: "Opened", plaintext: decoder.decode(plaintext) }
  } catch {
    return { _tag: "Unusable", reason: "NotAuthentic" }
  }
}
