import type { TokenStore } from "@effect-bearer/core"

/**
 * The text form of an entry in a file or a Redis key: JSON with `generation`, `value`,
 * `expiresAt`. One codec, so both stores read and write the same shape.
 *
 * @internal
 */
export const encodeEntry = (entry: TokenStore.Entry): string =>
  JSON.stringify({ generation: entry.generation, value: entry.value, expiresAt: entry.expiresAt })

/**
 * The entry in `text`, or `undefined` when it is not one (garbage, another shape, a negative
 * or fractional generation): the store reports that as `Corrupt`.
 *
 * @internal
 */
export const decodeEntry = (text: string): TokenStore.Entry | undefined => {
  try {
    const parsed: unknown = JSON.parse(text)
    if (typeof parsed !== "object" || parsed === null) return undefined
    const { value, generation, expiresAt } = parsed as Record<string, unknown>
    return typeof value === "string" && Number.isSafeInteger(generation) && (generation as number) >= 0 &&
        typeof expiresAt === "number" && Number.isFinite(expiresAt)
      ? { value, generation: generation as number, expiresAt }
      : undefined
  } catch {
    return undefined
  }
}
