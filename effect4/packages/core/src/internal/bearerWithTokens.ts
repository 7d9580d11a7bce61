/**
 * The bearer client as a combinator that returns an `HttpClient` rather than an effect:
 * the client `make` builds, its options checked once when the combinator is applied (the
 * check is synchronous and pure). Options that cannot work give a client whose every
 * request fails with the check's error as the `cause`, nothing sent: `InvalidUrlError`
 * for `WrongHost`, as a token failure is, `EncodeError` for `InvalidConfiguration`.
 */
import { Effect, Result } from "effect"
import { HttpClient } from "effect/http"
import type { HttpClientError } from "effect/http"
import type { Options } from "../BearerHttpClient.js"
import type * as TokenProvider from "../TokenProvider.js"
import { fromTokenError } from "./bearer/tokenFailure.js"
import { make } from "./bearerHttpClient.js"

/** @internal */
export const withTokens = (
  client: HttpClient.HttpClient,
  provider: TokenProvider.Service,
  options: Options
): HttpClient.HttpClient => {
  const made = Effect.runSync(Effect.result(make(client, provider, options)))
  if (Result.isSuccess(made)) return made.success
  const error = made.failure
  return HttpClient.makeWith<never, never, HttpClientError.HttpClientError, never>(
    (request) => Effect.flatMap(request, (request) => Effect.fail(fromTokenError(request, error))),
    Effect.succeed
  )
}
