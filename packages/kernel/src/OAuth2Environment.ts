/**
 * `OAUTH2_*`: the environment of any OAuth2 client as plain TypeScript, its variable names
 * from the record, with the grant `OAUTH2_GRANT_TYPE` names and its username and password;
 * and the precedence of `makeConfig`'s options over it. Each line of the library reads
 * the variables through its own `Config` and builds its own `Grant`.
 *
 * @since 0.1.0
 */
import type { ClientAuthenticationMethod, GrantType, Provider, Variable } from "./Provider.js"
import { clientAuthenticationMethods, grantTypes, variableFor } from "./Provider.js"
import type { Given, Lookup, Problem } from "./ProviderEnvironment.js"
import { givenRecord, problemOf } from "./ProviderEnvironment.js"

/**
 * The grant `OAUTH2_GRANT_TYPE` names, with the password grant's username and password.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.3
 * @since 0.1.0
 */
export type Grant =
  | { readonly grantType: "client_credentials" }
  | { readonly grantType: "password"; readonly username: string; readonly password: string }

/**
 * What the environment says; unset settings are `undefined`, secrets plain (the caller
 * wraps them at once).
 *
 * @since 0.1.0
 */
export interface Settings {
  readonly tokenUrl: string | undefined
  readonly issuer: string | undefined
  /** Absent when the record leaves it out (given as a `Config`) or a plain default stands. */
  readonly clientId: string | undefined
  readonly clientSecret: string | undefined
  readonly clientAuthentication: ClientAuthenticationMethod | undefined
  readonly grant: Grant | undefined
  readonly scope: string | undefined
  readonly parameters: Readonly<Record<string, string>> | undefined
  readonly revocationUrl: string | undefined
}

/**
 * Reads the variables the record lists (as `givenRecord` leaves it): `OAUTH2_TOKEN_URL` or
 * `OAUTH2_ISSUER`, `OAUTH2_CLIENT_ID`, `OAUTH2_CLIENT_SECRET` (absent for a public client,
 * refused when blank), and optionally `OAUTH2_CLIENT_AUTHENTICATION`, `OAUTH2_GRANT_TYPE`
 * (with `OAUTH2_USERNAME` and `OAUTH2_PASSWORD` for `password`), `OAUTH2_SCOPE`,
 * `OAUTH2_AUDIENCE` and `OAUTH2_REVOCATION_URL`. The first problem, in that order, wins.
 *
 * @since 0.1.0
 */
export const read = (
  record: Provider,
  lookup: Lookup
): { readonly _tag: "Settings"; readonly settings: Settings } | { readonly _tag: "Problem"; readonly problem: Problem } => {
  let problem: Problem | undefined
  const listed = <A>(option: string, reader: (variable: Variable, raw: string | undefined) => A | Problem): A | undefined => {
    const variable = variableFor(record, option)
    if (variable === undefined || problem !== undefined) return undefined
    const value = reader(variable, lookup(variable.name))
    if (typeof value === "object" && value !== null && "problem" in value && "variable" in value) {
      problem = value as Problem
      return undefined
    }
    return value as A
  }
  const blank = (raw: string | undefined) => raw === undefined || raw.trim() === ""
  const optional = (option: string) => listed(option, (_, raw) => blank(raw) ? undefined : raw)
  const oneOf = <const Values extends ReadonlyArray<string>>(option: string, values: Values) =>
    listed(option, (variable, raw): Values[number] | undefined | Problem =>
      blank(raw) ? undefined : values.includes(raw!) ? raw as Values[number] : problemOf(variable, "notAllowed"))
  const tokenUrl = optional("tokenUrl")
  const issuer = optional("issuer")
  // Optional when a plain client id is given as the default.
  const clientId = listed("clientId", (variable, raw) =>
    variable.requirement === "required"
      ? raw === undefined ? problemOf(variable, "missing") : blank(raw) ? problemOf(variable, "empty") : raw
      : blank(raw) ? undefined : raw)
  const clientSecret = listed("clientSecret", (variable, raw) => raw !== undefined && blank(raw) ? problemOf(variable, "empty") : raw)
  const clientAuthentication = oneOf("clientAuthentication", clientAuthenticationMethods)
  const grantType = oneOf("grantType", grantTypes)
  // Read as given: a blank username is refused as empty by the password grant, not taken as unset.
  const username = listed("username", (_, raw) => raw)
  const password = listed("password", (_, raw) => raw)
  const scope = optional("scope")
  const audience = optional("audience")
  const revocationUrl = optional("revocationUrl")
  if (problem !== undefined) return { _tag: "Problem", problem }
  const grant = grantOf(record, grantType, username, password)
  if ("problem" in grant) return { _tag: "Problem", problem: grant.problem }
  return {
    _tag: "Settings",
    settings: {
      tokenUrl,
      issuer,
      clientId,
      clientSecret,
      clientAuthentication,
      grant: grant.grant,
      scope,
      parameters: audience === undefined ? undefined : { audience },
      revocationUrl
    }
  }
}

