/**
 * The current access token, as a service: cached, single-flight, never served past
 * its own expiry, renewed in the background before it expires.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type { Duration, Redacted, Schedule, Scope } from "effect"
import { Context, Effect, Layer } from "effect"
import type * as AccessToken from "./AccessToken.js"
import type * as Grant from "./Grant.js"
import * as internal from "./internal/tokenProvider.js"
import * as TokenEndpoint from "./TokenEndpoint.js"
import type * as TokenError from "./TokenError.js"
import * as TokenSource from "./TokenSource.js"

/**
 * What a `TokenProvider` offers.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** The name of the source, for logs, spans and metrics. */
  readonly name: string
  /**
   * A token that is valid now (with a margin before its expiry). Reads the cached token
   * without locking when it is fresh; otherwise exactly one request is made however many
   * fibers ask at once.
   */
  readonly get: Effect.Effect<AccessToken.AccessToken, TokenError.TokenError>
  /**
   * Tells the provider that a resource server refused `token` (a 401): when it is still
   * the current token, the next `get` fetches a new one. Many fibers reporting the same
   * token cause one new request.
   */
  readonly invalidate: (token: AccessToken.AccessToken) => Effect.Effect<void>
  /** Fetches a new token now, replacing the current one. */
  readonly refresh: Effect.Effect<AccessToken.AccessToken, TokenError.TokenError>
}

/**
 * The token provider of a program that talks to one API.
 * For several APIs (or several UP42 projects) make one tag each with {@link make}.
 *
 * @since 0.1.0
 * @category tags
 */
export class TokenProvider extends Context.Tag("@effect-bearer/core/TokenProvider")<TokenProvider, Service>() {}

/**
 * The current token of the `TokenProvider` in context.
 *
 * @example
 * import { Effect, Redacted } from "effect"
 * import { TokenProvider } from "@effect-bearer/core"
 *
 * const program = Effect.gen(function*() {
 *   const token = yield* TokenProvider.get
 *   return Redacted.value(token.value).length
 * })
 *
 * @since 0.1.0
 * @category accessors
 */
export const get: Effect.Effect<AccessToken.AccessToken, TokenError.TokenError, TokenProvider> = Effect.flatMap(
  TokenProvider,
  (provider) => provider.get
)

/**
 * How the cache and the background refresh behave.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /**
   * The margin before expiry after which a token is no longer handed out; never less
   * than `AccessToken.minimumExpiryMargin` (1 s) whatever this returns.
   * Default: `AccessToken.defaultExpiryMargin` (lifetime / 30, at least 1 s, at most 60 s).
   */
  readonly expiryMargin?: ((lifetime: Duration.Duration) => Duration.Duration) | undefined
  /**
   * How one acquisition retries transient failures. Default: `TokenRetry.acquisition`
   * (2 retries). Use `Schedule.stop` to not retry.
   */
  readonly retry?: Schedule.Schedule<unknown, TokenError.TokenError> | undefined
  /**
   * The longest one acquisition (every attempt and every wait between them) may take;
   * then `get` fails with `TemporarilyUnavailable` (`Timeout`). A `Retry-After` longer
   * than `TokenRetry.maximumRetryAfter`, or one ending past this deadline, is not waited
   * for: its `TemporarilyUnavailable` (with `retryAfter`) comes back at once. A caller's
   * own deadline (`Effect.timeout`) stops only its own wait, never the shared request.
   * Default: `TokenRetry.defaultAcquisitionTimeout` (30 s).
   */
  readonly acquisitionTimeout?: Duration.DurationInput | undefined
  /**
   * The background refresh, or `false` for none. It wakes at `at` of each token's own
   * lifetime plus up to `jitter` more (defaults 0.8 and 0.1: between 80 % and 90 %) and
   * retries with `backoff` (default `TokenRetry.backgroundRefresh`, which honours any
   * `Retry-After`) as long as a wait ends before the current token really expires.
   */
  readonly backgroundRefresh?:
    | false
    | {
      readonly at?: number | undefined
      readonly jitter?: number | undefined
      readonly backoff?: Schedule.Schedule<unknown, TokenError.TokenError> | undefined
    }
    | undefined
  /**
   * Ignored, kept so existing configurations compile: the cold path no longer has a
   * time-to-live cache (each token is served until its own usable time).
   *
   * @deprecated since 0.1.0: has no effect.
   */
  readonly cacheTimeToLive?: Duration.DurationInput | undefined
  /**
   * Revoke the current token (and its refresh token) when the scope closes (RFC 7009),
   * for sources that can (an endpoint with a `revocationUrl`). Failures are logged, not
   * raised. Default: false.
   */
  readonly revokeOnClose?: boolean | undefined
}

