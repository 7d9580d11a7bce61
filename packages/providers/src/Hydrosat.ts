/**
 * Hydrosat: client credentials with the client ID and secret in the form body
 * (`client_secret_post`); tokens live an hour (`expires_in: 3600`) and are for the STAC
 * API. The generic `Provider` constructors applied to Hydrosat's record.
 *
 * @example
 * import { NodeHttpClient } from "@effect/platform-node"
 * import { Layer } from "effect"
 * import { Hydrosat } from "@effect-bearer/providers"
 *
 * // HYDROSAT_CLIENT_ID=… HYDROSAT_CLIENT_SECRET=… node main.js
 * const Tokens = Hydrosat.layerConfig().pipe(Layer.provide(NodeHttpClient.layerUndici))
 *
 * @see https://satdocs.hydrosat.com/stac-api-reference-and-specification/authentication
 * @since 0.1.0
 */
import { Providers } from "@effect-bearer/kernel"
import type { Redacted } from "effect"
import { constructors, facts } from "./internal/module.js"
import type * as Provider from "./Provider.js"

/**
 * Hydrosat's record: everything the library knows about it.
 *
 * @since 0.1.0
 * @category data
 */
export const provider: Provider.Provider = Providers.hydrosat

/**
 * `name`, `tokenUrl` (`https://auth.hydrosat.com/oauth2/token`), `apiOrigins` (the STAC
 * API), `defaultLifetime` (an hour, `expires_in: 3600`) and `hints`, from the record.
 *
 * @since 0.1.0
 * @category data
 */
export const { apiOrigins, defaultLifetime, hints, name, tokenUrl } = facts(provider)

/**
 * The client credentials (the `creds.json` fields), and the common provider options.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends Provider.Options {
  readonly clientId: string
  readonly clientSecret: Redacted.Redacted<string>
}

/**
 * `make` and `layer` with {@link Options}; `makeConfig` and `layerConfig` reading
 * `HYDROSAT_CLIENT_ID`, `HYDROSAT_CLIENT_SECRET` (as a `Redacted`) and optionally
 * `HYDROSAT_TOKEN_URL`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const { layer, layerConfig, make, makeConfig } = constructors<Options>(provider)
