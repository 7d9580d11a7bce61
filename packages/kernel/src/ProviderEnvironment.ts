/**
 * A provider's environment read by its record, as plain TypeScript: each line of the
 * library hands in a `lookup` (its `Config`, its `ConfigProvider`) and gets the options
 * the variables fill, or the first problem, naming the variable and saying what it should
 * hold, never what it holds. The rules: a required variable must be non-blank; an optional
 * one may be absent or blank (the default then stands); a variable with allowed values
 * must hold one of them; alternative credentials (Bitquery: an application, or a console
 * token) come in the shapes of the provider's credentials file, the first usable shape winning.
 *
 * @since 0.1.0
 */
import type { Provider, Variable } from "./Provider.js"
import { advice, variableFor } from "./Provider.js"
import { checkEndpoint } from "./Url.js"

/**
 * A variable's raw value, or `undefined` when it is not set.
 *
 * @since 0.1.0
 */
export type Lookup = (name: string) => string | undefined

/**
 * One option's value as the environment gives it; `secret` ones go straight into the
 * line's `Redacted`.
 *
 * @since 0.1.0
 */
export interface Value {
  readonly value: string
  readonly secret: boolean
}

/**
 * What a variable is wrong with: its name (without any prefix) and the problem, with the
 * record's advice (`is not set: set it to the client_secret of your Hydrosat creds.json`).
 *
 * @since 0.1.0
 */
export interface Problem {
  readonly variable: string
  readonly problem: string
}

/**
 * The options the environment fills, by option name, or the first problem.
 *
 * @since 0.1.0
 */
export type Read =
  | { readonly _tag: "Settings"; readonly settings: Readonly<Record<string, Value>> }
  | { readonly _tag: "Problem"; readonly problem: Problem }

/**
 * The problem of a variable set but empty or only whitespace.
 *
 * @since 0.1.0
 */
export const emptyProblem = "is empty"

/**
 * The problem of a variable whose value is not one of its allowed values (never quoted).
 *
 * @since 0.1.0
 */
export const notAllowedProblem = "is not one of the allowed values"

const isBlank = (value: string | undefined): boolean => value === undefined || value.trim() === ""

const withAdvice = (variable: Variable, problem: string): Problem => {
  const description = advice(variable)
  return { variable: variable.name, problem: description === undefined ? problem : `${problem}: set it to ${description}` }
}

/**
 * A variable's problem: unset, empty or not allowed, with the record's advice.
 *
 * @since 0.1.0
 */
export const problemOf = (variable: Variable, kind: "missing" | "empty" | "notAllowed"): Problem =>
  withAdvice(variable, kind === "missing" ? "is not set" : kind === "empty" ? emptyProblem : notAllowedProblem)

type Single = { readonly value: Value | undefined } | { readonly problem: Problem }

const readSingle = (variable: Variable, lookup: Lookup): Single => {
  const raw = lookup(variable.name)
  if (variable.requirement === "required") {
    if (raw === undefined) return { problem: problemOf(variable, "missing") }
    if (isBlank(raw)) return { problem: problemOf(variable, "empty") }
    return { value: { value: raw, secret: variable.secret } }
  }
  if (isBlank(raw)) return { value: undefined }
  if (variable.allowedValues !== undefined && !variable.allowedValues.includes(raw!)) {
    return { problem: problemOf(variable, "notAllowed") }
  }
  return { value: { value: raw!, secret: variable.secret } }
}

/**
 * The alternative credential variables, grouped by the credentials-file shape whose
 * options they fill: the first group with a usable variable must be complete; with none
 * usable, the problem names the first variable set but empty, or asks for the first one.
 */
const readAlternatives = (provider: Provider, lookup: Lookup): Read => {
  const variables = provider.environment.variables.filter((variable) => variable.requirement === "alternative")
  if (variables.length === 0) return { _tag: "Settings", settings: {} }
  const groups = provider.credentialsFile.shapes
    .map((shape) => shape.fields.flatMap((field) => variables.filter((variable) => variable.fills === field.fills)))
    .filter((group) => group.length > 0)
  const found = new Map(variables.map((variable) => [variable.name, lookup(variable.name)]))
  const usable = (variable: Variable) => !isBlank(found.get(variable.name))
  const chosen = groups.find((group) => group.some(usable))
  if (chosen !== undefined) {
    const settings: Record<string, Value> = {}
    for (const variable of chosen) {
      const raw = found.get(variable.name)
      if (raw === undefined) return { _tag: "Problem", problem: problemOf(variable, "missing") }
      if (isBlank(raw)) return { _tag: "Problem", problem: problemOf(variable, "empty") }
      settings[variable.fills] = { value: raw, secret: variable.secret }
    }
    return { _tag: "Settings", settings }
  }
  const setButEmpty = variables.find((variable) => found.get(variable.name) !== undefined)
  return { _tag: "Problem", problem: problemOf(setButEmpty ?? variables[0]!, setButEmpty ? "empty" : "missing") }
}

/**
 * Reads the variables the record lists, in its order, the alternative credentials last.
 *
 * @example
 * import { ProviderEnvironment, Providers } from "@effect-bearer/kernel"
 *
 * const read = ProviderEnvironment.read(Providers.hydrosat, (name) => ({ HYDROSAT_CLIENT_ID: "id" })[name])
 * // { _tag: "Problem", problem: { variable: "HYDROSAT_CLIENT_SECRET", problem: "is not set: set it to …" } }
 *
 * @since 0.1.0
 */
