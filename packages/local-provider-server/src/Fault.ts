/**
 * The faults the local provider server injects on an endpoint, for tests of how a client
 * meets a failing or misbehaving authorization server: statuses, slow answers, broken
 * bodies, odd tokens. Those without a time are the same for every Effect line.
 *
 * @since 0.1.0
 */

/**
 * A fault the server injects on an endpoint, its times in `Time` (milliseconds here; an
 * Effect line's public type takes its `Duration`).
 *
 * - `Status`: answer with that status and an RFC 6749 §5.2 body (and `Retry-After` when
 *   given): 5xx, 429, or any status such as 415 or 404.
 * - `Slow`: sleep this long on the server's clock, then answer normally.
 * - `Html`, `TruncatedJson`, `EmptyBody`: a 200 whose body is an HTML page, cut JSON, or nothing.
 * - `MissingAccessToken`: a 200 JSON body without its essential field (`access_token`;
 *   `token_endpoint` in a discovery document).
 * - `UnsupportedTokenType`: a token response with `token_type: "mac"`.
 * - `OpaqueToken`: a valid token that is not a JWT, with no `expires_in`: the client
 *   must fall back to the provider's documented lifetime.
 * - `TopLevelAccessToken`: a UP42 project token response with the token only at the
 *   top-level `accessToken`, not at `data.accessToken` (the older shape UP42's Postman
 *   guide shows beside it).
 *
 * @since 0.1.0
 * @category models
 */
export type Fault<Time = number> =
  | { readonly _tag: "Status"; readonly status: number; readonly retryAfter?: Time | undefined }
  | { readonly _tag: "Slow"; readonly delay: Time }
  | { readonly _tag: "Html" }
  | { readonly _tag: "TruncatedJson" }
  | { readonly _tag: "EmptyBody" }
  | { readonly _tag: "MissingAccessToken" }
  | { readonly _tag: "UnsupportedTokenType" }
  | { readonly _tag: "OpaqueToken" }
  | { readonly _tag: "TopLevelAccessToken" }

/**
 * A 5xx (default 503) with an RFC 6749 §5.2 `server_error`/`temporarily_unavailable` body.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 * @since 0.1.0
 * @category constructors
 */
export const serverError = (status = 503): Fault<never> => ({ _tag: "Status", status })

/**
 * Any status with an RFC 6749 §5.2 body, e.g. `status(415)`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 * @since 0.1.0
 * @category constructors
 */
export const status = (code: number): Fault<never> => ({ _tag: "Status", status: code })

/**
 * A 200 with an HTML page.
 *
 * @since 0.1.0
 * @category constructors
 */
export const html: Fault<never> = { _tag: "Html" }

/**
 * A 200 with JSON cut in the middle.
 *
 * @since 0.1.0
 * @category constructors
 */
export const truncatedJson: Fault<never> = { _tag: "TruncatedJson" }

/**
 * A 200 with an empty body.
 *
 * @since 0.1.0
 * @category constructors
 */
export const emptyBody: Fault<never> = { _tag: "EmptyBody" }

/**
 * A 200 JSON body without `access_token` (or, for discovery, without `token_endpoint`).
 *
 * @since 0.1.0
 * @category constructors
 */
export const missingAccessToken: Fault<never> = { _tag: "MissingAccessToken" }

/**
 * A token response whose `token_type` is `mac`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const unsupportedTokenType: Fault<never> = { _tag: "UnsupportedTokenType" }

/**
 * A valid opaque token with no `expires_in`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const opaqueToken: Fault<never> = { _tag: "OpaqueToken" }

/**
 * A UP42 project token response with the token only at the top-level `accessToken`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const topLevelAccessToken: Fault<never> = { _tag: "TopLevelAccessToken" }

/**
 * A fault with its times read by `toMillis`: an Effect line's `Fault` as this server takes it.
 *
 * @since 0.1.0
 * @category conversions
 */
export const inMillis = <Time>(fault: Fault<Time>, toMillis: (time: Time) => number): Fault => {
  switch (fault._tag) {
    case "Status":
      return { _tag: "Status", status: fault.status, retryAfter: fault.retryAfter === undefined ? undefined : toMillis(fault.retryAfter) }
    case "Slow":
      return { _tag: "Slow", delay: toMillis(fault.delay) }
    default:
      return fault
  }
}
