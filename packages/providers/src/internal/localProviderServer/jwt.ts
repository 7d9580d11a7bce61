import { Effect, Encoding, Random } from "effect"

/** The HMAC algorithms the local server signs with (RFC 7518 §3.2). @internal */
export type Algorithm = "HS256" | "HS512"

const hashes = { HS256: "SHA-256", HS512: "SHA-512" } as const

/**
 * Signs claims as a compact JWS with HMAC, using WebCrypto (global in Node 20, Deno,
 * Bun and browsers), so the server needs no platform module.
 * @internal
 */
export const sign = (
  claims: Readonly<Record<string, unknown>>,
  algorithm: Algorithm,
  secret: string
): Effect.Effect<string> =>
  Effect.promise(async () => {
    const header = Encoding.encodeBase64Url(JSON.stringify({ alg: algorithm, typ: "JWT" }))
    const payload = Encoding.encodeBase64Url(JSON.stringify(claims))
    const key = await crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode(secret),
      { name: "HMAC", hash: hashes[algorithm] },
      false,
      ["sign"]
    )
    const signature = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${header}.${payload}`))
    return `${header}.${payload}.${Encoding.encodeBase64Url(new Uint8Array(signature))}`
  })

/**
 * `size` random bytes from Effect's `Random`, base64url-encoded: unique values that
 * tests can make reproducible.
 * @internal
 */
export const randomString = (size: number): Effect.Effect<string> =>
  Effect.map(
    Effect.all(Array.from({ length: size }, () => Random.nextIntBetween(0, 256))),
    (bytes) => Encoding.encodeBase64Url(new Uint8Array(bytes))
  )

/**
 * A random version 4 UUID, e.g. for Keycloak's `session_state`.
 * @internal
 */
export const randomUuid: Effect.Effect<string> = Effect.map(
  Effect.all(Array.from({ length: 16 }, () => Random.nextIntBetween(0, 256))),
  (bytes) => {
    bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40
    bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80
    const hex = bytes.map((byte) => byte.toString(16).padStart(2, "0")).join("")
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
  }
)
