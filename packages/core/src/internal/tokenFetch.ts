/**
 * The fetch step of the token provider: one token request to the source, retried on a
 * schedule but never past a deadline, traced and logged. It knows nothing of the provider's
 * state or of who waits for it: the provider's single flight decides when it runs and stores
 * what it returns, so a shared `TokenStore` (read, lock, write) can wrap this step alone.
 */
import { Duration, Effect } from "effect"
import type { Option, Schedule } from "effect"
import type * as AccessToken from "../AccessToken.js"
import type * as TokenError from "../TokenError.js"
import * as TokenRetry from "../TokenRetry.js"
import type * as TokenSource from "../TokenSource.js"

/** What one fetch is asked: the token it replaces and how long and how often it may try. */
export interface Request {
  /** The token being replaced; its refresh token, when alive and unspent, is offered first. */
  readonly previous: Option.Option<AccessToken.AccessToken>
  /** Which failures are tried again, and after which waits. */
  readonly retry: Schedule.Schedule<unknown, TokenError.TokenError>
  /** No wait starts that would end after this instant (epoch milliseconds, from `Clock`). */
  readonly deadline: number
}

/** The fetch step: a new token for `request`, or the error of its last attempt. */
export type Fetch = (request: Request) => Effect.Effect<AccessToken.AccessToken, TokenError.TokenError>

/** The fetch step over `source`; it runs inside the provider's `TokenProvider.acquire` span. */
export const make = (source: TokenSource.TokenSource): Fetch => (request) =>
  TokenRetry.retryUntil(source.fetch(request.previous), request.retry, request.deadline).pipe(
    Effect.tap((token) =>
      Effect.annotateCurrentSpan({
        "oauth.lifetime_source": token.lifetimeSource,
        "oauth.expires_in_seconds": Math.round(Duration.toSeconds(token.lifetime))
      })
    )
  )
