/**
 * `OAUTH2_*`: the environment of any OAuth2 client, its variable names from the record,
 * with the grant `OAUTH2_GRANT_TYPE` names and its username and password.
 *
 * @internal
 */
import { Provider as ProviderData, Providers } from "@effect-bearer/kernel"
import { Config, ConfigError, Either, Option, Redacted } from "effect"
import { Grant } from "@effect-bearer/core"
import type { Options } from "../OAuth2.js"
import type { ClientAuthenticationMethod } from "../Provider.js"
import type { GivenOptions } from "./environment.js"
import { givenRecord } from "./environment.js"
import { emptyVariable, nonBlankRedacted, nonBlankString, optionalOneOf, optionalString } from "./settings.js"

const provider = Providers.oauth2

const grantTypes = ProviderData.grantTypes

/** The record's variable for an option, e.g. `tokenUrl` → `OAUTH2_TOKEN_URL`. */
const variable = (option: string): string => ProviderData.variableFor(provider, option)?.name ?? option

/** What {@link config} reads from the environment; unset settings are `undefined`. */
export interface Settings {
  readonly tokenUrl: string | undefined
  readonly issuer: string | undefined
  /** Absent when the record leaves it out (given as a `Config`) or a plain default stands. */
  readonly clientId: string | undefined
  readonly clientSecret: Redacted.Redacted<string> | undefined
  readonly clientAuthentication: ClientAuthenticationMethod | undefined
  readonly grant: Grant.Grant | undefined
  readonly scope: string | undefined
  readonly parameters: Readonly<Record<string, string>> | undefined
  readonly revocationUrl: string | undefined
}

/**
 * The environment variables the record lists: `OAUTH2_TOKEN_URL` or `OAUTH2_ISSUER`,
 * `OAUTH2_CLIENT_ID`, `OAUTH2_CLIENT_SECRET` (read as a `Redacted`; absent for a public
 * client), and optionally `OAUTH2_CLIENT_AUTHENTICATION` (`client_secret_basic`,
 * `client_secret_post` or `none`), `OAUTH2_GRANT_TYPE` (`client_credentials` or
 * `password`, with `OAUTH2_USERNAME` and `OAUTH2_PASSWORD`), `OAUTH2_SCOPE`,
 * `OAUTH2_AUDIENCE` and `OAUTH2_REVOCATION_URL`. A variable the record (as
 * `givenRecord` leaves it) does not list is not read: its option was given as a `Config`.
 */
export const config = (record: ProviderData.Provider): Config.Config<Settings> => {
  /** The variable for an option, read by `reader` when the record lists it; otherwise absent. */
  const listed = <A>(option: string, reader: (variable: ProviderData.Variable) => Config.Config<A>) => {
    const found = ProviderData.variableFor(record, option)
    return found === undefined ? Config.succeed(undefined) : Config.map(reader(found), (value): A | undefined => value)
  }
  const optional = (option: string) => listed(option, (found) => optionalString(found.name))
  return Config.all({
    tokenUrl: optional("tokenUrl"),
    issuer: optional("issuer"),
    // Optional when a plain client id is given as the default.
    clientId: listed("clientId", (found) =>
      found.requirement === "required" ? nonBlankString(found.name) : optionalString(found.name)),
    clientSecret: listed("clientSecret", (found) =>
      Config.map(Config.option(nonBlankRedacted(found.name)), Option.getOrUndefined)),
    clientAuthentication: listed(
      "clientAuthentication",
      (found) => optionalOneOf(found.name, ProviderData.clientAuthenticationMethods)
    ),
    grantType: listed("grantType", (found) => optionalOneOf(found.name, grantTypes)),
    // Read as given: a blank username is refused as empty by the password grant, not taken as unset.
    username: listed("username", (found) => Config.map(Config.option(Config.string(found.name)), Option.getOrUndefined)),
    password: listed("password", (found) => Config.option(Config.redacted(found.name))),
    scope: optional("scope"),
    audience: optional("audience"),
    revocationUrl: optional("revocationUrl")
  }).pipe(
    Config.mapOrFail((settings) => {
      const grant = grantOf(settings.grantType, settings.username, settings.password ?? Option.none())
      if (Either.isLeft(grant)) return Either.left(grant.left)
      return Either.right({
        tokenUrl: settings.tokenUrl,
        issuer: settings.issuer,
        clientId: settings.clientId,
        clientSecret: settings.clientSecret,
        clientAuthentication: settings.clientAuthentication,
        grant: grant.right,
        scope: settings.scope,
        parameters: settings.audience === undefined ? undefined : { audience: settings.audience },
        revocationUrl: settings.revocationUrl
      })
    })
  )
}

