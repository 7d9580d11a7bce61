/**
 * An access token as this library holds it: the value `Redacted`, the token type
 * normalised, and its expiry as an instant taken from `Clock`.
 *
 * @since 0.1.0
 */
import * as Expiry from "@effect-bearer/kernel/Expiry"
import { Data, Duration, Option, Redacted } from "effect"

/**
 * A refresh token (RFC 6749 §1.5) and, when the server said so, when it expires.
 *
 * @since 0.1.0
 * @category models
 */
export class RefreshToken extends Data.Class<{
  readonly value: Redacted.Redacted<string>
  /** Epoch milliseconds; `None` when the server gave no lifetime (e.g. no `refresh_expires_in`). */
  readonly expiresAt: Option.Option<number>
}> {}

/**
 * How the token's lifetime was learned, from the most to the least reliable.
 *
 * @since 0.1.0
 * @category models
 */
export type LifetimeSource = "expires_in" | "jwt" | "default"

/**
 * A bearer access token.
 *
 * Times are epoch milliseconds read from `Clock` (so `TestClock` controls them).
 * `issuedAt` is taken when the request was sent, so the network time counts against
 * the lifetime, never in the token's favour.
 *
 * @since 0.1.0
 * @category models
 */
export class AccessToken extends Data.Class<{
  readonly value: Redacted.Redacted<string>
  /** Always `"Bearer"`: servers send `bearer` or `Bearer` (RFC 6750 §4 is case-insensitive). */
  readonly tokenType: "Bearer"
  readonly issuedAt: number
  readonly expiresAt: number
  readonly lifetimeSource: LifetimeSource
  /** The granted scope (RFC 6749 §3.3), when the server returned one. */
  readonly scope: Option.Option<string>
  readonly refreshToken: Option.Option<RefreshToken>
}> {
  /** The whole lifetime the token was issued with. */
  get lifetime(): Duration.Duration {
    return Duration.millis(this.expiresAt - this.issuedAt)
  }
}

/**
 * A token that is valid for `lifetime` from `now`, for static tokens and tests.
 *
 * @example
 * import { Duration, Redacted } from "effect"
 * import { AccessToken } from "@effect-bearer/core"
 *
 * const token = AccessToken.make({ value: Redacted.make("abc"), issuedAt: 0, lifetime: Duration.hours(1) })
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: {
  readonly value: Redacted.Redacted<string>
  readonly issuedAt: number
  readonly lifetime: Duration.DurationInput
  readonly lifetimeSource?: LifetimeSource | undefined
  readonly scope?: string | undefined
  readonly refreshToken?: RefreshToken | undefined
}): AccessToken =>
  new AccessToken({
    value: options.value,
    tokenType: "Bearer",
    issuedAt: options.issuedAt,
    expiresAt: options.issuedAt + Duration.toMillis(Duration.decode(options.lifetime)),
    lifetimeSource: options.lifetimeSource ?? "default",
    scope: Option.fromNullable(options.scope),
    refreshToken: Option.fromNullable(options.refreshToken)
  })

/**
 * The smallest margin before expiry: servers round `exp` down to whole seconds
 * (oidc-provider sets `exp = floor(iat) + ttl` but answers `expires_in = ttl`) and
 * clocks drift, so a token is never handed out in its last second.
 *
 * @since 0.1.0
 * @category expiry
 */
export const minimumExpiryMargin: Duration.Duration = Duration.millis(Expiry.minimumMargin)

/**
 * The shortest lifetime accepted from a token endpoint: twice {@link minimumExpiryMargin},
 * so at least half of it is usable. Shorter lifetimes (e.g. `expires_in: 0.0001`) are
 * refused as `InvalidTokenResponse`.
 *
 * @since 0.1.0
 * @category expiry
 */
export const minimumLifetime: Duration.Duration = Duration.millis(Expiry.minimumLifetime)

/**
 * The safety margin before a token's expiry after which it is no longer handed out.
 * It scales with the lifetime (1/30 of it, at least {@link minimumExpiryMargin}, at
 * most 60 s): 10 s for a 300 s UP42 token, 60 s for an hour-long one, 1 s for a 5 s one.
 *
 * @since 0.1.0
 * @category expiry
 */
export const defaultExpiryMargin = (lifetime: Duration.Duration): Duration.Duration =>
  Duration.millis(Expiry.defaultMargin(Duration.toMillis(lifetime)))

/**
 * Until when the token may be handed out: its expiry minus `margin`, never less than
 * {@link minimumExpiryMargin} whatever `margin` says (epoch milliseconds).
 *
 * @since 0.1.0
 * @category expiry
 */
export const usableUntil = (self: AccessToken, margin: Duration.Duration): number =>
  Expiry.usableUntil(self.expiresAt, Duration.toMillis(margin))

/**
 * Whether the token may still be handed out at `now`, given the margin before expiry
 * (never less than {@link minimumExpiryMargin}, as `TokenProvider` keeps it).
 *
 * @since 0.1.0
 * @category expiry
 */
export const isUsable = (self: AccessToken, now: number, margin: Duration.Duration): boolean =>
  now < usableUntil(self, margin)

/**
 * Whether the token has a refresh token that has not expired at `now`.
 *
 * @since 0.1.0
 * @category expiry
 */
export const refreshTokenAt = (self: AccessToken, now: number): Option.Option<RefreshToken> =>
  Option.filter(self.refreshToken, (refresh) => Expiry.isAlive(Option.getOrUndefined(refresh.expiresAt), now))

/**
 * The time left before the token expires at `now` (zero when expired).
 *
 * @since 0.1.0
 * @category expiry
 */
export const timeLeft = (self: AccessToken, now: number): Duration.Duration =>
  Duration.millis(Expiry.timeLeft(self.expiresAt, now))

/**
 * Whether two tokens carry the same value (a server may hand the same token out again,
 * and a static token is always the same).
 *
 * @since 0.1.0
 * @category equivalence
 */
export const sameValue = (self: AccessToken, that: AccessToken): boolean =>
  self === that || Redacted.value(self.value) === Redacted.value(that.value)
