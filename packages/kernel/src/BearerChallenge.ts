/**
 * Reading a `WWW-Authenticate` header (RFC 9110 §11.6.1) far enough to find a Bearer
 * challenge and its RFC 6750 §3 parameters (`error`, `error_description`, `error_uri`,
 * `scope`, ...), and to decide whether a 401 blames the token.
 *
 * @since 0.1.0
 */

/**
 * One challenge: the scheme (lower case) and its auth-params (names in lower case).
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-11.3
 * @since 0.1.0
 */
export interface Challenge {
  readonly scheme: string
  readonly parameters: Readonly<Record<string, string>>
}

const tokenCharacter = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/

/**
 * Parses a `WWW-Authenticate` value into its challenges. Forgiving: what it cannot read it
 * skips, since the result only decides whether a 401 is worth a fresh token and which
 * texts an error shows. A `token68` (e.g. Basic credentials) is skipped.
 *
 * @example
 * import { BearerChallenge } from "@effect-bearer/kernel"
 *
 * BearerChallenge.parse("Basic realm=\"a\", Bearer error=\"invalid_token\"")
 * // [{ scheme: "basic", parameters: { realm: "a" } }, { scheme: "bearer", parameters: { error: "invalid_token" } }]
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-11.6.1
 * @since 0.1.0
 */
export const parse = (header: string): ReadonlyArray<Challenge> => {
  const challenges: Array<{ scheme: string; parameters: Record<string, string> }> = []
  let index = 0
  const skip = (pattern: RegExp) => {
    while (index < header.length && pattern.test(header.charAt(index))) index++
  }
  const readToken = () => {
    const start = index
    while (index < header.length && tokenCharacter.test(header.charAt(index))) index++
    return header.slice(start, index)
  }
  const readQuoted = () => {
    index++ // opening quote
    let value = ""
    while (index < header.length && header.charAt(index) !== "\"") {
      if (header.charAt(index) === "\\") index++
      value += header.charAt(index)
      index++
    }
    index++ // closing quote
    return value
  }
  while (index < header.length) {
    skip(/[\s,]/)
    const name = readToken()
    if (name === "") {
      index++ // a character no rule accepts: step over it
      continue
    }
    skip(/\s/)
    if (header.charAt(index) === "=") {
      index++
      skip(/\s/)
      // `name=` followed by more `=` or nothing is a token68 (e.g. Basic credentials), not a parameter.
      if (header.charAt(index) === "=" || header.charAt(index) === "," || index >= header.length) {
        skip(/=/)
        continue
      }
      const value = header.charAt(index) === "\"" ? readQuoted() : readToken()
      const current = challenges[challenges.length - 1]
      if (current !== undefined) current.parameters[name.toLowerCase()] = value
    } else {
      challenges.push({ scheme: name.toLowerCase(), parameters: {} })
    }
  }
  return challenges
}

/**
 * The first Bearer challenge of a `WWW-Authenticate` value, if there is one.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 * @since 0.1.0
 */
export const bearer = (header: string | undefined): Challenge | undefined =>
  header === undefined ? undefined : parse(header).find((challenge) => challenge.scheme === "bearer")

/**
 * Whether a 401 says the bearer token is the problem, so that a fresh token may help: a
 * 401 without any challenge, or a Bearer challenge without an error code or with
 * `invalid_token`. A 401 asking for another scheme only, or a Bearer `invalid_request` /
 * `insufficient_scope`, is the API's own answer.
 *
 * @example
 * import { BearerChallenge } from "@effect-bearer/kernel"
 *
 * BearerChallenge.blamesToken("Bearer error=\"invalid_token\"") // true
 * BearerChallenge.blamesToken("Bearer error=\"insufficient_scope\"") // false
 *
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3.1
 * @since 0.1.0
 */
export const blamesToken = (header: string | undefined): boolean => {
  if (header === undefined || header.trim() === "") return true
  const challenge = bearer(header)
  if (challenge === undefined) return false
  const error = challenge.parameters["error"]
  return error === undefined || error === "invalid_token"
}

/**
 * The RFC 6750 §3 error fields of the Bearer challenge, as the server wrote them (server
 * text: sanitise before showing it), each present only when the challenge has it.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 * @since 0.1.0
 */
export interface ErrorFields {
  readonly error?: string
  readonly errorDescription?: string
  readonly errorUri?: string
}

/**
 * Reads {@link ErrorFields} from a `WWW-Authenticate` value; empty without a Bearer challenge.
 *
 * @example
 * import { BearerChallenge } from "@effect-bearer/kernel"
 *
 * BearerChallenge.errorFields("Bearer error=\"invalid_token\", error_description=\"expired\"")
 * // { error: "invalid_token", errorDescription: "expired" }
 *
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 * @since 0.1.0
 */
export const errorFields = (header: string | undefined): ErrorFields => {
  const challenge = bearer(header)
  if (challenge === undefined) return {}
  const { error, error_description, error_uri } = challenge.parameters
  return {
    ...(error !== undefined ? { error } : {}),
    ...(error_description !== undefined ? { errorDescription: error_description } : {}),
    ...(error_uri !== undefined ? { errorUri: error_uri } : {})
  }
}
