/**
 * The text form of a shared token store's entry, in a file or at a Redis key: JSON with
 * `generation`, the sealed `value` and `expiresAt`. One codec for every store of both Effect
 * lines, so that a process of either line reads what the other wrote.
 *
 * @since 0.1.0
 */

/**
 * One stored token: its sealed value (see `Seal`), the generation that orders writes, and
 * when it expires (epoch milliseconds on the store's clock).
 *
 * @since 0.1.0
 */
export interface Entry {
  readonly value: string
  readonly generation: number
  readonly expiresAt: number
}

/**
 * The entry as stored text.
 *
 * @since 0.1.0
 */
export const encode = (entry: Entry): string =>
  JSON.stringify({ generation: entry.generation, value: entry.value, expiresAt: entry.expiresAt })

/**
 * The entry in `text`, or `undefined` when it is not one (garbage, another shape, a negative
 * or fractional generation): the stores report that as `Corrupt`.
 *
 * @since 0.1.0
 */
export const decode = (text: string): Entry | undefined => {
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
