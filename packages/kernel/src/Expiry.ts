/**
 * The expiry arithmetic of a cached access token: how long before its expiry it stops being
 * handed out (the margin and its floor), the shortest lifetime worth accepting, and when the
 * background refresh wakes. All times are epoch milliseconds and all durations milliseconds,
 * read from the caller's clock; nothing here reads a clock or draws a random number.
 *
 * @since 0.1.0
 */

/**
 * The smallest margin before expiry, in milliseconds: servers round `exp` down to whole
 * seconds (oidc-provider sets `exp = floor(iat) + ttl` but answers `expires_in = ttl`) and
 * clocks drift, so a token is never handed out in its last second, whatever margin is asked.
 *
 * @since 0.1.0
 */
export const minimumMargin = 1_000

/**
 * The largest default margin, in milliseconds: an hour-long token stops being handed out a
 * minute before its expiry, not five minutes (which breaks short-lived providers elsewhere).
 *
 * @since 0.1.0
 */
export const maximumDefaultMargin = 60_000

/**
 * The shortest lifetime accepted from a token endpoint, in milliseconds: twice
 * {@link minimumMargin}, so that at least half of it is usable.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 * @since 0.1.0
 */
export const minimumLifetime = 2 * minimumMargin

/**
 * The longest single sleep, in milliseconds (a day): timers treat delays over 2^31-1 ms
 * (24.8 days) as overflowing, so a 30-day token's refresh is reached a day at a time.
 *
 * @since 0.1.0
 */
export const longestSleep = 86_400_000

/**
 * The default point of the lifetime at which the background refresh wakes (80 %).
 *
 * @since 0.1.0
 */
export const defaultRefreshAt = 0.8

/**
 * The default jitter added to {@link defaultRefreshAt} (up to 10 % more), so that clients
 * started together do not all renew at once.
 *
 * @since 0.1.0
 */
export const defaultRefreshJitter = 0.1

/**
 * The latest refresh point, as a fraction of the usable time (lifetime minus margin): a
 * refresh always has a tenth of the usable time left to finish before readers need it.
 *
 * @since 0.1.0
 */
export const latestRefreshFraction = 0.9

/**
 * The default margin for a token of `lifetime` milliseconds: a thirtieth of it, at least
 * {@link minimumMargin}, at most {@link maximumDefaultMargin} (10 s for a 300 s token, 60 s
 * for an hour-long one, 1 s for a 5 s one).
 *
 * @since 0.1.0
 */
export const defaultMargin = (lifetime: number): number =>
  Math.min(maximumDefaultMargin, Math.max(minimumMargin, Math.floor(lifetime / 30)))

/**
 * The margin actually kept for a requested one: never less than {@link minimumMargin}.
 *
 * @since 0.1.0
 */
export const margin = (requested: number): number => Math.max(minimumMargin, requested)

/**
 * The instant until which a token expiring at `expiresAt` may be handed out: its expiry
 * minus the margin (with its floor). A token is usable at `now` when `now < usableUntil`.
 *
 * @since 0.1.0
 */
export const usableUntil = (expiresAt: number, requestedMargin: number): number =>
  expiresAt - margin(requestedMargin)

/**
 * Whether a lifetime (milliseconds) is long enough to accept ({@link minimumLifetime}).
 *
 * @since 0.1.0
 */
export const isLongEnough = (lifetime: number): boolean => lifetime >= minimumLifetime

/**
 * Whether something that expires at `expiresAt` (`undefined`: never) is still alive at `now`.
 *
 * @since 0.1.0
 */
export const isAlive = (expiresAt: number | undefined, now: number): boolean => expiresAt === undefined || now < expiresAt

/**
 * The time left before `expiresAt` at `now`, in milliseconds (zero once expired).
 *
 * @since 0.1.0
 */
export const timeLeft = (expiresAt: number, now: number): number => Math.max(0, expiresAt - now)

/**
 * The fraction of the lifetime at which the background refresh wakes: `at` plus `jitter`
 * times `uniform`, a number drawn in [0, 1) by the caller's random source.
 *
 * @since 0.1.0
 */
export const refreshFraction = (at: number, jitter: number, uniform: number): number => at + jitter * uniform

/**
 * When the background refresh of a token wakes: at `fraction` of its lifetime, but never
 * later than {@link latestRefreshFraction} of the time it may be served; `undefined` for a
 * token that is never usable (its lifetime within the margin), whose renewal would only spin.
 *
 * @since 0.1.0
 */
export const refreshPoint = (
  token: { readonly issuedAt: number; readonly expiresAt: number },
  usableUntil: number,
  fraction: number
): number | undefined => {
  const usableFor = usableUntil - token.issuedAt
  if (!(usableFor > 0)) return undefined
  return token.issuedAt + Math.min((token.expiresAt - token.issuedAt) * fraction, usableFor * latestRefreshFraction)
}

/**
 * The next sleep towards `instant` from `now`, in whole milliseconds (rounded up, so that a
 * fractional instant is never woken just short of) and at most {@link longestSleep};
 * zero or less means the instant is reached.
 *
 * @since 0.1.0
 */
export const nextSleep = (instant: number, now: number): number => Math.min(Math.ceil(instant - now), longestSleep)
