/**
 * The current access token, as a service: cached, single-flight, never served past
 * its own expiry, renewed in the background before it expires.
 *
 * Where tokens are shared: a provider built with a `TokenStore` in its context (provided
 * to the layer or effect that builds it) shares its tokens through it with every other
 * process using the same store and credential: on a miss or a due refresh it reads the
 * store, and only the lock holder asks the token endpoint. Without one it uses the memory
 * store, the default: today's one-process behaviour, nothing shared, no I/O. Either way the
 * warm read (a cached, fresh token) never touches the store. See {@link make}.
 *
 * (Over 300 lines: it is the provider's one public surface, the service and its tag,
 * the constructors, the layers and the tag factory for programs with several providers,
 * each with its doc comment; the implementations live in `internal/`.)
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type { ConfigError, Duration, Redacted, Schedule, Scope } from "effect"
import { Context, Effect, Layer } from "effect"
import type * as AccessToken from "./AccessToken.js"
import * as ClientAuthentication from "./ClientAuthentication.js"
import * as Configurable from "./Configurable.js"
import * as Grant from "./Grant.js"
import * as serviceTag from "./internal/serviceTag.js"
import * as internal from "./internal/tokenProvider.js"
import * as TokenEndpoint from "./TokenEndpoint.js"
import * as TokenError from "./TokenError.js"
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
 * For several APIs (or several UP42 projects) make one tag each with {@link Tag}.
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
export const get: Effect.Effect<AccessToken.AccessToken, TokenError.TokenError, TokenProvider> = Effect.withFiberRuntime(
  // One operation to find the provider (`Effect.flatMap(TokenProvider, ...)` takes three), then its own `get`.
  (fiber) => Context.unsafeGet(fiber.currentContext as Context.Context<TokenProvider>, TokenProvider).get
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
 * Its store is the `TokenStore` in context when it is built (the memory store, unshared,
 * when there is none); a fresh cached token is served without reaching it, so only misses
 * and refreshes go to the store. Static and scripted sources are never shared; a public
 * client (no secret to seal under) only through a store given a `sealingKey`.
 *
 * @example
 * // Many processes, one token request per lifetime: the layer of the provider is built with the file store.
 * import { NodeHttpClient } from "@effect/platform-node"
 * import { Layer, Redacted } from "effect"
 * import { ClientAuthentication, Grant, TokenProvider } from "@effect-bearer/core"
 * import { FileTokenStore } from "@effect-bearer/platform-node"
 *
 * const Shared = TokenProvider.layer({
 *   url: "https://auth.example.com/oauth2/token",
 *   grant: Grant.clientCredentials,
 *   clientAuthentication: ClientAuthentication.clientSecretPost({ clientId: "id", clientSecret: Redacted.make("secret") })
 * }).pipe(Layer.provide([NodeHttpClient.layerUndici, FileTokenStore.layer()]))
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

/**
 * Options of {@link layerConfig}: those of {@link layer} with the client's credentials as
 * plain fields, each of which may be a `Config` (see `Configurable`).
 *
 * @since 0.1.0
 * @category models
 */
export interface ConfigOptions extends Options, Omit<TokenEndpoint.Options, "clientAuthentication"> {
  /** The client identifier (RFC 6749 §2.2); without a secret, a public client's. */
  readonly clientId?: string | undefined
  /** The client secret; without one the client is public (RFC 6749 §2.1). */
  readonly clientSecret?: Redacted.Redacted<string> | undefined
  /**
   * Where the secret goes. Default: `client_secret_basic` with a secret (the method every
   * server supports, RFC 6749 §2.3.1), `none` without one.
   */
  readonly clientAuthenticationMethod?: "client_secret_basic" | "client_secret_post" | "none" | undefined
  /** Default: `Grant.clientCredentials`. */
  readonly grant?: Grant.Grant | undefined
  readonly name?: string | undefined
}

const clientAuthenticationOf = (
  options: ConfigOptions
): Effect.Effect<ClientAuthentication.ClientAuthentication, TokenError.InvalidConfiguration> => {
  const method = options.clientAuthenticationMethod ?? (options.clientSecret === undefined ? "none" : "client_secret_basic")
  if (method === "none") {
    return options.clientSecret === undefined
      ? Effect.succeed(ClientAuthentication.publicClient(options.clientId))
      : new TokenError.InvalidConfiguration({
        setting: "clientSecret",
        problem: "is given but clientAuthenticationMethod is none; choose client_secret_basic or client_secret_post"
      })
  }
  if (options.clientId === undefined || options.clientSecret === undefined) {
    return new TokenError.InvalidConfiguration({
      setting: options.clientId === undefined ? "clientId" : "clientSecret",
      problem: `is needed for ${method}`
    })
  }
  const credentials = { clientId: options.clientId, clientSecret: options.clientSecret }
  return Effect.succeed(
    method === "client_secret_post"
      ? ClientAuthentication.clientSecretPost(credentials)
      : ClientAuthentication.clientSecretBasic(credentials)
  )
}