/** The grant `OAUTH2_GRANT_TYPE` names; the password grant needs a username and a password. */
function grantOf(
  grantType: (typeof grantTypes)[number] | undefined,
  username: string | undefined,
  password: Option.Option<Redacted.Redacted<string>>
): Either.Either<Grant.Grant | undefined, ConfigError.ConfigError> {
  if (grantType === undefined) return Either.right(undefined)
  if (grantType === "client_credentials") return Either.right(Grant.clientCredentials)
  if (username === undefined) return Either.left(ConfigError.MissingData([variable("username")], "is not set"))
  if (username.trim() === "") return Either.left(emptyVariable(variable("username")))
  if (Option.isNone(password)) return Either.left(ConfigError.MissingData([variable("password")], "is not set"))
  if (Redacted.value(password.value).trim() === "") return Either.left(emptyVariable(variable("password")))
  return Either.right(Grant.password({ username, password: password.value }))
}


/**
 * Options given as `Config`s that stand for more than their own variable: the token URL
 * and the issuer name the endpoint together (a `Config` for either, and neither variable
 * is read); a `grant` replaces `OAUTH2_GRANT_TYPE` with its username and password.
 */
const standsFor: Readonly<Record<string, ReadonlyArray<string>>> = {
  tokenUrl: ["tokenUrl", "issuer"],
  issuer: ["tokenUrl", "issuer"],
  grant: ["grantType", "username", "password"]
}

/**
 * The record as the options leave it to read (the generic `givenRecord`), with the
 * variables a `Config` option stands for left out too.
 * @internal
 */
export const recordFor = (given: GivenOptions): ProviderData.Provider =>
  givenRecord(provider, {
    ...given,
    configured: new Set([...given.configured].flatMap((option) => standsFor[option] ?? [option]))
  })

/**
 * The options `OAuth2.make` gets: a `Config` option (not read from the environment, so
 * absent from `settings`) > the environment > a plain option. The token URL and the issuer
 * are one choice: whichever of them the highest source sets, and only from that source.
 * @internal
 */
export const optionsOf = (given: GivenOptions, settings: Settings): Options => {
  const values = given.values as Partial<Options>
  const endpointConfigured = given.configured.has("tokenUrl") || given.configured.has("issuer")
  const endpoint = endpointConfigured
    ? {
      tokenUrl: given.configured.has("tokenUrl") ? values.tokenUrl : undefined,
      issuer: given.configured.has("issuer") ? values.issuer : undefined
    }
    : settings.tokenUrl !== undefined || settings.issuer !== undefined
    ? { tokenUrl: settings.tokenUrl, issuer: settings.issuer }
    : { tokenUrl: values.tokenUrl, issuer: values.issuer }
  const parameters = given.configured.has("parameters")
    ? { ...settings.parameters, ...values.parameters }
    : { ...values.parameters, ...settings.parameters }
  return {
    ...values,
    ...endpoint,
    // Required by the record unless given: present here, as a Config's value, the variable's or the default.
    clientId: (settings.clientId ?? values.clientId)!,
    clientSecret: settings.clientSecret ?? values.clientSecret,
    clientAuthentication: settings.clientAuthentication ?? values.clientAuthentication,
    grant: settings.grant ?? values.grant,
    scope: settings.scope ?? values.scope,
    parameters,
    revocationUrl: settings.revocationUrl ?? values.revocationUrl
  }
}
