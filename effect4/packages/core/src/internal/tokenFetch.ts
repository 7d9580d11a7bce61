/**
 * The provider's fetch step: one request to the source, retried on a schedule but never past a
 * deadline. It knows nothing of the cache: a shared `TokenStore` wraps this step alone.
 */
import { Duration, Effect } from "effect"
import type { Option, Schedule } from "effect"
import type * as AccessToken from "../AccessToken.js"
import type * as TokenError from "../TokenError.js"
import * as TokenRetry from "../TokenRetry.js"
import type * as TokenSource from "../TokenSource.js"

/** What one fetch is asked. */
export interface Request {
  /** The token being replaced; its live, unspent refresh token is offered first. */
  readonly previous: Option.Option<AccessToken.AccessToken>
  readonly retry: Schedule.Schedule<unknown, TokenError.TokenError>
  /** No wait starts that would end after this instant (epoch milliseconds). */
  readonly deadline: number
}

/** The fetch step. */
export type Fetch = (request: Request) => Effect.Effect<AccessToken.AccessToken, TokenError.TokenError>

/** The fetch step over `source`, inside the provider's `TokenProvider.acquire` span. */
export const make = (source: TokenSource.TokenSource): Fetch => (request) =>
  TokenRetry.retryUntil(source.fetch(request.previous), request.retry, request.deadline).pipe(
    Effect.tap((token) =>
      Effect.annotateCurrentSpan({
        "oauth.lifetime_source": token.lifetimeSource,
        "oauth.expires_in_seconds": Math.round(Duration.toSeconds(token.lifetime))
      })
    )
  )
