/**
 * The current access token, as a service: cached, single-flight, never served past its usable
 * time, renewed in the background before it expires. On Effect 4 the cache and the single
 * flight are `Effect.cachedInvalidateWithTTL` with a time to live taken from each result (see
 * `internal/tokenProvider.ts`). A `TokenStore` in context when the provider is built shares
 * its tokens with other processes; without one nothing is shared.
 *
 * (Over 300 lines: the provider's one public surface: service and tag, constructors, layers
 * and the tag factory, each documented; the implementation is `internal/tokenProvider.ts`.)
 *
 * @since 4.0.0
 */
import type { Config, Duration, Redacted, Schedule, Scope } from "effect"
import { Context, Effect, Layer } from "effect"
import type { HttpClient } from "effect/http"
import type * as AccessToken from "./AccessToken.js"
import * as ClientAuthentication from "./ClientAuthentication.js"
import * as Configurable from "./Configurable.js"
import * as Grant from "./Grant.js"
import * as internal from "./internal/tokenProvider.js"
import * as TokenEndpoint from "./TokenEndpoint.js"
import * as TokenError from "./TokenError.js"
import * as TokenSource from "./TokenSource.js"

/**
 * What a `TokenProvider` offers.
 *
 * @since 4.0.0
 * @category models
 */
export interface Service {
  /** The source's name, for logs, spans and metrics. */
  readonly name: string
  /** A token valid now; a warm read takes no lock, a cold one makes one request however many fibers ask. */
  readonly get: Effect.Effect<AccessToken.AccessToken, TokenError.TokenError>
  /** A resource server refused `token` (401): when it is still current, the next `get` fetches a new one. */
  readonly invalidate: (token: AccessToken.AccessToken) => Effect.Effect<void>
  /** Fetches a new token now. */
  readonly refresh: Effect.Effect<AccessToken.AccessToken, TokenError.TokenError>
}

/**
 * The token provider of a program that talks to one API (several: {@link Tag}).
 *
 * @since 4.0.0
 * @category tags
 */
export class TokenProvider extends Context.Service<TokenProvider, Service>()("@effect-bearer/core/TokenProvider") {}

/**
 * The current token of the `TokenProvider` in context.
 *
 * @since 4.0.0
 * @category accessors
 */
export const get: Effect.Effect<AccessToken.AccessToken, TokenError.TokenError, TokenProvider> = Effect.withFiber(
  (fiber) => Context.getUnsafe(fiber.context as Context.Context<TokenProvider>, TokenProvider).get
)

/**
 * How the cache and the background refresh behave.
 *
 * @since 4.0.0
 * @category models
 */
export interface Options {
  /** The margin before expiry (never under `AccessToken.minimumExpiryMargin`). Default: `AccessToken.defaultExpiryMargin`. */
  readonly expiryMargin?: ((lifetime: Duration.Duration) => Duration.Duration) | undefined
  /** How one acquisition retries transient failures. Default: `TokenRetry.acquisition`; `Schedule.recurs(0)` for none. */
  readonly retry?: Schedule.Schedule<unknown, TokenError.TokenError> | undefined
  /** The longest one acquisition may take. Default: `TokenRetry.defaultAcquisitionTimeout` (30 s). */
  readonly acquisitionTimeout?: Duration.Input | undefined
  /**
   * The background refresh, or `false`: it wakes at `at` of each token's lifetime plus up to
   * `jitter` (0.8 and 0.1) and backs off with `backoff` until the token expires.
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
   * Ignored: each token is cached until its own usable time.
   *
   * @deprecated has no effect.
   */
  readonly cacheTimeToLive?: Duration.Input | undefined
  /** Revoke the current token and its refresh token (RFC 7009) when the scope closes. Default: false. */
  readonly revokeOnClose?: boolean | undefined
}

/**
 * A provider over any source, its background refresh forked in the scope; it shares through
 * the `TokenStore` in context, if any (static and scripted sources never share).
 *
 * @since 4.0.0
 * @category constructors
 */
export const make: (source: TokenSource.TokenSource, options?: Options) => Effect.Effect<Service, never, Scope.Scope> =
  internal.make

/**
 * Options of {@link layer}.
 *
 * @since 4.0.0
 * @category models
 */
export interface EndpointOptions extends Options, TokenEndpoint.Options {
  readonly grant: Grant.Grant
  readonly name?: string | undefined
}

/**
 * A provider for an endpoint and grant; fails before any request when the configuration cannot work.
 *
 * @since 4.0.0
 * @category constructors
 */
export const fromEndpoint = (
  options: EndpointOptions
): Effect.Effect<Service, TokenError.InvalidConfiguration | TokenError.WrongHost, HttpClient.HttpClient | Scope.Scope> =>
  Effect.gen(function*() {
    const endpoint = yield* TokenEndpoint.make(options)
    const source = yield* TokenSource.fromEndpoint(endpoint, options.grant, { name: options.name })
    return yield* make(source, options)
  })

/**
 * The `TokenProvider` layer for an endpoint and grant.
 *
 * @since 4.0.0
 * @category layers
 */
export const layer = (
  options: EndpointOptions
): Layer.Layer<TokenProvider, TokenError.InvalidConfiguration | TokenError.WrongHost, HttpClient.HttpClient> =>
  Layer.effect(TokenProvider, fromEndpoint(options))

/**
 * The `TokenProvider` layer over any source.
 *
 * @since 4.0.0
 * @category layers
 */
export const layerSource = (source: TokenSource.TokenSource, options?: Options): Layer.Layer<TokenProvider> =>
  Layer.effect(TokenProvider, make(source, options))

