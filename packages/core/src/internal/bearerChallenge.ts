/**
 * Reading `WWW-Authenticate` (RFC 9110 §11.6.1) far enough to find a Bearer challenge
 * and its RFC 6750 §3 parameters (`error`, `error_description`, ...).
 */
import type { Redacted } from "effect"
import * as TokenError from "../TokenError.js"

/** One challenge: the scheme (lower case) and its auth-params (names in lower case). */
export interface Challenge {
  readonly scheme: string
  readonly parameters: Readonly<Record<string, string>>
}

const tokenCharacter = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/

/**
 * Parses a `WWW-Authenticate` value into its challenges. Forgiving: what it cannot read
 * it skips, since the result only decides whether a 401 is worth a fresh token.
 * @internal
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
 * Whether a 401 says the bearer token is the problem, so that a fresh token may help:
 * a 401 without any challenge, or a Bearer challenge without an error code or with
 * `invalid_token` (RFC 6750 §3.1). A 401 asking for another scheme, or a Bearer
 * `invalid_request` / `insufficient_scope`, is the API's own answer.
 * @internal
 */
export const blamesToken = (header: string | undefined): boolean => {
  if (header === undefined || header.trim() === "") return true
  const bearer = parse(header).find((challenge) => challenge.scheme === "bearer")
  if (bearer === undefined) return false
  const error = bearer.parameters["error"]
  return error === undefined || error === "invalid_token"
}

/**
 * The RFC 6750 §3 fields of the Bearer challenge, for the error a user sees: server text,
 * so sanitised (capped, no control characters, none of `secrets`, e.g. the refused token).
 * @internal
 */
export const bearerError = (
  header: string | undefined,
  secrets: ReadonlyArray<Redacted.Redacted<string>> = []
): { readonly error?: string; readonly errorDescription?: string; readonly errorUri?: string } => {
  if (header === undefined) return {}
  const bearer = parse(header).find((challenge) => challenge.scheme === "bearer")
  if (bearer === undefined) return {}
  const { error, error_description, error_uri } = bearer.parameters
  const serverText = (text: string) => TokenError.sanitizeServerText(text, secrets)
  return {
    ...(error !== undefined ? { error: serverText(error) } : {}),
    ...(error_description !== undefined ? { errorDescription: serverText(error_description) } : {}),
    ...(error_uri !== undefined ? { errorUri: serverText(error_uri) } : {})
  }
}
