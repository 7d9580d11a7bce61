/**
 * UP42 with account credentials (the current API): the password grant with the console
 * email and password and the public client `up42-api`, against a Keycloak realm.
 * Tokens live 5 minutes; the refresh token (`refresh_expires_in`, 30 minutes) renews
 * them, and once it expires the password grant is sent again, without bothering you.
 * The generic `Provider` constructors applied to the record of UP42 accounts.
 *
 * @example
 * import { NodeHttpClient } from "@effect/platform-node"
 * import { Layer } from "effect"
 * import { Up42Account } from "@effect-bearer/providers"
 *
 * // UP42_USERNAME=me@example.com UP42_PASSWORD=… UP42_REGION=eu node main.js
 * const Tokens = Up42Account.layerConfig().pipe(Layer.provide(NodeHttpClient.layerUndici))
 * // The API the tokens are for, in the same region: Up42Account.regions.eu.apiOrigins
 *
 * @see https://docs.sa.up42.com/developers/authentication
 * @since 0.1.0
 */
import { Providers } from "@effect-bearer/kernel"
import type { Redacted } from "effect"
import { constructors, facts, regionFacts } from "./internal/module.js"
import type { RegionFacts } from "./internal/module.js"
import type * as Provider from "./Provider.js"

/**
 * The record of UP42 accounts: everything the library knows about them, both regions included.
 *
 * @since 0.1.0
 * @category data
 */
export const provider: Provider.Provider = Providers.up42Account

/**
 * The regions a UP42 account lives in: `sa` (South America, the default) and `eu` (Europe,
 * the default of UP42's Python SDK).
 *
 * @since 0.1.0
 * @category models
 */
export type Region = "sa" | "eu"

/**
 * Each region's `tokenUrl` (on the auth host, not the API host), `apiOrigins` and `hints`
 * (naming that region's hosts), from the record: e.g. `regions.eu.apiOrigins` for the
 * origins of an authenticating client when `region: "eu"`.
 *
 * @since 0.1.0
 * @category data
 */
export const regions = regionFacts(provider) as Readonly<Record<Region, RegionFacts>>

/**
 * `name`, `tokenUrl` (of the default region, South America: on the auth host, not the API
 * host), `apiOrigins`, `defaultLifetime` (5 minutes, `expires_in: 300`) and `hints`, from the record.
 *
 * @since 0.1.0
 * @category data
 */
export const { apiOrigins, defaultLifetime, hints, name, tokenUrl } = facts(provider)

/**
 * The console login, and the common provider options.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends Provider.Options {
  /** The email address you log in to the UP42 console with. */
  readonly username: string
  readonly password: Redacted.Redacted<string>
  /** Default: `up42-api`. */
  readonly clientId?: string | undefined
  /** The region of the account: its token URL and hints (default `sa`); `tokenUrl` still wins for the token URL. */
  readonly region?: Region | undefined
}

/**
 * `make` and `layer` with {@link Options} (an empty username or password fails before
 * any request); `makeConfig` and `layerConfig` reading `UP42_USERNAME`, `UP42_PASSWORD`
 * (as a `Redacted`) and optionally `UP42_REGION` (`sa` or `eu`), `UP42_TOKEN_URL` and
 * `UP42_CLIENT_ID`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const { layer, layerConfig, make, makeConfig } = constructors<
  Options,
  Provider.ConfigOptions & { readonly clientId?: string | undefined; readonly region?: Region | undefined }
>(provider)
