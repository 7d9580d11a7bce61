/**
 * UP42 with account credentials for Effect 4: `Provider`'s constructors applied to
 * `Providers.up42Account` (the password grant with the public client `up42-api` against a
 * Keycloak realm, in the `sa` or `eu` region; the refresh token renews for 30 minutes, then
 * the password grant is sent again).
 *
 * @example
 * import { Layer } from "effect"
 * import { FetchHttpClient } from "effect/http"
 * import { Up42Account } from "@effect-bearer/providers"
 *
 * // UP42_USERNAME=me@example.com UP42_PASSWORD=… UP42_REGION=eu node main.js
 * const Tokens = Up42Account.layerConfig().pipe(Layer.provide(FetchHttpClient.layer))
 *
 * @see https://docs.sa.up42.com/developers/authentication
 * @since 4.0.0
 */
import { Providers } from "@effect-bearer/kernel"
import type { Redacted } from "effect"
import { constructors, facts, regionFacts } from "./internal/module.js"
import type { RegionFacts } from "./internal/module.js"
import type * as Provider from "./Provider.js"

/**
 * The record of UP42 accounts, both regions included.
 *
 * @since 4.0.0
 * @category data
 */
export const provider: Provider.Provider = Providers.up42Account

/**
 * The regions a UP42 account lives in: `sa` (the default) and `eu`.
 *
 * @since 4.0.0
 * @category models
 */
export type Region = "sa" | "eu"

/**
 * Each region's `tokenUrl`, `apiOrigins` and `hints`, from the record.
 *
 * @since 4.0.0
 * @category data
 */
export const regions = regionFacts(provider) as Readonly<Record<Region, RegionFacts>>

/**
 * `name`, `tokenUrl` (of the default region), `apiOrigins`, `defaultLifetime` and `hints`, from the record.
 *
 * @since 4.0.0
 * @category data
 */
export const { apiOrigins, defaultLifetime, hints, name, tokenUrl } = facts(provider)

/**
 * The console login, and the common provider options.
 *
 * @since 4.0.0
 * @category models
 */
export interface Options extends Provider.Options {
  /** The email address you log in to the UP42 console with. */
  readonly username: string
  readonly password: Redacted.Redacted<string>
  /** Default: `up42-api`. */
  readonly clientId?: string | undefined
  /** The account's region: its token URL and hints (default `sa`); `tokenUrl` still wins. */
  readonly region?: Region | undefined
}

/**
 * `make`, `layer`; `makeConfig` and `layerConfig` reading `UP42_USERNAME`, `UP42_PASSWORD`,
 * `UP42_REGION`, `UP42_TOKEN_URL` and `UP42_CLIENT_ID`.
 *
 * @since 4.0.0
 * @category constructors
 */
export const { layer, layerConfig, make, makeConfig } = constructors<
  Options,
  Provider.ConfigOptions & { readonly clientId?: string | undefined; readonly region?: Region | undefined }
>(provider)
