/**
 * Text an authorization server or an API controls (`error_description`, `error`,
 * `error_uri`, `token_type`, an `issuer`, a `WWW-Authenticate` parameter…) made safe to put
 * in an error, a log line or a terminal.
 *
 * @since 0.1.0
 */

/**
 * How much of a server-controlled text is kept, in characters; longer texts end in `…`.
 *
 * @since 0.1.0
 */
export const maximumLength = 200

/** What replaces a credential that a server repeated back. */
const redactionMarker = "<redacted>"

// Escape sequences a terminal acts on: CSI (ESC [ … or the 8-bit CSI), OSC (ESC ] … BEL or
// ESC \, which can set titles and hyperlinks), and the other two-character escapes.
const escapeSequences = /\u001b\[[0-?]*[ -/]*[@-~]?|\u009b[0-?]*[ -/]*[@-~]?|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[ -~]?/g
// Line breaks and tabs become spaces, so that one text stays on one line.
const lineBreaks = /[\t\n\v\f\r\u0085\u2028\u2029]/g
// Other C0 and C1 controls, DEL, zero-width and bidirectional formatting characters (which
// can make a text read differently than it is), and the byte-order mark.
const invisible = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g

/** The forms in which a credential could come back: as sent in a form body or a URL, and as is. */
const formsOf = (secret: string): ReadonlyArray<string> => {
  const formEncoded = new URLSearchParams([["", secret]]).toString().slice(1)
  return [secret, formEncoded, encodeURIComponent(secret)]
}

/** Every form of every secret, longest first, so that a secret containing another is replaced whole. */
const allFormsOf = (secrets: ReadonlyArray<string>): ReadonlyArray<string> =>
  [...new Set(secrets.flatMap(formsOf))].filter((form) => form !== "").sort((a, b) => b.length - a.length)

const redact = (text: string, forms: ReadonlyArray<string>): string =>
  forms.reduce((result, form) => result.split(form).join(redactionMarker), text)

/**
 * `text` with every credential in `secrets` (as is, form-encoded or URL-encoded) replaced by
 * `<redacted>`, and nothing else changed.
 *
 * @since 0.1.0
 */
export const redactSecrets = (text: string, secrets: ReadonlyArray<string>): string => redact(text, allFormsOf(secrets))

/**
 * Cleans a server-controlled text: every credential in `secrets` (as is, form-encoded or
 * URL-encoded) becomes `<redacted>`, terminal escape sequences, control, zero-width and
 * bidirectional formatting characters are removed, line breaks become spaces, and the
 * result is cut to `limit` characters (default {@link maximumLength}), ending in `…` when
 * cut. Applying it again without secrets changes nothing.
 *
 * @example
 * import { ServerText } from "@effect-bearer/kernel"
 *
 * ServerText.sanitize("bad secret s3cr3t\r\n\u001b[31mretry", ["s3cr3t"]) // "bad secret <redacted> retry"
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 * @since 0.1.0
 */
export const sanitize = (text: string, secrets: ReadonlyArray<string> = [], limit: number = maximumLength): string => {
  const forms = allFormsOf(secrets)
  // Before and after removing controls: a secret may contain one, or be split by one.
  const cleaned = redact(
    redact(text, forms).replace(escapeSequences, "").replace(lineBreaks, " ").replace(invisible, ""),
    forms
  ).replace(/ {2,}/g, " ").trim()
  const characters = Array.from(cleaned)
  return characters.length <= limit ? cleaned : `${characters.slice(0, Math.max(0, limit - 1)).join("")}…`
}
