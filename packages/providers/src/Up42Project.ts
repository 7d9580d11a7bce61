/**
 * UP42 with project credentials (the older API): HTTP Basic with the project ID and the
 * project API key, `grant_type=client_credentials`, and a 5-minute HS512 JWT that
 * arrives at `data.accessToken` (and again at the top-level `accessToken`).
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
import { Json } from "@effect-bearer/kernel"
import { Config, Duration, Effect } from "effect"
import type { Redacted } from "effect"
import { ClientAuthentication, Grant, TokenEndpoint, TokenProvider } from "@effect-bearer/core"
import { load, nonBlankRedacted, nonBlankString, optionalString, providerOptions, requireNonBlank } from "./internal/settings.js"
import * as Provider from "./Provider.js"

/**
 * @since 0.1.0
 * @category data
 */
export const name = "up42-project"

/**
 * The documented token endpoint.
 *
 * @since 0.1.0
 * @category data
 */
export const tokenUrl = "https://api.up42.com/oauth/token"

/**
 * The API origins a project token is for.
 *
 * @since 0.1.0
 * @category data
 */
export const apiOrigins: ReadonlyArray<string> = ["https://api.up42.com"]

/**
 * Project tokens live 5 minutes; the response has no `expires_in`, so the JWT's `exp`
 * claim says, and this when it cannot be read.
 *
 * @since 0.1.0
 * @category data
 */
export const defaultLifetime: Duration.Duration = Duration.minutes(5)

/**
 * The provider's data as one value.
 *
 * @since 0.1.0
 * @category data
 */
export const provider: Provider.Provider = {
  name,
  title: "UP42 (project credentials)",
  tokenUrl,
  clientAuthentication: "client_secret_basic",
  grantType: "client_credentials",
  defaultLifetime,
  apiOrigins,
  documentation: "https://docs.up42.com/developers/authentication"
}

/**
 * What UP42's documentation says about each failure, appended to the error's message.
 *
 * @since 0.1.0
 * @category data
 */
export const hints: TokenEndpoint.Hints = {
  InvalidCredentials:
    "UP42 project tokens need the project ID and the project API key of the same project (UP42 console: the project's Developers page).",
  WrongHost:
    `Project tokens come from ${tokenUrl}. For account credentials (email and password) use Up42Account, whose tokens come from auth.sa.up42.com.`,
  InvalidTokenResponse:
    "A project token arrives at data.accessToken (or the top-level accessToken) of the response."
}


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
 * @since 0.1.0
 * @category decoding
 */
export const toStandardResponse = (body: unknown): unknown => {
  if (!Json.isRecord(body) || body.access_token !== undefined) return body
  const nested = Json.isRecord(body.data) ? body.data.accessToken : undefined
  const accessToken = typeof nested === "string" && nested.trim() !== "" ? nested : body.accessToken
  return accessToken === undefined ? body : { ...body, access_token: accessToken }
}

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
 * A token provider for one project, with its background refresh running in the scope.
 * Put it under your own tag to use several projects side by side. Fails before any
 * request when the project ID or API key is empty or the token URL unusable.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: Options
): Provider.Make =>
  Effect.gen(function*() {
    yield* requireNonBlank("projectId", options.projectId)
    yield* requireNonBlank("projectApiKey", options.projectApiKey)
    return yield* TokenProvider.fromEndpoint({
      ...providerOptions(options),
      name: options.name ?? `${name}:${options.projectId}`,
      url: options.tokenUrl ?? tokenUrl,
      clientAuthentication: ClientAuthentication.clientSecretBasic({
        clientId: options.projectId,
        clientSecret: options.projectApiKey
      }),
      grant: Grant.clientCredentials,
      timeout: options.timeout,
      defaultLifetime,
      toStandardResponse,
      hints
    })
  })

/**
 * The `TokenProvider` layer for one project.
 *
 * @example
 * import { NodeHttpClient } from "@effect/platform-node"
 * import { Layer, Redacted } from "effect"
 * import { Up42Project } from "@effect-bearer/providers"
 *
 * const Tokens = Up42Project.layer({ projectId: "…", projectApiKey: Redacted.make("…") }).pipe(
 *   Layer.provide(NodeHttpClient.layerUndici)
 * )
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: (options: Options) => Provider.ProviderLayer = Provider.layerFrom(make)

/**
 * The environment variables: `UP42_PROJECT_ID`, `UP42_PROJECT_API_KEY` (read as a
 * `Redacted`), and optionally `UP42_PROJECT_TOKEN_URL`.
 *
 * @since 0.1.0
 * @category config
 */
export const config: Config.Config<{
  readonly projectId: string
  readonly projectApiKey: Redacted.Redacted<string>
  readonly tokenUrl: string | undefined
}> = Config.all({
  projectId: nonBlankString("UP42_PROJECT_ID"),
  projectApiKey: nonBlankRedacted("UP42_PROJECT_API_KEY"),
  tokenUrl: optionalString("UP42_PROJECT_TOKEN_URL")
})

const descriptions = {
  UP42_PROJECT_ID: "the project ID from the UP42 console (the project's Developers page)",
  UP42_PROJECT_API_KEY: "the project API key from the UP42 console (the project's Developers page)"
}

/**
 * {@link make} with the credentials read from the environment (see {@link config}).
 * A missing or empty variable fails with `InvalidConfiguration` naming it.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeConfig = (
  options: Provider.ConfigOptions = {}
): Provider.Make =>
  Effect.flatMap(load(config, descriptions, options.prefix), (settings) =>
    make({
      ...options,
      projectId: settings.projectId,
      projectApiKey: settings.projectApiKey,
      tokenUrl: settings.tokenUrl ?? options.tokenUrl
    }))

/**
 * The `TokenProvider` layer with the credentials read from the environment.
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
 * @category layers
 */
export const layerConfig: (options?: Provider.ConfigOptions) => Provider.ProviderLayer = Provider.layerFrom(makeConfig)
