/**
 * Tokens a bearer `Authorization` header cannot carry unchanged, one per class of character,
 * and the kind each detail must name: both lines' token-syntax fault suites iterate them
 * (Effect 3: `packages/core/test/faults/TokenSyntax.test.ts`). None of them may be quoted
 * by an error or anything printed from it: `canary` is the part to look for.
 */

/** What no printed form may contain. */
export const canary = "canary-syntax-token-4d1f"

/** One row: a name, the token, and the kind of character its detail names. */
export interface Case {
  readonly name: string
  readonly token: string
  readonly kind: string
}

export const cases: ReadonlyArray<Case> = [
  { name: "a CR LF (header injection)", token: `${canary}\r\nX-Injected: 1`, kind: "a line break" },
  { name: "a NUL", token: `${canary}\u0000`, kind: "a control character" },
  { name: "a space", token: `${canary} more`, kind: "a space" },
  { name: "a non-ASCII character", token: `${canary}é`, kind: "a non-ASCII character" }
]

/** A refresh token with a CR LF, and the start of the detail it must get. */
export const badRefreshToken = { token: `${canary}\r\n`, detail: /^refresh_token has a line break at character 25 of 26;/ }
