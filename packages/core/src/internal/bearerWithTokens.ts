/**
 * The bearer client as a combinator that returns an `HttpClient` rather than an effect:
 * the client `make` builds, its options checked once when the combinator is applied (the
 * check is synchronous and pure). Options that cannot work give a client whose every
 * request fails with the check's error as the `cause`, nothing sent: `InvalidUrl` for
 * `WrongHost`, as a token failure is, `Encode` for `InvalidConfiguration`.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import { Effect, Either } from "effect"
import type { Options } from "../BearerHttpClient.js"
import type * as TokenProvider from "../TokenProvider.js"
import { make } from "./bearerHttpClient.js"

/** @internal */
export const withTokens = (
  client: HttpClient.HttpClient,
  provider: TokenProvider.Service,
  options: Options
): HttpClient.HttpClient => {
  const made = Effect.runSync(Effect.either(make(client, provider, options)))
  if (Either.isRight(made)) return made.right
  const error = made.left
  return HttpClient.makeWith<never, never, HttpClientError.HttpClientError, never>(
    (request) =>
      Effect.flatMap(request, (request) =>
        Effect.fail(
          new HttpClientError.RequestError({
            request,
            reason: error._tag === "WrongHost" ? "InvalidUrl" : "Encode",
            cause: error,
            description: error.message
          })
        )),
    Effect.succeed
  )
}
