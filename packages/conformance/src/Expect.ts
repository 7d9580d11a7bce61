/**
 * The assertions the shared cases use: a subset of vitest's `expect` (both lines' runners pass
 * their own), so that this package imports no test runner.
 */

/** `expect(actual)` and the matchers the cases use. */
export type Expect = (actual: unknown) => {
  toBe(expected: unknown): void
  toEqual(expected: unknown): void
  toMatch(expected: RegExp): void
  toMatchObject(expected: object): void
  toContain(expected: unknown): void
  toBeLessThan(expected: number): void
  toBeGreaterThan(expected: number): void
  toBeGreaterThanOrEqual(expected: number): void
  toBeUndefined(): void
  toBeDefined(): void
  readonly not: { toBe(expected: unknown): void; toBeUndefined(): void; toContain(expected: unknown): void }
}