/**
 * {@link fromEndpoint} with options read when it runs: any field may be a `Config`, e.g.
 * `clientSecret: Config.redacted("MY_SECRET")`. A missing variable fails with a
 * `ConfigError` naming it (never a value); settings that cannot work fail as in
 * {@link fromEndpoint}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromConfig = (
  options: Configurable.Configurable<ConfigOptions>
): Effect.Effect<
  Service,
  ConfigError.ConfigError | TokenError.InvalidConfiguration | TokenError.WrongHost,
  HttpClient.HttpClient | Scope.Scope
> =>
  Effect.gen(function*() {
    const read = yield* Configurable.unwrap(options)
    const clientAuthentication = yield* clientAuthenticationOf(read)
    const { clientAuthenticationMethod: _method, clientId: _id, clientSecret: _secret, grant, ...rest } = read
    return yield* fromEndpoint({ ...rest, clientAuthentication, grant: grant ?? Grant.clientCredentials })
  })

/**
 * The `TokenProvider` layer of {@link fromConfig}: the program names its own variables.
 *
 * @example
 * import { NodeHttpClient } from "@effect/platform-node"
 * import { Config, Layer } from "effect"
 * import { TokenProvider } from "@effect-bearer/core"
 *
 * const Tokens = TokenProvider.layerConfig({
 *   url: Config.string("AUTH_TOKEN_URL"),
 *   clientId: Config.string("AUTH_CLIENT_ID"),
 *   clientSecret: Config.redacted("AUTH_CLIENT_SECRET"),
 *   clientAuthenticationMethod: "client_secret_post"
 * }).pipe(Layer.provide(NodeHttpClient.layerUndici))
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  options: Configurable.Configurable<ConfigOptions>
): Layer.Layer<
  TokenProvider,
  ConfigError.ConfigError | TokenError.InvalidConfiguration | TokenError.WrongHost,
  HttpClient.HttpClient
> => Layer.scoped(TokenProvider, fromConfig(options))

/**
 * A token provider tag made by {@link Tag}, with its accessor and layers.
 *
 * @since 0.1.0
 * @category models
 */
export interface TagClass<Self> extends Context.TagClass<Self, string, Service> {
  /** The current token of this provider. */
  readonly get: Effect.Effect<AccessToken.AccessToken, TokenError.TokenError, Self>
  /** This provider for a token endpoint and grant, as {@link layer}. */
  readonly layer: (
    options: EndpointOptions
  ) => Layer.Layer<Self, TokenError.InvalidConfiguration | TokenError.WrongHost, HttpClient.HttpClient>
  /** This provider with options read from `Config`s, as {@link layerConfig}. */
  readonly layerConfig: (
    options: Configurable.Configurable<ConfigOptions>
  ) => Layer.Layer<
    Self,
    ConfigError.ConfigError | TokenError.InvalidConfiguration | TokenError.WrongHost,
    HttpClient.HttpClient
  >
  /** This provider made by an effect in a scope: {@link make}, or a provider module's `make(...)`. */
  readonly layerScoped: <E, R>(make: Effect.Effect<Service, E, R>) => Layer.Layer<Self, E, Exclude<R, Scope.Scope>>
  /** This provider handing out one token, as {@link layerStatic}. */
  readonly layerStatic: (
    token: Redacted.Redacted<string>,
    options?: { readonly name?: string | undefined }
  ) => Layer.Layer<Self>
}

/**
 * A tag for one of several token providers in a program, written as a `Context.Tag` is:
 * `class Hydrosat extends TokenProvider.Tag("Hydrosat")<Hydrosat>() {}`. Its statics
 * (`get`, `layer`, `layerConfig`, `layerScoped`, `layerStatic`) build into that tag; the
 * service is an ordinary {@link Service}, so `BearerHttpClient` takes it like any other.
 * The tag's key is `@effect-bearer/core/TokenProvider/<id>`: give each provider its own id.
 *
 * @example
 * import { Config, Effect } from "effect"
 * import { TokenProvider } from "@effect-bearer/core"
 *
 * class Hydrosat extends TokenProvider.Tag("Hydrosat")<Hydrosat>() {}
 * class Up42 extends TokenProvider.Tag("Up42")<Up42>() {}
 *
 * const HydrosatTokens = Hydrosat.layerConfig({
 *   url: "https://auth.hydrosat.com/oauth2/token",
 *   clientId: Config.string("HYDROSAT_CLIENT_ID"),
 *   clientSecret: Config.redacted("HYDROSAT_CLIENT_SECRET"),
 *   clientAuthenticationMethod: "client_secret_post"
 * })
 *
 * const program = Effect.gen(function*() {
 *   const hydrosat = yield* Hydrosat.get
 *   const up42 = yield* (yield* Up42).get
 *   return [hydrosat.expiresAt, up42.expiresAt]
 * })
 *
 * @since 0.1.0
 * @category tags
 */
export const Tag = (id: string) => <Self>(): TagClass<Self> =>
  serviceTag.make(`@effect-bearer/core/TokenProvider/${id}`, (tag: Context.Tag<Self, Service>) => ({
    get: Effect.withFiberRuntime((fiber) => Context.unsafeGet(fiber.currentContext as Context.Context<Self>, tag).get),
    layer: (options: EndpointOptions) => Layer.scoped(tag, fromEndpoint(options)),
    layerConfig: (options: Configurable.Configurable<ConfigOptions>) => Layer.scoped(tag, fromConfig(options)),
    layerScoped: <E, R>(make: Effect.Effect<Service, E, R>) => Layer.scoped(tag, make),
    layerStatic: (token: Redacted.Redacted<string>, options?: { readonly name?: string | undefined }) =>
      Layer.scoped(tag, make(TokenSource.fromToken(token, options), { backgroundRefresh: false }))
  }))
