/**
 * What every provider module exports, read from its record: its facts (`Hydrosat.tokenUrl`…)
 * and its constructors typed with its options (`Hydrosat.make`…).
 *
 * @internal
 */
import { Provider as ProviderData } from "@effect-bearer/kernel"
import type { Duration } from "effect"
import type { Configurable, TokenEndpoint } from "@effect-bearer/core"
import type { ConfigOptions, Make, Options, Provider, ProviderLayer } from "../Provider.js"
import { layer, layerConfig, make, makeConfig } from "../Provider.js"
import { defaultLifetime } from "./provider.js"

/**
 * A provider's facts as its module exports them, from its record.
 * @internal
 */
export interface Facts {
  /** The provider's id, in logs, spans, metrics and on the command line, e.g. `hydrosat`. */
  readonly name: string
  /** The documented token endpoint of the default region. */
  readonly tokenUrl: string
  /** The origins of the APIs the token is for: an authenticating client sends it nowhere else. */
  readonly apiOrigins: ReadonlyArray<string>
  /** The lifetime assumed when neither `expires_in` nor a JWT `exp` claim says. */
  readonly defaultLifetime: Duration.Duration
  /** What the provider's documentation says about each failure, appended to the error's message. */
  readonly hints: TokenEndpoint.Hints
}

/** @internal */
export const facts = (provider: Provider): Facts => ({
  name: provider.id,
  tokenUrl: ProviderData.tokenUrl(provider) ?? "",
  apiOrigins: ProviderData.apiOrigins(provider),
  defaultLifetime: defaultLifetime(provider),
  hints: ProviderData.hintsOf(provider)
})

/**
 * Where one region of a provider lives (`Up42Account.regions.eu`).
 * @internal
 */
export interface RegionFacts {
  /** The region's id, the value of the `region` option, e.g. `eu`. */
  readonly id: string
  readonly tokenUrl: string
  readonly apiOrigins: ReadonlyArray<string>
  /** The provider's hints, with the region's hosts in them. */
  readonly hints: TokenEndpoint.Hints
}

/** @internal */
export const regionFacts = (provider: Provider): Readonly<Record<string, RegionFacts>> =>
  Object.fromEntries(provider.regions.map((region) => [region.id, {
    id: region.id,
    tokenUrl: region.tokenUrl,
    apiOrigins: region.apiOrigins,
    hints: ProviderData.hintsOf(provider, region)
  }]))

/**
 * A provider's constructors, typed with its options.
 * @internal
 */
export interface Constructors<Options, ConfigOptions> {
  /** A token provider refreshing in the scope; put it under your own service key to have several. */
  readonly make: (options: Options) => Make
  /** The `TokenProvider` layer of `make`. */
  readonly layer: (options: Options) => ProviderLayer
  /** `make` with the settings from the environment, or from the `Config` given for an option. */
  readonly makeConfig: (options?: ConfigOptions) => Make
  /** The `TokenProvider` layer of `makeConfig`. */
  readonly layerConfig: (options?: ConfigOptions) => ProviderLayer
}

/** @internal */
export const constructors = <ProviderOptions extends Options, ProviderConfigOptions extends ConfigOptions = ConfigOptions>(
  provider: Provider
): Constructors<ProviderOptions, Configurable.Configurable<ProviderConfigOptions & Partial<ProviderOptions>>> => ({
  make: make(provider),
  layer: layer(provider),
  makeConfig: makeConfig(provider),
  layerConfig: layerConfig(provider)
})
