/**
 * Reading the claims of a JWT access token (RFC 7519) without verifying it: the
 * client only needs `exp` and `iat` to know when to fetch the next token. Verifying
 * the signature is the resource server's job.
 *
 * @since 0.1.0
 */
import { Duration, Either, Encoding, Option } from "effect"

/**
 * The claims of a JWT: `exp` and `iat` are NumericDate seconds (RFC 7519 §2).
 *
 * @since 0.1.0
 * @category models
 */
export interface Claims {
  readonly exp?: number
  readonly iat?: number
  readonly [claim: string]: unknown
}

/**
 * The claims of a compact JWS (`header.payload.signature`), or `None` when the value
 * is not a JWT (opaque tokens such as Bitquery's `ory_at_…`).
 *
 * @example
 * import { Jwt } from "@effect-bearer/core"
 *
 * Jwt.decodeClaims("eyJhbGciOiJub25lIn0.eyJleHAiOjE3MDAwMDAwMDB9.") // Some({ exp: 1700000000 })
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodeClaims = (token: string): Option.Option<Claims> => {
  const parts = token.split(".")
  if (parts.length !== 3 || parts[1] === undefined || parts[1] === "") return Option.none()
  return Either.match(Encoding.decodeBase64UrlString(parts[1]), {
    onLeft: () => Option.none(),
    onRight: (json) => {
      try {
        const claims: unknown = JSON.parse(json)
        if (typeof claims !== "object" || claims === null || Array.isArray(claims)) return Option.none()
        const { exp, iat } = claims as Record<string, unknown>
        return Option.some({
          ...claims,
          ...(typeof exp === "number" && Number.isFinite(exp) ? { exp } : { exp: undefined }),
          ...(typeof iat === "number" && Number.isFinite(iat) ? { iat } : { iat: undefined })
        } as Claims)
      } catch {
        return Option.none()
      }
    }
  })
}

/**
 * The lifetime a JWT was issued with, from its `exp` claim.
 *
 * With `iat` present the lifetime is `exp - iat`, which does not depend on the local
 * clock agreeing with the server's; without it, `exp - now`. `None` without `exp` or
 * when the token is already expired.
 *
 * @since 0.1.0
 * @category decoding
 */
export const lifetime = (claims: Claims, now: number): Option.Option<Duration.Duration> => {
  if (claims.exp === undefined) return Option.none()
  const millis = claims.iat !== undefined && claims.exp > claims.iat
    ? (claims.exp - claims.iat) * 1000
    : claims.exp * 1000 - now
  return millis > 0 ? Option.some(Duration.millis(millis)) : Option.none()
}
