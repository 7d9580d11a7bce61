/**
 * What a bearer client says when a resource server refuses its token (401, RFC 6750 §3):
 * the fields of the `Expired` error, read from the Bearer challenge and cleaned (server
 * text may repeat the refused tokens), and the log lines of the recovery. Both Effect lines'
 * bearer clients use them.
 *
 * @since 0.1.0
 */
import * as BearerChallenge from "./BearerChallenge.js"
import * as ServerText from "./ServerText.js"

/**
 * The RFC 6750 §3 fields of a `WWW-Authenticate` Bearer challenge, for the error a user
 * sees: server text, so sanitised (capped, one line, no control characters, none of
 * `refusedTokens` in any encoding).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 * @since 0.1.0
 */
export const errorFields = (header: string | undefined, refusedTokens: ReadonlyArray<string>): BearerChallenge.ErrorFields => {
  const { error, errorDescription, errorUri } = BearerChallenge.errorFields(header)
  const serverText = (text: string) => ServerText.sanitize(text, refusedTokens)
  return {
    ...(error !== undefined ? { error: serverText(error) } : {}),
    ...(errorDescription !== undefined ? { errorDescription: serverText(errorDescription) } : {}),
    ...(errorUri !== undefined ? { errorUri: serverText(errorUri) } : {})
  }
}

/**
 * The `Expired` error's hint when the API refuses every fresh token, not just one.
 *
 * @since 0.1.0
 */
export const refusesFreshTokens =
  "It refused the previous freshly issued token too, so no new token is requested for it until the provider renews the current one: check that the client's scope, audience and account permissions cover this API."

/**
 * The log lines of the 401 path, at the levels the clients log them at.
 *
 * @since 0.1.0
 */
export const messages = {
  /** Info: a fresh token, and one replay. */
  replaying: "The API refused the token (401); replaying the request once with a fresh token",
  /** Warning: the fresh token was refused too. */
  refusedFresh:
    "The API refused a freshly issued token (401) too; giving up, and requesting no new token for this API until the provider renews this one",
  /** Debug: a 401 to the token refused when fresh, which the provider has not renewed yet. */
  stillRefused:
    "The API refused the token (401), as it did when the token was fresh; no new token is requested until the provider renews it",
  /** Warning: a stream body, not replayed; the token was replaced. */
  notReplayed:
    "The API refused the token (401); the token was replaced, but this request is not replayed because its body is a stream",
  /** Warning: a stream body, not replayed, to the token refused when fresh. */
  notReplayedStillRefused:
    "The API refused the token (401), as it did when the token was fresh; this request is not replayed because its body is a stream"
} as const
