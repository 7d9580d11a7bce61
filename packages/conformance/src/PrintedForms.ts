/**
 * Every way a program may print an error: its message, `String`, JSON and Node's `inspect`
 * (what a logger or a crash shows). A value that must never be printed is in none of them.
 */
import { inspect } from "node:util"
import type { Expect } from "./Expect.js"

/** The printed forms of an error. */
export const of = (error: unknown): ReadonlyArray<string> => [
  (error as { readonly message?: unknown }).message === undefined ? "" : String((error as { readonly message: unknown }).message),
  String(error),
  JSON.stringify(error) ?? "",
  inspect(error, { depth: null })
]

/** Checks that none of `values` is in any printed form of `error`. */
export const neverPrinted = (expect: Expect, error: unknown, values: ReadonlyArray<string>): void => {
  const forms = of(error)
  for (const value of values) {
    for (const printed of forms) expect(printed).not.toContain(value)
  }
}
