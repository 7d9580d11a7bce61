/**
 * An `HttpClient` that puts the `TokenProvider`'s token on requests: only towards the
 * origins the token is for, never over plain http (loopback aside), never through a
 * redirect to another origin. A 401 costs one fresh token and one replay, never a loop,
 * and an API that refused a freshly issued token costs no further token request until the
 * provider renews that token; transient failures retry on a bounded `Schedule`. A 401
 * whose `WWW-Authenticate` Bearer challenge blames the request rather than the token
 * (`invalid_request`, `insufficient_scope`), or that asks for another scheme only, is
 * returned as it is (RFC 6750 §3.1).
 *
 * Every response and every failure names the request as the caller built it, without the
 * token: failures of reading the body (`json`, `text`, `stream`, ...) included, so that a
 * logged or printed error never shows the token. The bodies the client drops itself (a 401
 * before its replay, a transient answer before a retry) are read up to 64 KiB for at most
 * a second, then cancelled.
 *
 * The result is an ordinary `HttpClient.HttpClient`, so any code written against
 * `@effect/platform` can use it. Token failures therefore travel as `HttpClientError`s
 * whose `cause` is the `TokenError`: read it with {@link tokenError}, or lift it into
 * the error channel with {@link withTokenErrors}.
 *
 * | what happened | error | `cause` |
 * |---|---|---|
 * | the API answered 401 to a fresh token too | `ResponseError` `StatusCode` (the second 401) | `Expired` (`RejectedByResource`) |
 * | the API answered 401 to a token it had refused when fresh (no new token is requested) | `ResponseError` `StatusCode` (the 401) | `Expired` (`RejectedByResource`, with a `hint`) |
 * | no token could be had after a 401 | `ResponseError` `StatusCode` (the 401) | the `TokenError` |
 * | no token could be had | `RequestError` `Encode` (`Transport` for `TemporarilyUnavailable`) | the `TokenError` |
 * | another origin, with `onForeignOrigin: "fail"`; the API's host over plain http | `RequestError` `InvalidUrl` | `WrongHost` |
 * | no token, or no answer, within `timeout` | `RequestError` `Transport` | none |
 *
 * Three ways to have it, one machinery: {@link make} (an effect, failing on options that
 * cannot work), {@link withTokens} (a combinator, `client.pipe(...)`), and the layers:
 * {@link layer} (the program's `HttpClient`) or a tag of its own made by {@link Tag}, for
 * programs with several authenticated clients beside the plain global one.
 *
 * (Over 300 lines: the module's doc comments, its error table and examples are the
 * client's reference; the implementation lives in `internal/`.)
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type { Context, Duration, Metric, Schedule, Scope } from "effect"
import { Effect, Function, Layer, Option } from "effect"
import * as internal from "./internal/bearerHttpClient.js"
import * as internalWithTokens from "./internal/bearerWithTokens.js"
import * as serviceTag from "./internal/serviceTag.js"
import type * as TokenError from "./TokenError.js"
import * as TokenProvider from "./TokenProvider.js"

/**
 * Where the token goes and how requests are retried.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /**
   * The origins the token is for, e.g. `["https://api.up42.com"]`: scheme, host and port,
   * no path. Only requests to exactly these origins carry the token. Plain http is
   * accepted only for loopback hosts (`WrongHost` `InsecureEndpoint` otherwise).
   * Origins compare as the URL parser serialises them (lower case, punycode, no default
   * port): anything else, a trailing dot or another port included, is another origin.
   *
   * @see https://www.rfc-editor.org/rfc/rfc6454#section-5
   * @see https://www.rfc-editor.org/rfc/rfc6750#section-5.3
   */
  readonly origins: ReadonlyArray<string>
  /**
   * What to do with a request to any other origin. `"sendWithoutToken"` (the default)
   * sends it as it is, without the token: APIs hand out URLs on other hosts (signed
   * download links, object storage, CDNs) that must be fetched, and must never see the
   * token. `"fail"` refuses it with `WrongHost` `ForeignOrigin`, to catch a misconfigured
   * base URL early.
   */
  readonly onForeignOrigin?: "sendWithoutToken" | "fail" | undefined
  /**
   * How transient failures are retried: transport errors, timeouts, and the statuses
   * 408, 429, 500, 502, 503 and 504. Whatever the schedule says, a `Retry-After` is
   * waited for, nothing else is retried, a request that is not {@link Options.idempotent}
   * is retried only after 408 or 429, and a request whose body is a stream is never
   * sent twice. Default: {@link defaultRetry} (3 retries). `Schedule.stop` disables it.
   */
  readonly retry?: Schedule.Schedule<unknown, HttpClientError.HttpClientError> | undefined
  /**
   * Whether a request may be sent again after a failure the server may have acted on
   * (a transport error, a timeout, a 5xx), so that an order is never placed twice.
   * Default: by method, as RFC 9110 §9.2.2 says (GET, HEAD, OPTIONS, PUT, DELETE).
   * A 408 or 429 is retried whatever the method: the server did not act on the request.
   * A GraphQL API whose queries are POSTs may pass `(request) => !isMutation(request)`.
   */
  readonly idempotent?: ((request: HttpClientRequest.HttpClientRequest) => boolean) | undefined
  /**
   * The longest `Retry-After` waited for; a server asking for longer gets its answer
   * back at once instead of a stalled call. Default: `TokenRetry.maximumRetryAfter`, the
   * bound token requests use too.
   *
   * @see https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3
   */
  readonly maximumRetryAfter?: Duration.DurationInput | undefined
  /**
   * How long one attempt may take until the response headers arrive, getting its token
   * included (the body is read by the caller); after a 401, getting the fresh token and
   * the replay get this long again. A timed-out attempt counts as transient. Default:
   * none, like the `HttpClient` underneath: adding authentication does not put a deadline
   * on your requests (long polls, large downloads), and a timeout costs a fiber race per
   * request. Without it, a token acquisition is still bounded by the provider's own limits.
   */
  readonly timeout?: Duration.DurationInput | undefined
  /**
   * Whether each call runs in its own `BearerHttpClient.execute` span, recording the
   * provider, whether the token went, a 401 and its recovery, the attempts, the final
   * status and the outcome. Default: `false`: the platform's `http.client` span of each
   * exchange and the token's own spans (`TokenEndpoint.requestToken`, ...) are there
   * anyway, and a span per call costs more CPU than the rest of the client.
   */
  readonly span?: boolean | undefined
}

