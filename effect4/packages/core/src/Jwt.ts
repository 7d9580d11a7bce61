/**
 * The claims of a JWT access token (RFC 7519), read without verifying it: the client needs
 * only `exp` and `iat`. The decoding is the kernel's `Jwt`; this module gives it `Option`
 * and `Duration`.
 *
 * @since 4.0.0
 */
import * as KernelJwt from "@effect-bearer/kernel/Jwt"
import { Duration, Option } from "effect"

/**
 * The claims of a JWT (`exp`, `iat` in NumericDate seconds).
 *
 * @see https://www.rfc-editor.org/rfc/rfc7519#section-4.1
 * @since 4.0.0
 * @category models
 */
export type Claims = KernelJwt.Claims

/**
 * The claims of a compact JWS, or `None` for an opaque token.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7515#section-7.1
 * @since 4.0.0
 * @category decoding
 */
export const decodeClaims = (token: string): Option.Option<Claims> =>
  Option.fromNullishOr(KernelJwt.decodeClaims(token))

/**
 * The lifetime the JWT was issued with (`exp - iat`, else `exp - now`); `None` without `exp`
 * or once expired.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7519#section-4.1.4
 * @since 4.0.0
 * @category decoding
 */
export const lifetime = (claims: Claims, now: number): Option.Option<Duration.Duration> =>
  Option.map(Option.fromNullishOr(KernelJwt.lifetimeMillis(claims, now)), Duration.millis)
