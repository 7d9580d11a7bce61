/**
 * Base64 and base64url over UTF-8 text, with nothing but the web platform's `btoa`,
 * `atob` and `TextEncoder` (Node, browsers, Deno, Bun alike).
 *
 * @since 0.1.0
 */

const utf8Decoder = new TextDecoder("utf-8", { fatal: true })

/**
 * Base64 (with padding) of the UTF-8 bytes of `text`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc4648#section-4
 * @since 0.1.0
 */
export const encode = (text: string): string => {
  let binary = ""
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte)
  return btoa(binary)
}

/**
 * The UTF-8 text of a base64url value (padding optional), or `undefined` when it is
 * not base64url or not UTF-8.
 *
 * @see https://www.rfc-editor.org/rfc/rfc4648#section-5
 * @since 0.1.0
 */
export const decodeUrlToText = (value: string): string | undefined => {
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(value) || value.replace(/=+$/, "").length % 4 === 1) return undefined
  const base64 = value.replace(/=+$/, "").replace(/-/g, "+").replace(/_/g, "/")
  try {
    const binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4))
    const bytes = new Uint8Array(binary.length)
    for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index)
    return utf8Decoder.decode(bytes)
  } catch {
    return undefined
  }
}
