/**
 * Bitquery for Effect 4: `Provider`'s constructors applied to `Providers.bitquery` (an
 * application's id and secret in the form body with `scope=api`, opaque tokens), or a
 * console token used as it is ({@link layerStatic}).
 *
 * @example
 * import { Layer } from "effect"
 * import { FetchHttpClient } from "effect/http"
 * import { Bitquery } from "@effect-bearer/providers"
 *
 * // BITQUERY_CLIENT_ID=… BITQUERY_CLIENT_SECRET=…   (or BITQUERY_ACCESS_TOKEN=ory_at_…)
 * const Tokens = Bitquery.layerConfig().pipe(Layer.provide(FetchHttpClient.layer))
 *
 * @see https://docs.bitquery.io/docs/authorisation/how-to-generate/
 * @since 4.0.0
 */
import { Providers } from "@effect-bearer/kernel"
import { Layer } from "effect"
import type { Redacted } from "effect"
import type { TokenError } from "@effect-bearer/core"
import { TokenProvider } from "@effect-bearer/core"
import { constructors, facts } from "./internal/module.js"
import * as Provider from "./Provider.js"

/**
 * Bitquery's record, the console token included.
 *
 * @since 4.0.0
 * @category data
 */
export const provider: Provider.Provider = Providers.bitquery

/**
 * `name`, `tokenUrl`, `apiOrigins`, `defaultLifetime` and `hints`, from the record.
 *
 * @since 4.0.0
 * @category data
 */
export const { apiOrigins, defaultLifetime, hints, name, tokenUrl } = facts(provider)

/**
 * An application's credentials, and the common provider options.
 *
 * @since 4.0.0
 * @category models
 */
export interface Options extends Provider.Options {
  readonly clientId: string
  readonly clientSecret: Redacted.Redacted<string>
  /** Default: `api`, which Bitquery requires. */
  readonly scope?: string | undefined
}

/**
 * `make`, `layer`; `makeConfig` and `layerConfig` reading `BITQUERY_CLIENT_ID` and
 * `BITQUERY_CLIENT_SECRET`, or `BITQUERY_ACCESS_TOKEN` (with `BITQUERY_ACCESS_TOKEN_EXPIRES_AT`);
 * the application wins when both are set, and a blank variable counts as unset when choosing.
 *
 * @since 4.0.0
 * @category constructors
 */
export const { layer, layerConfig, make, makeConfig } = constructors<
  Options,
  Provider.ConfigOptions & {
    readonly scope?: string | undefined
    /** A console token, e.g. `Config.Redacted("MY_BITQUERY_TOKEN")` in place of `BITQUERY_ACCESS_TOKEN`. */
    readonly accessToken?: Redacted.Redacted<string> | undefined
  }
>(provider)

/**
 * The `TokenProvider` layer of a console token, sent as it is until `expiresAt`; when the
 * API refuses it, `Expired` says where to generate a new one.
 *
 * @since 4.0.0
 * @category layers
 */
export const layerStatic = (
  accessToken: Redacted.Redacted<string>,
  options: Provider.StaticOptions = {}
): Layer.Layer<TokenProvider.TokenProvider, TokenError.InvalidConfiguration> =>
  Layer.effect(TokenProvider.TokenProvider, Provider.makeStatic(provider)(accessToken, options))