/**
 * The default retry: up to 3 retries after about 200 ms, 400 ms and 800 ms (jittered).
 *
 * @since 0.1.0
 * @category schedules
 */
export const defaultRetry: Schedule.Schedule<unknown, HttpClientError.HttpClientError> = internal.defaultRetry

/**
 * Turns a client into one that authenticates with the provider's token. Fails at once,
 * before any request, when the options cannot work (no origins, an origin with a path,
 * plain http to a remote host, a non-positive timeout).
 *
 * Add base URLs, headers and `HttpClient.followRedirects` on top of the result: the
 * origin check then sees the final URL of every request and of every redirect hop.
 * Keep the underlying client free of `HttpClient.followRedirects`, which would carry
 * the header to wherever a redirect points.
 *
 * @example
 * import { HttpClient, HttpClientRequest } from "@effect/platform"
 * import { Effect } from "effect"
 * import { BearerHttpClient, TokenProvider } from "@effect-bearer/core"
 *
 * const listProjects = Effect.gen(function*() {
 *   const provider = yield* TokenProvider.TokenProvider
 *   const client = (yield* BearerHttpClient.make(yield* HttpClient.HttpClient, provider, {
 *     origins: ["https://api.up42.com"]
 *   })).pipe(HttpClient.mapRequest(HttpClientRequest.prependUrl("https://api.up42.com")))
 *   const response = yield* client.get("/projects")
 *   return yield* response.json
 * })
 *
 * // or, data last:
 * const client = Effect.flatMap(
 *   TokenProvider.TokenProvider,
 *   (provider) => Effect.flatMap(HttpClient.HttpClient, BearerHttpClient.make(provider, { origins: ["https://api.up42.com"] }))
 * )
 *
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1
 * @since 0.1.0
 * @category constructors
 */
export const make: {
  (
    provider: TokenProvider.Service,
    options: Options
  ): (
    client: HttpClient.HttpClient
  ) => Effect.Effect<HttpClient.HttpClient, TokenError.InvalidConfiguration | TokenError.WrongHost>
  (
    client: HttpClient.HttpClient,
    provider: TokenProvider.Service,
    options: Options
  ): Effect.Effect<HttpClient.HttpClient, TokenError.InvalidConfiguration | TokenError.WrongHost>
} = Function.dual(3, internal.make)

