/**
 * The content rules of a credentials file, read from a provider's record: which JSON
 * fields it holds, what a valid one looks like, and what is wrong with an invalid one.
 * Reading the file (permissions, size, the open-once dance) is the platform's business;
 * this module only judges the parsed JSON object.
 *
 * @since 0.1.0
 */
import type { CredentialsFileFormat, CredentialsShape } from "./Provider.js"

/**
 * What is wrong with a field of a credentials file. It names the field, never its value.
 *
 * @since 0.1.0
 */
export interface FieldProblem {
  readonly reason: "MissingField" | "EmptyField" | "NotAString" | "Ambiguous"
  readonly field: string
}

/**
 * The outcome of {@link decode}: the shape found and its values by the option they fill,
 * or the first problem.
 *
 * @since 0.1.0
 */
export type Result<Secret> =
  | {
    readonly _tag: "Success"
    readonly shape: CredentialsShape
    readonly values: Readonly<Record<string, string | Secret>>
  }
  | { readonly _tag: "Failure"; readonly problem: FieldProblem }

/**
 * The shape of the file with placeholders instead of values, for messages, e.g.
 * `{"client_id": "<client id>", "client_secret": "<client secret>"}`; several shapes are
 * joined with `or`.
 *
 * @since 0.1.0
 */
export const expected = (format: CredentialsFileFormat): string =>
  format.shapes
    .map((shape) => `{${shape.fields.map((field) => `"${field.field}": "${field.placeholder}"`).join(", ")}}`)
    .join(" or ")

/**
 * Judges a parsed credentials file: the shape whose fields it has (a file with fields of
 * two shapes is `Ambiguous`, naming one field of each in alphabetical order; a file with
 * none is asked for the first shape), each field a non-blank string. Secret values go
 * through `protect` (e.g. `Redacted.make`) as they are read, so they are never returned bare.
 *
 * @since 0.1.0
 */
export const decode = <Secret>(
  format: CredentialsFileFormat,
  json: Readonly<Record<string, unknown>>,
  protect: (secret: string) => Secret
): Result<Secret> => {
  const present = format.shapes.filter((shape) => shape.fields.some((field) => json[field.field] !== undefined))
  if (present.length > 1) {
    const fields = present.map((shape) => shape.fields[0]?.field ?? "?").sort()
    return failure("Ambiguous", fields.join(" and "))
  }
  const shape = present[0] ?? format.shapes[0]
  const values: Record<string, string | Secret> = {}
  for (const field of shape.fields) {
    const value = json[field.field]
    if (value === undefined || value === null) return failure("MissingField", field.field)
    if (typeof value !== "string") return failure("NotAString", field.field)
    if (value.trim() === "") return failure("EmptyField", field.field)
    values[field.fills] = field.secret ? protect(value) : value
  }
  return { _tag: "Success", shape, values }
}

const failure = (reason: FieldProblem["reason"], field: string): Result<never> => ({
  _tag: "Failure",
  problem: { reason, field }
})
