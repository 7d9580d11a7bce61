/**
 * Reading the claims of a JWT access token (RFC 7519) without verifying it: the
 * client only needs `exp` and `iat` to know when to fetch the next token. Verifying
 * the signature is the resource server's job.
 *
 * @since 0.1.0
 */
import * as KernelJwt from "@effect-bearer/kernel/Jwt"
import { Duration, Option } from "effect"

/**
 * The claims of a JWT: `exp` and `iat` are NumericDate seconds (RFC 7519 §2).
 *
 * @see https://www.rfc-editor.org/rfc/rfc7519#section-4.1
 * @since 0.1.0
 * @category models
 */
export type Claims = KernelJwt.Claims

/**
 * The claims of a compact JWS (`header.payload.signature`), or `None` when the value
 * is not a JWT (opaque tokens such as Bitquery's `ory_at_…`).
 *
 * @example
 * import { Jwt } from "@effect-bearer/core"
 *
 * Jwt.decodeClaims("eyJhbGciOiJub25lIn0.eyJleHAiOjE3MDAwMDAwMDB9.") // Some({ exp: 1700000000 })
 *
 * @see https://www.rfc-editor.org/rfc/rfc7515#section-7.1
 * @since 0.1.0
 * @category decoding
 */
export const decodeClaims = (token: string): Option.Option<Claims> => Option.fromNullable(KernelJwt.decodeClaims(token))

/**
 * The lifetime a JWT was issued with, from its `exp` claim.
 *
 * With `iat` present the lifetime is `exp - iat`, which does not depend on the local
 * clock agreeing with the server's; without it, `exp - now`. `None` without `exp` or
 * when the token is already expired.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7519#section-4.1.4
 * @since 0.1.0
 * @category decoding
 */
export const lifetime = (claims: Claims, now: number): Option.Option<Duration.Duration> =>
  Option.map(Option.fromNullable(KernelJwt.lifetimeMillis(claims, now)), Duration.millis)
