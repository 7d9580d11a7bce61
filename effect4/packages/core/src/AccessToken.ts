/**
 * An access token as the library holds it: the value `Redacted`, the type normalised to
 * `Bearer`, its instants from `Clock`. The expiry math is the kernel's `Expiry`.
 *
 * @since 4.0.0
 */
import * as Expiry from "@effect-bearer/kernel/Expiry"
import { Data, Duration, Option, Redacted } from "effect"

/**
 * A refresh token (RFC 6749 §1.5) and its expiry when the server gave one.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-1.5
 * @since 4.0.0
 * @category models
 */
export class RefreshToken extends Data.Class<{
  readonly value: Redacted.Redacted<string>
  /** Epoch milliseconds; `None` without `refresh_expires_in`. */
  readonly expiresAt: Option.Option<number>
}> {}

/**
 * Where the lifetime came from, most reliable first.
 *
 * @since 4.0.0
 * @category models
 */
export type LifetimeSource = "expires_in" | "jwt" | "default"

/**
 * A bearer access token; `issuedAt` is when the request was sent, so network time counts
 * against the lifetime.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6750
 * @since 4.0.0
 * @category models
 */
export class AccessToken extends Data.Class<{
  readonly value: Redacted.Redacted<string>
  readonly tokenType: "Bearer"
  readonly issuedAt: number
  readonly expiresAt: number
  readonly lifetimeSource: LifetimeSource
  /** The granted scope (RFC 6749 §3.3). */
  readonly scope: Option.Option<string>
  readonly refreshToken: Option.Option<RefreshToken>
}> {
  /** The whole lifetime the token was issued with. */
  get lifetime(): Duration.Duration {
    return Duration.millis(this.expiresAt - this.issuedAt)
  }
}

/**
 * A token valid for `lifetime` from `issuedAt` (static tokens, tests).
 *
 * @since 4.0.0
 * @category constructors
 */
export const make = (options: {
  readonly value: Redacted.Redacted<string>
  readonly issuedAt: number
  readonly lifetime: Duration.Input
  readonly lifetimeSource?: LifetimeSource | undefined
  readonly scope?: string | undefined
  readonly refreshToken?: RefreshToken | undefined
}): AccessToken =>
  new AccessToken({
    value: options.value,
    tokenType: "Bearer",
    issuedAt: options.issuedAt,
    expiresAt: options.issuedAt + Duration.toMillis(options.lifetime),
    lifetimeSource: options.lifetimeSource ?? "default",
    scope: Option.fromNullishOr(options.scope),
    refreshToken: Option.fromNullishOr(options.refreshToken)
  })

/**
 * The smallest margin before expiry (1 s): a token is never handed out in its last second.
 *
 * @since 4.0.0
 * @category expiry
 */
export const minimumExpiryMargin: Duration.Duration = Duration.millis(Expiry.minimumMargin)

/**
 * The shortest lifetime accepted from a token endpoint (twice the minimum margin).
 *
 * @since 4.0.0
 * @category expiry
 */
export const minimumLifetime: Duration.Duration = Duration.millis(Expiry.minimumLifetime)

/**
 * The default margin: lifetime / 30, at least the minimum, at most 60 s.
 *
 * @since 4.0.0
 * @category expiry
 */
export const defaultExpiryMargin = (lifetime: Duration.Duration): Duration.Duration =>
  Duration.millis(Expiry.defaultMargin(Duration.toMillis(lifetime)))

/**
 * Until when the token may be handed out (epoch milliseconds).
 *
 * @since 4.0.0
 * @category expiry
 */
export const usableUntil = (self: AccessToken, margin: Duration.Duration): number =>
  Expiry.usableUntil(self.expiresAt, Duration.toMillis(margin))

/**
 * Whether the token may be handed out at `now`.
 *
 * @since 4.0.0
 * @category expiry
 */
export const isUsable = (self: AccessToken, now: number, margin: Duration.Duration): boolean =>
  now < usableUntil(self, margin)

/**
 * The token's refresh token while it is alive at `now`.
 *
 * @since 4.0.0
 * @category expiry
 */
export const refreshTokenAt = (self: AccessToken, now: number): Option.Option<RefreshToken> =>
  Option.filter(self.refreshToken, (refresh) => Expiry.isAlive(Option.getOrUndefined(refresh.expiresAt), now))

/**
 * The time left before expiry at `now` (zero once expired).
 *
 * @since 4.0.0
 * @category expiry
 */
export const timeLeft = (self: AccessToken, now: number): Duration.Duration =>
  Duration.millis(Expiry.timeLeft(self.expiresAt, now))

/**
 * Whether two tokens carry the same value.
 *
 * @since 4.0.0
 * @category equivalence
 */
export const sameValue = (self: AccessToken, that: AccessToken): boolean =>
  self === that || Redacted.value(self.value) === Redacted.value(that.value)
