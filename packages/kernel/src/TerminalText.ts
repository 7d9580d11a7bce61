/**
 * Text for a terminal, for both lines' CLI: escape sequences removed where a stream may not
 * carry colours, and JSON with every character a terminal could act on escaped (claims and
 * scopes come from servers: printing them must not move the cursor, set the title or reorder
 * the text).
 *
 * @since 0.1.0
 */

/** CSI sequences (colours, cursor moves) and OSC sequences (titles, links). */
// eslint-disable-next-line no-control-regex
const escapes = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g

/**
 * `text` without terminal escape sequences.
 *
 * @see https://ecma-international.org/publications-and-standards/standards/ecma-48/
 * @since 0.1.0
 */
export const stripEscapes = (text: string): string => text.replace(escapes, "")

// Characters JSON.stringify leaves as they are that a terminal may act on or that make a
// text read otherwise: DEL and C1 controls (U+009B is a CSI), zero-width and bidirectional
// formatting characters, line and paragraph separators, the byte-order mark.
const unsafeInTerminal = /[\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g

/**
 * `JSON.stringify` for a terminal: the same JSON value, with every character a terminal could
 * act on written as a `\uXXXX` escape (JSON.stringify already escapes C0 controls, ESC included).
 *
 * @since 0.1.0
 */
export const safeJson = (value: unknown, indent?: number): string =>
  (JSON.stringify(value, null, indent) ?? "null").replace(
    unsafeInTerminal,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`
  )

/**
 * Whether `NO_COLOR` (its value, `undefined` when unset) turns colours off: set to anything but
 * the empty string.
 *
 * @see https://no-color.org/
 * @since 0.1.0
 */
export const noColor = (value: string | undefined): boolean => value !== undefined && value !== ""
