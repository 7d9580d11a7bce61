/**
 * Small facts about parsed JSON values, shared by every module that reads a server's
 * JSON (token responses, discovery documents, JWT claims, credentials files).
 *
 * @since 0.1.0
 */

/**
 * A JSON object: not `null`, not an array.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8259#section-4
 * @since 0.1.0
 */
export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/**
 * `JSON.parse` that returns `undefined` instead of throwing.
 *
 * @since 0.1.0
 */
export const parse = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}