export const read = (provider: Provider, lookup: Lookup): Read => {
  const settings: Record<string, Value> = {}
  for (const variable of provider.environment.variables) {
    if (variable.requirement === "alternative") continue
    const single = readSingle(variable, lookup)
    if ("problem" in single) return { _tag: "Problem", problem: single.problem }
    if (single.value !== undefined) settings[variable.fills] = single.value
  }
  const alternatives = readAlternatives(provider, lookup)
  return alternatives._tag === "Problem" ? alternatives : { _tag: "Settings", settings: { ...alternatives.settings, ...settings } }
}

/**
 * The record with only its settings (token URL, region…), for when a credentials file
 * holds the credentials.
 *
 * @since 0.1.0
 */
export const settingsOnly = (provider: Provider): Provider => ({
  ...provider,
  environment: {
    ...provider.environment,
    variables: provider.environment.variables.filter((variable) => variable.kind === "setting")
  }
})

/**
 * The options of a `makeConfig` as given in code: `isGiven` says whether an option has a
 * value (plain, or read from its `Config`), `configured` names those given as a `Config`.
 *
 * @since 0.1.0
 */
export interface Given {
  readonly isGiven: (option: string) => boolean
  readonly configured: ReadonlySet<string>
}

/**
 * The record as the options leave it to read: a field given as a `Config` is not read
 * from its variable; a field given as a plain value makes its variable optional (set, the
 * variable still wins); a given alternative credential chooses its group (Bitquery's
 * application over its console token), whose other variables become required.
 *
 * @since 0.1.0
 */
export const givenRecord = (provider: Provider, given: Given): Provider => {
  const chosen = provider.credentialsFile.shapes.find((shape) =>
    shape.fields.some((field) =>
      given.isGiven(field.fills) &&
      provider.environment.variables.some((variable) =>
        variable.requirement === "alternative" && variable.fills === field.fills
      )
    )
  )
  const variables = provider.environment.variables.flatMap((variable): ReadonlyArray<Variable> => {
    if (given.configured.has(variable.fills)) return []
    if (variable.requirement === "alternative" && chosen !== undefined) {
      if (!chosen.fields.some((field) => field.fills === variable.fills)) return []
      return [{ ...variable, requirement: given.isGiven(variable.fills) ? "optional" : "required" }]
    }
    return [
      variable.requirement === "required" && given.isGiven(variable.fills) ? { ...variable, requirement: "optional" } : variable
    ]
  })
  return { ...provider, environment: { ...provider.environment, variables } }
}

/**
 * The problem of a token URL with credentials in it (the curl habit,
 * `https://$PROJ:$PKEY@api.up42.com/oauth/token`): which variables take them instead,
 * never the URL (it holds a secret); `undefined` for a URL without credentials.
 *
 * @since 0.1.0
 */
export const credentialsInUrlProblem = (provider: Provider, url: string | undefined): string | undefined => {
  if (url === undefined || checkEndpoint(url)._tag !== "CarriesCredentials") return undefined
  const names = provider.credentials
  const options = [names.clientId ?? names.username, names.clientSecret ?? names.password]
    .filter((name) => name !== undefined)
  const documented = provider.regions[0]?.tokenUrl
  return `carries credentials (user:password@ before the host): set ${provider.environment.summary} instead` +
    ` (the ${options.join(" and ")} options in code)` +
    (documented === undefined ? ", and a token URL without them" : `, and leave the token URL unset (${documented})`)
}

/**
 * The problem of a credentials-file variable set where nothing reads files: what to
 * provide, or which variables to set instead.
 *
 * @since 0.1.0
 */
export const noFileReaderProblem = (provider: Provider, reader: string): string =>
  `is set, but nothing here reads credentials files: provide ${reader}` +
  ` (on Node), or set the credentials themselves (${
    provider.environment.variables
      .filter((variable) => variable.kind === "credential")
      .map((variable) => variable.name)
      .join(" and ")
  })`

/**
 * An instant as a user writes it in a variable: epoch seconds (`1767225599`) or an ISO
 * 8601 date (`2026-12-31T23:59:59Z`); `undefined` for anything else.
 *
 * @since 0.1.0
 */
export const parseInstant = (text: string): Date | undefined => {
  const trimmed = text.trim()
  if (/^\d+$/.test(trimmed)) return new Date(Number(trimmed) * 1000)
  if (!/^\d{4}-\d{2}-\d{2}/.test(trimmed)) return undefined
  const millis = Date.parse(trimmed)
  return Number.isNaN(millis) ? undefined : new Date(millis)
}

/**
 * The static token's expiry (`BITQUERY_ACCESS_TOKEN_EXPIRES_AT`) from the options it
 * fills: the instant, none when unset, or the problem of a value that is no date.
 *
 * @since 0.1.0
 */
export const staticExpiry = (
  provider: Provider,
  options: Readonly<Record<string, unknown>>
): { readonly expiresAt: Date | undefined } | { readonly problem: Problem } => {
  const variable = provider.environment.variables.find((known) => known.name === provider.staticToken?.expiresAtVariable)
  const text = variable === undefined ? undefined : options[variable.fills]
  if (variable === undefined || typeof text !== "string") return { expiresAt: undefined }
  const instant = parseInstant(text)
  return instant !== undefined
    ? { expiresAt: instant }
    : { problem: { variable: variable.name, problem: `is not a date: set it to ${variable.description}` } }
}

/**
 * The option the record's static token variable fills (Bitquery: `accessToken`), if any.
 *
 * @since 0.1.0
 */
export const staticTokenOption = (provider: Provider): string | undefined =>
  provider.environment.variables.find((variable) => variable.name === provider.staticToken?.variable)?.fills

/**
 * The record's token URL variable (`UP42_PROJECT_TOKEN_URL`), if it has one.
 *
 * @since 0.1.0
 */
export const tokenUrlVariable = (provider: Provider): string | undefined => variableFor(provider, "tokenUrl")?.name
