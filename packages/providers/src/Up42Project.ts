/**
 * UP42 with project credentials (the older API): HTTP Basic with the project ID and the
 * project API key, `grant_type=client_credentials`, and a 5-minute HS512 JWT that
 * arrives at `data.accessToken` (and again at the top-level `accessToken`). The generic
 * `Provider` constructors applied to the record of UP42 projects.
 *
 * Each token is for one project: for several projects, make one provider each with
 * {@link make} and put each under its own tag.
 *
 * @example
 * import { Context, Effect, Layer, Redacted } from "effect"
 * import { TokenProvider } from "@effect-bearer/core"
 * import { Up42Project } from "@effect-bearer/providers"
 *
 * class Fields extends Context.Tag("Fields")<Fields, TokenProvider.Service>() {}
 * class Forests extends Context.Tag("Forests")<Forests, TokenProvider.Service>() {}
 *
 * const Projects = Layer.mergeAll(
 *   Layer.scoped(Fields, Up42Project.make({ projectId: "…", projectApiKey: Redacted.make("…") })),
 *   Layer.scoped(Forests, Up42Project.makeConfig({ prefix: "FORESTS" }))
 * )
 *
 * @see https://docs.up42.com/developers/authentication
 * @since 0.1.0
 */
import { Provider as ProviderData, Providers } from "@effect-bearer/kernel"
import type { Redacted } from "effect"
import { constructors, facts } from "./internal/module.js"
import type * as Provider from "./Provider.js"

/**
 * The record of UP42 projects: everything the library knows about them.
 *
 * @since 0.1.0
 * @category data
 */
export const provider: Provider.Provider = Providers.up42Project

/**
 * `name` (each token provider is named `up42-project:<project id>`), `tokenUrl`
 * (`https://api.up42.com/oauth/token`, on the API host), `apiOrigins`, `defaultLifetime`
 * (5 minutes, when the JWT's `exp` claim cannot be read: the response has no
 * `expires_in`) and `hints`, from the record.
 *
 * @since 0.1.0
 * @category data
 */
export const { apiOrigins, defaultLifetime, hints, name, tokenUrl } = facts(provider)

/**
 * Maps UP42's legacy response `{"data":{"accessToken":…},"accessToken":…,"token_type":"bearer"}`
 * to RFC 6749 §5.1: the token at `data.accessToken`, else at the top-level `accessToken`.
 * A body that already has `access_token` is left alone.
 *
 * @example
 * import { Up42Project } from "@effect-bearer/providers"
 *
 * Up42Project.toStandardResponse({ data: { accessToken: "eyJ…" }, token_type: "bearer" })
 * // { data: …, token_type: "bearer", access_token: "eyJ…" }
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 * @since 0.1.0
 * @category decoding
 */
export const toStandardResponse: (body: unknown) => unknown = ProviderData.toStandardResponse(provider)!

/**
 * The credentials of one project, and the common provider options.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends Provider.Options {
  /** The project ID; not a secret, it appears in errors. */
  readonly projectId: string
  readonly projectApiKey: Redacted.Redacted<string>
}

/**
 * `make` and `layer` with {@link Options} (one project each; an empty project ID or API
 * key fails before any request); `makeConfig` and `layerConfig` reading
 * `UP42_PROJECT_ID`, `UP42_PROJECT_API_KEY` (as a `Redacted`) and optionally
 * `UP42_PROJECT_TOKEN_URL`.
 *
 * @example
 * import { NodeHttpClient } from "@effect/platform-node"
 * import { Layer } from "effect"
 * import { Up42Project } from "@effect-bearer/providers"
 *
 * // UP42_PROJECT_ID=… UP42_PROJECT_API_KEY=… node main.js
 * const Tokens = Up42Project.layerConfig().pipe(Layer.provide(NodeHttpClient.layerUndici))
 *
 * @since 0.1.0
 * @category constructors
 */
export const { layer, layerConfig, make, makeConfig } = constructors<Options>(provider)