/**
 * The authenticated client as the program's `HttpClient`, from the `TokenProvider` in
 * context and the underlying `HttpClient` (for example `NodeHttpClient.layerUndici` or
 * `FetchHttpClient.layer`). The token provider needs an `HttpClient` too, for the token
 * endpoint: give both the same plain client, as below.
 *
 * @example
 * import { NodeHttpClient } from "@effect/platform-node"
 * import { Layer, Redacted } from "effect"
 * import { BearerHttpClient, ClientAuthentication, Grant, TokenProvider } from "@effect-bearer/core"
 *
 * const Tokens = TokenProvider.layer({
 *   url: "https://auth.hydrosat.com/oauth2/token",
 *   grant: Grant.clientCredentials,
 *   clientAuthentication: ClientAuthentication.clientSecretPost({ clientId: "id", clientSecret: Redacted.make("secret") })
 * })
 *
 * // Provides HttpClient.HttpClient: every request to the API carries the token.
 * const HydrosatHttp = BearerHttpClient.layer({ origins: ["https://api.hydrosat.com"] }).pipe(
 *   Layer.provide(Tokens),
 *   Layer.provide(NodeHttpClient.layerUndici)
 * )
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: Options
): Layer.Layer<
  HttpClient.HttpClient,
  TokenError.InvalidConfiguration | TokenError.WrongHost,
  HttpClient.HttpClient | TokenProvider.TokenProvider
> =>
  Layer.effect(
    HttpClient.HttpClient,
    Effect.flatMap(
      Effect.zip(HttpClient.HttpClient, TokenProvider.TokenProvider),
      ([client, provider]) => internal.make(client, provider, options)
    )
  )

/**
 * The authenticated client as a combinator, `client.pipe(BearerHttpClient.withTokens(provider, options))`,
 * as `HttpClient.mapRequestEffect` is: the same client {@link make} builds. The options
 * are checked when it is applied; options that cannot work give a client whose every
 * request fails, with nothing sent, with a `RequestError` whose `cause` is the
 * `InvalidConfiguration` (reason `Encode`) or the `WrongHost` (reason `InvalidUrl`).
 *
 * @example
 * import { HttpClient, HttpClientRequest } from "@effect/platform"
 * import { Effect } from "effect"
 * import { BearerHttpClient, TokenProvider } from "@effect-bearer/core"
 *
 * const projects = Effect.gen(function*() {
 *   const provider = yield* TokenProvider.TokenProvider
 *   const client = (yield* HttpClient.HttpClient).pipe(
 *     BearerHttpClient.withTokens(provider, { origins: ["https://api.up42.com"] }),
 *     HttpClient.mapRequest(HttpClientRequest.prependUrl("https://api.up42.com"))
 *   )
 *   return yield* client.get("/projects")
 * })
 *
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1
 * @since 0.1.0
 * @category combinators
 */
export const withTokens: {
  (provider: TokenProvider.Service, options: Options): (client: HttpClient.HttpClient) => HttpClient.HttpClient
  (client: HttpClient.HttpClient, provider: TokenProvider.Service, options: Options): HttpClient.HttpClient
} = Function.dual(3, internalWithTokens.withTokens)

/**
 * An authenticated client tag made by {@link Tag}, with its layer.
 *
 * @since 0.1.0
 * @category models
 */
export interface TagClass<Self> extends Context.TagClass<Self, string, HttpClient.HttpClient> {
  /**
   * The authenticated client as this tag's service, over the `HttpClient` in context
   * (which stays as it is), with the token provider `provider` gives: a token provider
   * tag (`TokenProvider.TokenProvider`, one made by `TokenProvider.Tag`) or an effect
   * that makes one in a scope (a provider module's `make(...)`, `TokenProvider.fromEndpoint`).
   */
  readonly layer: <E, R>(
    provider: Effect.Effect<TokenProvider.Service, E, R>,
    options: Options
  ) => Layer.Layer<
    Self,
    E | TokenError.InvalidConfiguration | TokenError.WrongHost,
    Exclude<R, Scope.Scope> | HttpClient.HttpClient
  >
}

