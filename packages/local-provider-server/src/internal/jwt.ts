/**
 * The JWTs and random values the local provider server issues, with nothing but the web
 * platform's `crypto.subtle`, `btoa` and `TextEncoder`.
 *
 * @internal
 */

/** The HMAC algorithms the local server signs with (RFC 7518 §3.2). */
export type Algorithm = "HS256" | "HS512"

const hashes = { HS256: "SHA-256", HS512: "SHA-512" } as const

/** Base64url without padding (RFC 4648 §5) of `bytes`. */
export const base64Url = (bytes: Uint8Array): string => {
  let binary = ""
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")
}

const utf8 = (text: string) => new TextEncoder().encode(text)

/** Signs claims as a compact JWS (RFC 7515 §7.1) with HMAC. */
export const sign = async (
  claims: Readonly<Record<string, unknown>>,
  algorithm: Algorithm,
  secret: string
): Promise<string> => {
  const header = base64Url(utf8(JSON.stringify({ alg: algorithm, typ: "JWT" })))
  const payload = base64Url(utf8(JSON.stringify(claims)))
  const key = await crypto.subtle.importKey("raw", utf8(secret), { name: "HMAC", hash: hashes[algorithm] }, false, [
    "sign"
  ])
  const signature = await crypto.subtle.sign("HMAC", key, utf8(`${header}.${payload}`))
  return `${header}.${payload}.${base64Url(new Uint8Array(signature))}`
}

/** Where the server's random bytes come from: the Effect line's `Random`, so tests can make them reproducible. */
export type RandomBytes = (size: number) => Uint8Array

/** `size` random bytes, base64url-encoded: unique values. */
export const randomString = (randomBytes: RandomBytes, size: number): string => base64Url(randomBytes(size))

/** A random version 4 UUID (RFC 9562 §5.4), e.g. for Keycloak's `session_state`. */
export const randomUuid = (randomBytes: RandomBytes): string => {
  const bytes = Array.from(randomBytes(16))
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80
  const hex = bytes.map((byte) => byte.toString(16).padStart(2, "0")).join("")
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