/** The grant `OAUTH2_GRANT_TYPE` names; the password grant needs a username and a password. */
const grantOf = (
  record: Provider,
  grantType: GrantType | undefined,
  username: string | undefined,
  password: string | undefined
): { readonly grant: Grant | undefined } | { readonly problem: Problem } => {
  if (grantType === undefined) return { grant: undefined }
  if (grantType === "client_credentials") return { grant: { grantType } }
  const variable = (option: string): Variable =>
    variableFor(record, option) ?? {
      name: option,
      fills: option,
      kind: "credential",
      secret: false,
      requirement: "conditional",
      description: option
    }
  const check = (option: string, value: string | undefined) =>
    value === undefined
      ? problemOf(variable(option), "missing")
      : value.trim() === ""
      ? problemOf(variable(option), "empty")
      : undefined
  const problem = check("username", username) ?? check("password", password)
  return problem !== undefined ? { problem } : { grant: { grantType, username: username!, password: password! } }
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
 *
 * @since 0.1.0
 */
export const recordFor = (provider: Provider, given: Given): Provider =>
  givenRecord(provider, {
    ...given,
    configured: new Set([...given.configured].flatMap((option) => standsFor[option] ?? [option]))
  })

/**
 * Where the endpoint comes from: a `Config` option (not read from the environment) > the
 * environment > a plain option. The token URL and the issuer are one choice: whichever of
 * them the highest source sets, and only from that source.
 *
 * @since 0.1.0
 */
export const endpointOf = (
  configured: ReadonlySet<string>,
  values: { readonly tokenUrl?: string | undefined; readonly issuer?: string | undefined },
  settings: Pick<Settings, "tokenUrl" | "issuer">
): { readonly tokenUrl: string | undefined; readonly issuer: string | undefined } =>
  configured.has("tokenUrl") || configured.has("issuer")
    ? {
      tokenUrl: configured.has("tokenUrl") ? values.tokenUrl : undefined,
      issuer: configured.has("issuer") ? values.issuer : undefined
    }
    : settings.tokenUrl !== undefined || settings.issuer !== undefined
    ? { tokenUrl: settings.tokenUrl, issuer: settings.issuer }
    : { tokenUrl: values.tokenUrl, issuer: values.issuer }

/**
 * The client authentication method: the one given, else `none` without a secret, else
 * `client_secret_post` when the server (per discovery) supports only that, else
 * `client_secret_basic` (which RFC 6749 §2.3.1 makes every server support); `undefined`
 * for a given value that is no method (a secret passed in the wrong place, never echoed).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 * @since 0.1.0
 */
export const clientAuthenticationMethod = (
  given: string | undefined,
  hasSecret: boolean,
  supported: ReadonlyArray<string>
): ClientAuthenticationMethod | undefined => {
  if (given !== undefined) {
    return (clientAuthenticationMethods as ReadonlyArray<string>).includes(given)
      ? given as ClientAuthenticationMethod
      : undefined
  }
  return !hasSecret
    ? "none"
    : !supported.includes("client_secret_basic") && supported.includes("client_secret_post")
    ? "client_secret_post"
    : "client_secret_basic"
}

/**
 * {@link clientAuthenticationMethod} with the problems of a choice that cannot work: a value
 * that is no method (never echoed: it may be a secret passed in the wrong place), a secret
 * with `none`, or a method that needs a secret without one; each names its option.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 * @since 0.1.0
 */
export const clientAuthenticationChoice = (
  given: string | undefined,
  hasSecret: boolean,
  supported: ReadonlyArray<string>
): { readonly method: ClientAuthenticationMethod } | { readonly problem: Problem } => {
  const method = clientAuthenticationMethod(given, hasSecret, supported)
  if (method === undefined) {
    return {
      problem: {
        variable: "clientAuthentication",
        problem: "is not a client authentication method: use client_secret_basic, client_secret_post or none"
      }
    }
  }
  if (method === "none" && hasSecret) {
    return {
      problem: {
        variable: "clientSecret",
        problem: "is set but clientAuthentication is none: choose client_secret_basic or client_secret_post"
      }
    }
  }
  if (method !== "none" && !hasSecret) return { problem: { variable: "clientSecret", problem: `is needed for ${method}` } }
  return { method }
}

/**
 * The options `OAuth2.make` gets from `makeConfig`'s options (`given`) and the environment
 * (`settings`): a `Config` option (whose variables were not read) > the environment > a plain
 * option; the token URL and the issuer come together from the highest source setting either
 * ({@link endpointOf}); `parameters` merge, the environment's `audience` over plain ones and
 * under configured ones. Each line makes its own secret (`Redacted`) and `Grant` through `make`.
 *
 * @since 0.1.0
 */
export const optionsOf = <Secret, LineGrant>(
  given: { readonly values: Readonly<Record<string, unknown>>; readonly configured: ReadonlySet<string> },
  settings: Settings,
  make: { readonly secret: (value: string) => Secret; readonly grant: (grant: Grant) => LineGrant }
): Readonly<Record<string, unknown>> => {
  const values = given.values as Readonly<Record<string, any>>
  return {
    ...values,
    ...endpointOf(given.configured, values, settings),
    // Required by the record unless given: present here, as a Config's value, the variable's or the default.
    clientId: settings.clientId ?? values["clientId"],
    clientSecret: settings.clientSecret === undefined ? values["clientSecret"] : make.secret(settings.clientSecret),
    clientAuthentication: settings.clientAuthentication ?? values["clientAuthentication"],
    grant: settings.grant === undefined ? values["grant"] : make.grant(settings.grant),
    scope: settings.scope ?? values["scope"],
    parameters: given.configured.has("parameters")
      ? { ...settings.parameters, ...values["parameters"] }
      : { ...values["parameters"], ...settings.parameters },
    revocationUrl: settings.revocationUrl ?? values["revocationUrl"]
  }
}
