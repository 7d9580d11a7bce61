/**
 * `OAUTH2_*`: the environment of any OAuth2 client, its variable names from the record,
 * with the grant `OAUTH2_GRANT_TYPE` names and its username and password.
 *
 * @internal
 */
import { Provider as ProviderData, Providers } from "@effect-bearer/kernel"
import { Config, ConfigError, Either, Option, Redacted } from "effect"
import { Grant } from "@effect-bearer/core"
import type { ClientAuthenticationMethod } from "../Provider.js"
import { emptyVariable, nonBlankRedacted, nonBlankString, optionalOneOf, optionalString } from "./settings.js"

const provider = Providers.oauth2

const grantTypes = ProviderData.grantTypes

/** The record's variable for an option, e.g. `tokenUrl` → `OAUTH2_TOKEN_URL`. */
const variable = (option: string): string => ProviderData.variableFor(provider, option)?.name ?? option

/** What {@link config} reads from the environment; unset settings are `undefined`. */
export interface Settings {
  readonly tokenUrl: string | undefined
  readonly issuer: string | undefined
  readonly clientId: string
  readonly clientSecret: Redacted.Redacted<string> | undefined
  readonly clientAuthentication: ClientAuthenticationMethod | undefined
  readonly grant: Grant.Grant | undefined
  readonly scope: string | undefined
  readonly parameters: Readonly<Record<string, string>> | undefined
  readonly revocationUrl: string | undefined
}

/**
 * The environment variables: `OAUTH2_TOKEN_URL` or `OAUTH2_ISSUER`, `OAUTH2_CLIENT_ID`,
 * `OAUTH2_CLIENT_SECRET` (read as a `Redacted`; absent for a public client), and
 * optionally `OAUTH2_CLIENT_AUTHENTICATION` (`client_secret_basic`, `client_secret_post`
 * or `none`), `OAUTH2_GRANT_TYPE` (`client_credentials` or `password`, with
 * `OAUTH2_USERNAME` and `OAUTH2_PASSWORD`), `OAUTH2_SCOPE`, `OAUTH2_AUDIENCE` and
 * `OAUTH2_REVOCATION_URL`.
 */
export const config: Config.Config<Settings> = Config.all({
  tokenUrl: optionalString(variable("tokenUrl")),
  issuer: optionalString(variable("issuer")),
  clientId: nonBlankString(variable("clientId")),
  clientSecret: Config.option(nonBlankRedacted(variable("clientSecret"))),
  clientAuthentication: optionalOneOf(variable("clientAuthentication"), ProviderData.clientAuthenticationMethods),
  grantType: optionalOneOf(variable("grantType"), grantTypes),
  username: optionalString(variable("username")),
  password: Config.option(Config.redacted(variable("password"))),
  scope: optionalString(variable("scope")),
  audience: optionalString(variable("audience")),
  revocationUrl: optionalString(variable("revocationUrl"))
}).pipe(
  Config.mapOrFail((settings) => {
    const grant = grantOf(settings.grantType, settings.username, settings.password)
    if (Either.isLeft(grant)) return Either.left(grant.left)
    return Either.right({
      tokenUrl: settings.tokenUrl,
      issuer: settings.issuer,
      clientId: settings.clientId,
      clientSecret: Option.getOrUndefined(settings.clientSecret),
      clientAuthentication: settings.clientAuthentication,
      grant: grant.right,
      scope: settings.scope,
      parameters: settings.audience === undefined ? undefined : { audience: settings.audience },
      revocationUrl: settings.revocationUrl
    })
  })
)

/** The grant `OAUTH2_GRANT_TYPE` names; the password grant needs a username and a password. */
function grantOf(
  grantType: (typeof grantTypes)[number] | undefined,
  username: string | undefined,
  password: Option.Option<Redacted.Redacted<string>>
): Either.Either<Grant.Grant | undefined, ConfigError.ConfigError> {
  if (grantType === undefined) return Either.right(undefined)
  if (grantType === "client_credentials") return Either.right(Grant.clientCredentials)
  if (username === undefined) return Either.left(ConfigError.MissingData([variable("username")], "is not set"))
  if (Option.isNone(password)) return Either.left(ConfigError.MissingData([variable("password")], "is not set"))
  if (Redacted.value(password.value).trim() === "") return Either.left(emptyVariable(variable("password")))
  return Either.right(Grant.password({ username, password: password.value }))
}

