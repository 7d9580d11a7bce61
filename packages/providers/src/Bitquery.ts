/**
 * Bitquery: an application's client ID and secret in the form body
 * (`client_secret_post`) with `scope=api`, against an Ory Hydra server; tokens are
 * opaque (`ory_at_…`) and their lifetime comes from `expires_in`. Or a token generated
 * in the Bitquery console, used as it is ({@link layerStatic}). The generic `Provider`
 * constructors applied to Bitquery's record.
 *
 * @example
 * import { NodeHttpClient } from "@effect/platform-node"
 * import { Layer } from "effect"
 * import { Bitquery } from "@effect-bearer/providers"
 *
 * // BITQUERY_CLIENT_ID=… BITQUERY_CLIENT_SECRET=…   (or BITQUERY_ACCESS_TOKEN=ory_at_…)
 * const Tokens = Bitquery.layerConfig().pipe(Layer.provide(NodeHttpClient.layerUndici))
 *
 * @see https://docs.bitquery.io/docs/authorisation/how-to-generate/
 * @since 0.1.0
 */
import { Providers } from "@effect-bearer/kernel"
import { Layer } from "effect"
import type { Redacted } from "effect"
import type { TokenError } from "@effect-bearer/core"
import { TokenProvider } from "@effect-bearer/core"
import { constructors, facts } from "./internal/module.js"
import * as Provider from "./Provider.js"

/**
 * Bitquery's record: everything the library knows about it, the console token included.
 *
 * @since 0.1.0
 * @category data
 */
export const provider: Provider.Provider = Providers.bitquery

/**
 * `name`, `tokenUrl` (`https://oauth2.bitquery.io/oauth2/token`), `apiOrigins` (the
 * streaming GraphQL API), `defaultLifetime` (12 hours when a response has no
 * `expires_in`: how long a console token lives without an application) and `hints`,
 * from the record.
 *
 * @since 0.1.0
 * @category data
 */
export const { apiOrigins, defaultLifetime, hints, name, tokenUrl } = facts(provider)

/**
 * An application's credentials, and the common provider options.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends Provider.Options {
  readonly clientId: string
  readonly clientSecret: Redacted.Redacted<string>
  /** Default: `api`, which Bitquery requires. */
  readonly scope?: string | undefined
}

/**
 * `make` and `layer` with {@link Options}; `makeConfig` and `layerConfig` reading
 * `BITQUERY_CLIENT_ID` and `BITQUERY_CLIENT_SECRET` (with optional `BITQUERY_TOKEN_URL`
 * and `BITQUERY_SCOPE`), or `BITQUERY_ACCESS_TOKEN` for a console token (with optional
 * `BITQUERY_ACCESS_TOKEN_EXPIRES_AT`, an ISO date or epoch seconds). When both are
 * set, the application's credentials win: their tokens are renewed, a console token is
 * not. An empty (or whitespace-only) variable counts as unset when choosing, so
 * `BITQUERY_CLIENT_ID=""` beside a console token uses the token; when nothing usable is
 * left, the error names the empty variable.
 *
 * @since 0.1.0
 * @category constructors
 */
export const { layer, layerConfig, make, makeConfig } = constructors<
  Options,
  Provider.ConfigOptions & {
    readonly scope?: string | undefined
    /** A console token, e.g. `Config.redacted("MY_BITQUERY_TOKEN")` in place of `BITQUERY_ACCESS_TOKEN`. */
    readonly accessToken?: Redacted.Redacted<string> | undefined
  }
>(provider)

/**
 * The `TokenProvider` layer for a token generated in the Bitquery console. It is sent as
 * it is until `expiresAt` (the expiration you set in the console), after which `get`
 * fails with `Expired`. Console tokens also rotate every 12 hours without an
 * application: when the API refuses the token, the bearer client's `Expired` error says
 * so and where to generate a new one (or use an application's credentials, whose tokens
 * are renewed). `layerConfig` reads the expiry from `BITQUERY_ACCESS_TOKEN_EXPIRES_AT`
 * (an ISO date or epoch seconds).
 *
 * @example
 * import { Redacted } from "effect"
 * import { Bitquery } from "@effect-bearer/providers"
 *
 * const Tokens = Bitquery.layerStatic(Redacted.make("ory_at_…"), { expiresAt: new Date("2026-12-31T23:59:59Z") })
 *
 * @since 0.1.0
 * @category layers
 */
export const layerStatic = (
  accessToken: Redacted.Redacted<string>,
  options: Provider.StaticOptions = {}
): Layer.Layer<TokenProvider.TokenProvider, TokenError.InvalidConfiguration> =>
  Layer.scoped(TokenProvider.TokenProvider, Provider.makeStatic(provider)(accessToken, options))
