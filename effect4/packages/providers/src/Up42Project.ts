/**
 * UP42 with project credentials for Effect 4: `Provider`'s constructors applied to
 * `Providers.up42Project` (HTTP Basic with the project ID and API key, a 5-minute JWT at
 * `data.accessToken`). One token per project: for several, `make` one each under its own
 * service key.
 *
 * @example
 * import { Context, Layer, Redacted } from "effect"
 * import type { TokenProvider } from "@effect-bearer/core"
 * import { Up42Project } from "@effect-bearer/providers"
 *
 * class Fields extends Context.Service<Fields, TokenProvider.Service>()("Fields") {}
 *
 * const FieldsTokens = Layer.effect(Fields, Up42Project.make({ projectId: "…", projectApiKey: Redacted.make("…") }))
 *
 * @see https://docs.up42.com/developers/authentication
 * @since 4.0.0
 */
import { Provider as ProviderData, Providers } from "@effect-bearer/kernel"
import type { Redacted } from "effect"
import { constructors, facts } from "./internal/module.js"
import type * as Provider from "./Provider.js"

/**
 * The record of UP42 projects.
 *
 * @since 4.0.0
 * @category data
 */
export const provider: Provider.Provider = Providers.up42Project

/**
 * `name` (tokens providers are named `up42-project:<project id>`), `tokenUrl`, `apiOrigins`,
 * `defaultLifetime` (5 minutes) and `hints`, from the record.
 *
 * @since 4.0.0
 * @category data
 */
export const { apiOrigins, defaultLifetime, hints, name, tokenUrl } = facts(provider)

/**
 * UP42's legacy response mapped to RFC 6749 §5.1: the token at `data.accessToken`, else at
 * the top-level `accessToken`; a body with `access_token` is left alone.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 * @since 4.0.0
 * @category decoding
 */
export const toStandardResponse: (body: unknown) => unknown = ProviderData.toStandardResponse(provider)!

/**
 * One project's credentials, and the common provider options.
 *
 * @since 4.0.0
 * @category models
 */
export interface Options extends Provider.Options {
  /** The project ID; not a secret, it appears in errors. */
  readonly projectId: string
  readonly projectApiKey: Redacted.Redacted<string>
}

/**
 * `make`, `layer`; `makeConfig` and `layerConfig` reading `UP42_PROJECT_ID`,
 * `UP42_PROJECT_API_KEY` and `UP42_PROJECT_TOKEN_URL`.
 *
 * @since 4.0.0
 * @category constructors
 */
export const { layer, layerConfig, make, makeConfig } = constructors<Options>(provider)