/**
 * A tag for one of several authenticated clients in a program, written as a
 * `Context.Tag` is: `class Stac extends BearerHttpClient.Tag("Stac")<Stac>() {}`. Its
 * service is an ordinary `HttpClient.HttpClient` and its `layer` builds it over the
 * program's `HttpClient`, which stays the plain client: a request through it carries no
 * token. The tag's key is `@effect-bearer/core/BearerHttpClient/<id>`.
 *
 * (A `Context.Tag` factory rather than `Effect.Service`: `Effect.Service` makes the
 * service an instance of the class with the made value's own fields copied onto it,
 * which loses the `HttpClient`'s methods; here the service is the client itself.)
 *
 * @example
 * import { HttpClient } from "@effect/platform"
 * import { NodeHttpClient } from "@effect/platform-node"
 * import { Config, Effect, Layer } from "effect"
 * import { BearerHttpClient, TokenProvider } from "@effect-bearer/core"
 *
 * class HydrosatTokens extends TokenProvider.Tag("Hydrosat")<HydrosatTokens>() {}
 * class Stac extends BearerHttpClient.Tag("Stac")<Stac>() {}
 *
 * const program = Effect.gen(function*() {
 *   const stac = yield* Stac
 *   const collections = yield* stac.get("https://stac-beta.hydrosat.com/collections")
 *   const plain = yield* HttpClient.HttpClient // no token on its requests
 *   return [collections.status, plain]
 * })
 *
 * const Live = Stac.layer(HydrosatTokens, { origins: ["https://stac-beta.hydrosat.com"] }).pipe(
 *   Layer.provideMerge(HydrosatTokens.layerConfig({
 *     url: "https://auth.hydrosat.com/oauth2/token",
 *     clientId: Config.string("HYDROSAT_CLIENT_ID"),
 *     clientSecret: Config.redacted("HYDROSAT_CLIENT_SECRET"),
 *     clientAuthenticationMethod: "client_secret_post"
 *   })),
 *   Layer.provideMerge(NodeHttpClient.layerUndici)
 * )
 *
 * const main = program.pipe(Effect.provide(Live))
 *
 * @since 0.1.0
 * @category tags
 */
export const Tag = (id: string) => <Self>(): TagClass<Self> =>
  serviceTag.make(`@effect-bearer/core/BearerHttpClient/${id}`, (tag: Context.Tag<Self, HttpClient.HttpClient>) => ({
    layer: <E, R>(provider: Effect.Effect<TokenProvider.Service, E, R>, options: Options) =>
      Layer.scoped(
        tag,
        Effect.flatMap(
          Effect.zip(HttpClient.HttpClient, provider),
          ([client, provider]) => internal.make(client, provider, options)
        )
      )
  }))

/**
 * The `TokenError` behind a failure of the authenticated client, if there is one.
 *
 * @example
 * import { HttpClient } from "@effect/platform"
 * import { Effect, Option } from "effect"
 * import { BearerHttpClient } from "@effect-bearer/core"
 *
 * const program = Effect.flatMap(HttpClient.HttpClient, (client) => client.get("https://api.up42.com/projects")).pipe(
 *   Effect.tapError((error) =>
 *     Option.match(BearerHttpClient.tokenError(error), {
 *       onNone: () => Effect.logWarning(error.message),
 *       onSome: (tokenError) => Effect.logError(`Authentication failed: ${tokenError.message}`)
 *     })
 *   )
 * )
 *
 * @since 0.1.0
 * @category errors
 */
export const tokenError: (error: HttpClientError.HttpClientError) => Option.Option<TokenError.TokenError> =
  internal.tokenError

/**
 * A client whose token failures are `TokenError`s in the error channel instead of
 * `HttpClientError`s carrying one, for code that matches on `Expired`,
 * `InvalidCredentials` or `WrongHost` by tag.
 *
 * @example
 * import { HttpClient } from "@effect/platform"
 * import { Effect } from "effect"
 * import { BearerHttpClient } from "@effect-bearer/core"
 *
 * const program = Effect.gen(function*() {
 *   const client = BearerHttpClient.withTokenErrors(yield* HttpClient.HttpClient)
 *   return yield* client.get("https://api.up42.com/projects")
 * }).pipe(Effect.catchTag("Expired", (error) => Effect.logError(error.message)))
 *
 * @since 0.1.0
 * @category errors
 */
export const withTokenErrors = <E extends HttpClientError.HttpClientError, R>(
  client: HttpClient.HttpClient.With<E, R>
): HttpClient.HttpClient.With<E | TokenError.TokenError, R> =>
  HttpClient.transformResponse(
    client,
    Effect.mapError((error: E) => Option.getOrElse(internal.tokenError(error), (): E | TokenError.TokenError => error))
  )

/**
 * 401 answers to requests that carried a token, tagged `provider` and `outcome`:
 * `Replayed` (a fresh token was accepted), `Expired` (the fresh token was refused too,
 * there was none, or the token was one the API had refused when fresh) or
 * `NotReplayable` (a stream body; the 401 was returned). Only a 401 whose challenge blames
 * the token counts (none, or Bearer without an error code or with `invalid_token`).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3.1
 * @since 0.1.0
 * @category metrics
 */
export const unauthorizedResponses: Metric.Metric.Counter<number> = internal.unauthorizedResponses