/**
 * A provider of one fixed token (a JWT's `exp` respected).
 *
 * @since 4.0.0
 * @category layers
 */
export const layerStatic = (
  token: Redacted.Redacted<string>,
  options?: { readonly name?: string | undefined }
): Layer.Layer<TokenProvider> => layerSource(TokenSource.fromToken(token, options), { backgroundRefresh: false })

/**
 * A provider playing scripted tokens and errors, for tests.
 *
 * @since 4.0.0
 * @category layers
 */
export const layerScripted = (steps: ReadonlyArray<TokenSource.Step>, options?: Options): Layer.Layer<TokenProvider> =>
  Layer.effect(
    TokenProvider,
    Effect.flatMap(TokenSource.scripted(steps), (source) => make(source, { retry: undefined, ...options }))
  )

/**
 * Options of {@link layerConfig}: the client's credentials as plain fields, each maybe a `Config`.
 *
 * @since 4.0.0
 * @category models
 */
export interface ConfigOptions extends Options, Omit<TokenEndpoint.Options, "clientAuthentication"> {
  readonly clientId?: string | undefined
  readonly clientSecret?: Redacted.Redacted<string> | undefined
  /** Default: `client_secret_basic` with a secret, `none` without. */
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
      : Effect.fail(new TokenError.InvalidConfiguration({
        setting: "clientSecret",
        problem: "is given but clientAuthenticationMethod is none; choose client_secret_basic or client_secret_post"
      }))
  }
  if (options.clientId === undefined || options.clientSecret === undefined) {
    return Effect.fail(new TokenError.InvalidConfiguration({
      setting: options.clientId === undefined ? "clientId" : "clientSecret",
      problem: `is needed for ${method}`
    }))
  }
  const credentials = { clientId: options.clientId, clientSecret: options.clientSecret }
  return Effect.succeed(
    method === "client_secret_post"
      ? ClientAuthentication.clientSecretPost(credentials)
      : ClientAuthentication.clientSecretBasic(credentials)
  )
}

/**
 * {@link fromEndpoint} with options read when it runs (any field a `Config`, e.g.
 * `clientSecret: Config.Redacted("MY_SECRET")`).
 *
 * @since 4.0.0
 * @category constructors
 */
export const fromConfig = (
  options: Configurable.Configurable<ConfigOptions>
): Effect.Effect<
  Service,
  Config.ConfigError | TokenError.InvalidConfiguration | TokenError.WrongHost,
  HttpClient.HttpClient | Scope.Scope
> =>
  Effect.gen(function*() {
    const read = yield* Configurable.unwrap(options)
    const clientAuthentication = yield* clientAuthenticationOf(read)
    const { clientAuthenticationMethod: _method, clientId: _id, clientSecret: _secret, grant, ...rest } = read
    return yield* fromEndpoint({ ...rest, clientAuthentication, grant: grant ?? Grant.clientCredentials })
  })

/**
 * The `TokenProvider` layer of {@link fromConfig}.
 *
 * @since 4.0.0
 * @category layers
 */
export const layerConfig = (
  options: Configurable.Configurable<ConfigOptions>
): Layer.Layer<
  TokenProvider,
  Config.ConfigError | TokenError.InvalidConfiguration | TokenError.WrongHost,
  HttpClient.HttpClient
> => Layer.effect(TokenProvider, fromConfig(options))

/**
 * A tag made by {@link Tag}, with its accessor and layers.
 *
 * @since 4.0.0
 * @category models
 */
export interface TagClass<Self> extends Context.ServiceClass<Self, string, Service> {
  readonly get: Effect.Effect<AccessToken.AccessToken, TokenError.TokenError, Self>
  readonly layer: (options: EndpointOptions) => Layer.Layer<Self, TokenError.InvalidConfiguration | TokenError.WrongHost, HttpClient.HttpClient>
  readonly layerConfig: (
    options: Configurable.Configurable<ConfigOptions>
  ) => Layer.Layer<Self, Config.ConfigError | TokenError.InvalidConfiguration | TokenError.WrongHost, HttpClient.HttpClient>
  /** This provider made by an effect in a scope ({@link make}, or a provider module's `make`). */
  readonly layerScoped: <E, R>(make: Effect.Effect<Service, E, R>) => Layer.Layer<Self, E, Exclude<R, Scope.Scope>>
  readonly layerStatic: (token: Redacted.Redacted<string>, options?: { readonly name?: string | undefined }) => Layer.Layer<Self>
}

/**
 * A tag for one of several providers: `class Hydrosat extends TokenProvider.Tag("Hydrosat")<Hydrosat>() {}`;
 * its key is `@effect-bearer/core/TokenProvider/<id>`.
 *
 * @since 4.0.0
 * @category tags
 */
export const Tag = (id: string) => <Self>(): TagClass<Self> => {
  const tag = Context.Service<Self, Service>()(`@effect-bearer/core/TokenProvider/${id}`)
  const statics = {
    get: Effect.withFiber((fiber) => Context.getUnsafe(fiber.context as Context.Context<Self>, tag).get),
    layer: (options: EndpointOptions) => Layer.effect(tag, fromEndpoint(options)),
    layerConfig: (options: Configurable.Configurable<ConfigOptions>) => Layer.effect(tag, fromConfig(options)),
    layerScoped: <E, R>(effect: Effect.Effect<Service, E, R>) => Layer.effect(tag, effect),
    layerStatic: (token: Redacted.Redacted<string>, options?: { readonly name?: string | undefined }) =>
      Layer.effect(tag, make(TokenSource.fromToken(token, options), { backgroundRefresh: false }))
  }
  return Object.assign(tag, statics) as unknown as TagClass<Self>
}