/**
 * A provider over any token source, with its background refresh running in the scope.
 *
 * @example
 * import { Effect } from "effect"
 * import { TokenProvider, TokenSource } from "@effect-bearer/core"
 *
 * const provider = Effect.gen(function*() {
 *   const source = yield* TokenSource.scripted([{ token: "tok-1", lifetime: "5 minutes" }])
 *   return yield* TokenProvider.make(source)
 * })
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: (source: TokenSource.TokenSource, options?: Options) => Effect.Effect<Service, never, Scope.Scope> =
  internal.make

/**
 * Options of {@link layer}: a token endpoint, a grant, and how to cache.
 *
 * @since 0.1.0
 * @category models
 */
export interface EndpointOptions extends Options, TokenEndpoint.Options {
  readonly grant: Grant.Grant
  readonly name?: string | undefined
}

/**
 * A provider for a token endpoint and grant. Fails at once, before any request,
 * when the configuration cannot work.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromEndpoint = (
  options: EndpointOptions
): Effect.Effect<
  Service,
  TokenError.InvalidConfiguration | TokenError.WrongHost,
  HttpClient.HttpClient | Scope.Scope
> =>
  Effect.gen(function*() {
    const endpoint = yield* TokenEndpoint.make(options)
    const source = yield* TokenSource.fromEndpoint(endpoint, options.grant, { name: options.name })
    return yield* make(source, options)
  })

/**
 * The `TokenProvider` layer for a token endpoint and grant.
 *
 * @example
 * import { NodeHttpClient } from "@effect/platform-node"
 * import { Layer, Redacted } from "effect"
 * import { ClientAuthentication, Grant, TokenProvider } from "@effect-bearer/core"
 *
 * const Hydrosat = TokenProvider.layer({
 *   url: "https://auth.hydrosat.com/oauth2/token",
 *   grant: Grant.clientCredentials,
 *   clientAuthentication: ClientAuthentication.clientSecretPost({ clientId: "id", clientSecret: Redacted.make("secret") }),
 *   defaultLifetime: "1 hour"
 * }).pipe(Layer.provide(NodeHttpClient.layerUndici))
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: EndpointOptions
): Layer.Layer<TokenProvider, TokenError.InvalidConfiguration | TokenError.WrongHost, HttpClient.HttpClient> =>
  Layer.scoped(TokenProvider, fromEndpoint(options))

/**
 * The `TokenProvider` layer over any token source.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerSource = (source: TokenSource.TokenSource, options?: Options): Layer.Layer<TokenProvider> =>
  Layer.scoped(TokenProvider, make(source, options))

/**
 * A `TokenProvider` that always hands out one token, e.g. a Bitquery console token or a
 * fixed token in tests. A JWT's `exp` is respected (then `get` fails with `Expired`).
 *
 * @example
 * import { Redacted } from "effect"
 * import { TokenProvider } from "@effect-bearer/core"
 *
 * const TestTokens = TokenProvider.layerStatic(Redacted.make("test-token"))
 *
 * @since 0.1.0
 * @category layers
 */
export const layerStatic = (
  token: Redacted.Redacted<string>,
  options?: { readonly name?: string | undefined }
): Layer.Layer<TokenProvider> => layerSource(TokenSource.fromToken(token, options), { backgroundRefresh: false })

/**
 * A `TokenProvider` that answers with a scripted sequence of tokens and errors, for
 * tests: each fetch (first use, expiry, `invalidate`, `refresh`) takes the next step.
 *
 * @example
 * import { TokenProvider } from "@effect-bearer/core"
 *
 * const Tokens = TokenProvider.layerScripted([
 *   { token: "first", lifetime: "5 minutes" },
 *   { token: "second", lifetime: "5 minutes" }
 * ])
 *
 * @since 0.1.0
 * @category layers
 */
export const layerScripted = (
  steps: ReadonlyArray<TokenSource.Step>,
  options?: Options
): Layer.Layer<TokenProvider> =>
  Layer.scoped(
    TokenProvider,
    Effect.flatMap(TokenSource.scripted(steps), (source) => make(source, { retry: undefined, ...options }))
  )
