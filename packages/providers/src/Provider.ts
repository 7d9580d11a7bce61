/**
 * What every provider module shares: the data of a provider's wire contract, and the
 * options every provider's `make`, `layer` and `layerConfig` accept.
 *
 * A provider is plain data plus thin layers (after golang.org/x/oauth2's `endpoints`):
 * the data says where tokens come from, how the client authenticates, which grant it
 * uses, how long tokens live and which API origins they are for.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type { Duration, Effect, Scope } from "effect"
import { Layer } from "effect"
import type { TokenError } from "@effect-bearer/core"
import { TokenProvider } from "@effect-bearer/core"

/**
 * How the client authenticates at the token endpoint, named as in the IANA "OAuth Token
 * Endpoint Authentication Methods" registry (RFC 6749 §2.3.1, RFC 7591 §2).
 *
 * @since 0.1.0
 * @category models
 */
export type ClientAuthenticationMethod = "client_secret_basic" | "client_secret_post" | "none"

/**
 * The documented wire contract of one provider.
 *
 * @since 0.1.0
 * @category models
 */
export interface Provider {
  /** A short, stable name for logs, spans and metrics, e.g. `"hydrosat"`. */
  readonly name: string
  /** The name a person recognises, e.g. `"UP42 (account credentials)"`. */
  readonly title: string
  /** The documented token endpoint. */
  readonly tokenUrl: string
  readonly clientAuthentication: ClientAuthenticationMethod
  /** The grant the provider documents: `client_credentials` or `password`. */
  readonly grantType: "client_credentials" | "password"
  /** The lifetime assumed when neither `expires_in` nor a JWT `exp` claim says. */
  readonly defaultLifetime: Duration.Duration
  /**
   * The origins (`scheme://host[:port]`) of the APIs the token is for. An authenticating
   * HTTP client puts the token on requests to these origins and nowhere else.
   */
  readonly apiOrigins: ReadonlyArray<string>
  /** Where the provider documents its authentication. */
  readonly documentation: string
}

/**
 * Options every provider accepts besides its credentials: where the token endpoint is
 * (regions, staging, the local provider server), how long a request may take, and
 * core's cache and refresh options (`retry`, `backgroundRefresh`, `expiryMargin`…).
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends TokenProvider.Options {
  /** The token endpoint; default: the provider's documented one. */
  readonly tokenUrl?: string | undefined
  /** How long one token request may take. Default: 10 seconds. */
  readonly timeout?: Duration.DurationInput | undefined
  /** The name of the token provider in logs, spans and metrics. */
  readonly name?: string | undefined
}

/**
 * Options of a provider's `layerConfig` and `makeConfig`: the same options as in code,
 * and a `prefix` to read several configurations side by side, e.g. `prefix: "FIELDS"`
 * reads `FIELDS_UP42_PROJECT_ID`. Values found in the environment win over the options.
 *
 * @since 0.1.0
 * @category models
 */
export interface ConfigOptions extends Options {
  readonly prefix?: string | undefined
}

/**
 * What building a provider can fail with, before any request: settings that cannot work.
 *
 * @since 0.1.0
 * @category models
 */
export type BuildError = TokenError.InvalidConfiguration | TokenError.WrongHost

/**
 * What every provider's `make` returns: its token provider, refreshing in the scope.
 *
 * @since 0.1.0
 * @category models
 */
export type Make = Effect.Effect<TokenProvider.Service, BuildError, HttpClient.HttpClient | Scope.Scope>

/**
 * What every provider's `layer` returns.
 *
 * @since 0.1.0
 * @category models
 */
export type ProviderLayer = Layer.Layer<TokenProvider.TokenProvider, BuildError, HttpClient.HttpClient>

/**
 * The `TokenProvider` layer of a provider's `make` (or `makeConfig`).
 *
 * @example
 * import { Hydrosat, Provider } from "@effect-bearer/providers"
 *
 * const layer = Provider.layerFrom(Hydrosat.make)
 *
 * @since 0.1.0
 * @category layers
 */
export const layerFrom = <Arguments extends ReadonlyArray<unknown>>(
  make: (...args: Arguments) => Make
) =>
(...args: Arguments): ProviderLayer => Layer.scoped(TokenProvider.TokenProvider, make(...args))
