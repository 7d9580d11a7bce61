/**
 * Authenticated HTTP clients on Node: a provider's `TokenProvider` and core's `BearerHttpClient`
 * wired to one undici `HttpClient`, which both the token endpoint and the API calls use.
 *
 * @since 4.0.0
 */
import * as BearerHttpClient from "@effect-bearer/core/BearerHttpClient"
import type * as TokenError from "@effect-bearer/core/TokenError"
import type * as TokenProvider from "@effect-bearer/core/TokenProvider"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { Layer } from "effect"
import type { HttpClient } from "effect/http"

/**
 * An `HttpClient` that authenticates with the tokens of `tokens` (any `TokenProvider` layer)
 * towards the origins of `options`, and that `TokenProvider` itself, both over undici.
 *
 * @example
 * import { Effect } from "effect"
 * import { HttpClient } from "effect/http"
 * import { Hydrosat } from "@effect-bearer/providers"
 * import { NodeBearerHttpClient } from "@effect-bearer/platform-node"
 *
 * const collections = Effect.gen(function*() {
 *   const client = yield* HttpClient.HttpClient
 *   return yield* client.get("https://stac-beta.hydrosat.com/collections")
 * }).pipe(
 *   Effect.provide(NodeBearerHttpClient.layer(Hydrosat.layerConfig(), { origins: Hydrosat.apiOrigins }))
 * )
 *
 * @since 4.0.0
 * @category layers
 */
export const layer = <E, R>(
  tokens: Layer.Layer<TokenProvider.TokenProvider, E, R>,
  options: BearerHttpClient.Options
): Layer.Layer<
  HttpClient.HttpClient | TokenProvider.TokenProvider,
  E | TokenError.InvalidConfiguration | TokenError.WrongHost,
  Exclude<R, HttpClient.HttpClient>
> => BearerHttpClient.layer(options).pipe(Layer.provideMerge(tokens), Layer.provide(NodeHttpClient.layerUndici))

/**
 * What {@link layerConfig} needs of a provider module: its `layerConfig` and the API origins its
 * tokens are for. `Up42Project`, `Up42Account`, `Bitquery` and `Hydrosat` all fit.
 *
 * @since 4.0.0
 * @category models
 */
export interface ConfigurableProvider<E> {
  readonly layerConfig: () => Layer.Layer<TokenProvider.TokenProvider, E, HttpClient.HttpClient>
  readonly apiOrigins: ReadonlyArray<string>
}

/**
 * The authenticated client of a provider, configured from the environment (the provider's
 * `layerConfig`) for the provider's documented API origins.
 *
 * @example
 * import { Bitquery } from "@effect-bearer/providers"
 * import { NodeBearerHttpClient } from "@effect-bearer/platform-node"
 *
 * // BITQUERY_CLIENT_ID=… BITQUERY_CLIENT_SECRET=… node main.js
 * const BitqueryHttp = NodeBearerHttpClient.layerConfig(Bitquery)
 *
 * @since 4.0.0
 * @category layers
 */
export const layerConfig = <E>(
  provider: ConfigurableProvider<E>,
  options?: Omit<BearerHttpClient.Options, "origins"> & { readonly origins?: ReadonlyArray<string> | undefined }
): Layer.Layer<HttpClient.HttpClient | TokenProvider.TokenProvider, E | TokenError.InvalidConfiguration | TokenError.WrongHost> =>
  layer(provider.layerConfig(), { ...options, origins: options?.origins ?? provider.apiOrigins })
