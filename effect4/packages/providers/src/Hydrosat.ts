/**
 * Hydrosat for Effect 4: `Provider`'s constructors applied to `Providers.hydrosat`
 * (client credentials in the form body, one-hour tokens for the STAC API).
 *
 * @example
 * import { Layer } from "effect"
 * import { FetchHttpClient } from "effect/http"
 * import { Hydrosat } from "@effect-bearer/providers"
 *
 * // HYDROSAT_CLIENT_ID=… HYDROSAT_CLIENT_SECRET=… node main.js
 * const Tokens = Hydrosat.layerConfig().pipe(Layer.provide(FetchHttpClient.layer))
 *
 * @see https://satdocs.hydrosat.com/stac-api-reference-and-specification/authentication
 * @since 4.0.0
 */
import { Providers } from "@effect-bearer/kernel"
import type { Redacted } from "effect"
import { constructors, facts } from "./internal/module.js"
import type * as Provider from "./Provider.js"

/**
 * Hydrosat's record.
 *
 * @since 4.0.0
 * @category data
 */
export const provider: Provider.Provider = Providers.hydrosat

/**
 * `name`, `tokenUrl`, `apiOrigins`, `defaultLifetime` (an hour) and `hints`, from the record.
 *
 * @since 4.0.0
 * @category data
 */
export const { apiOrigins, defaultLifetime, hints, name, tokenUrl } = facts(provider)

/**
 * The `creds.json` fields, and the common provider options.
 *
 * @since 4.0.0
 * @category models
 */
export interface Options extends Provider.Options {
  readonly clientId: string
  readonly clientSecret: Redacted.Redacted<string>
}

/**
 * `make`, `layer`; `makeConfig` and `layerConfig` reading `HYDROSAT_CLIENT_ID`,
 * `HYDROSAT_CLIENT_SECRET`, `HYDROSAT_TOKEN_URL` or `HYDROSAT_CREDENTIALS_FILE`.
 *
 * @since 4.0.0
 * @category constructors
 */
export const { layer, layerConfig, make, makeConfig } = constructors<Options>(provider)
