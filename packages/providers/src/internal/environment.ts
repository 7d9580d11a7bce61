/**
 * A provider's environment, read through Effect `Config` by its record: each variable
 * fills the option the record names, required ones must be non-blank, optional ones may
 * be absent, and alternative credentials (Bitquery: an application, or a console token)
 * come in the shapes of the provider's credentials file, the first usable shape winning.
 *
 * @internal
 */
import { Provider as ProviderData } from "@effect-bearer/kernel"
import { Config, ConfigError, Effect, Either, Option, Redacted } from "effect"
import type { TokenError } from "@effect-bearer/core"
import { Configurable } from "@effect-bearer/core"
import { emptyVariable, load, nonBlankRedacted, nonBlankString, optionalOneOf, optionalString } from "./settings.js"

/**
 * What the environment says: the options the variables fill, by option name; unset
 * optional variables are absent.
 * @internal
 */
export type Settings = Readonly<Record<string, string | Redacted.Redacted<string>>>

type Value = string | Redacted.Redacted<string> | undefined

const single = (variable: ProviderData.Variable): Config.Config<Value> =>
  variable.requirement === "required"
    ? variable.secret ? nonBlankRedacted(variable.name) : nonBlankString(variable.name)
    : variable.allowedValues !== undefined
    ? optionalOneOf(variable.name, variable.allowedValues)
    : variable.secret
    ? Config.map(optionalString(variable.name), (value) => value === undefined ? undefined : Redacted.make(value))
    : optionalString(variable.name)

const isBlank = (value: string) => value.trim() === ""

/**
 * The alternative credential variables, grouped by the credentials-file shape whose
 * options they fill: the first group with a usable variable must be complete; with none
 * usable, the error names the first variable set but empty, or asks for the first one.
 */
const alternatives = (provider: ProviderData.Provider): Config.Config<Settings> => {
  const variables = provider.environment.variables.filter((variable) => variable.requirement === "alternative")
  const groups = provider.credentialsFile.shapes
    .map((shape) => shape.fields.flatMap((field) => variables.filter((variable) => variable.fills === field.fills)))
    .filter((group) => group.length > 0)
  return Config.all(variables.map((variable) => Config.option(Config.string(variable.name)))).pipe(
    Config.mapOrFail((raw): Either.Either<Settings, ConfigError.ConfigError> => {
      const found = new Map(variables.map((variable, index) => [variable.name, raw[index] ?? Option.none<string>()]))
      const usable = (variable: ProviderData.Variable) => Option.exists(found.get(variable.name)!, (value) => !isBlank(value))
      const missing = (variable: ProviderData.Variable) =>
        Option.isSome(found.get(variable.name)!)
          ? emptyVariable(variable.name)
          : ConfigError.MissingData([variable.name], "is not set")
      const chosen = groups.find((group) => group.some(usable))
      if (chosen !== undefined) {
        const settings: Record<string, string | Redacted.Redacted<string>> = {}
        for (const variable of chosen) {
          const value = found.get(variable.name)!
          if (!usable(variable) || Option.isNone(value)) return Either.left(missing(variable))
          settings[variable.fills] = variable.secret ? Redacted.make(value.value) : value.value
        }
        return Either.right(settings)
      }
      const setButEmpty = variables.find((variable) => Option.isSome(found.get(variable.name)!))
      const first = variables[0]
      return Either.left(
        setButEmpty !== undefined
          ? emptyVariable(setButEmpty.name)
          : ConfigError.MissingData([first?.name ?? ""], "is not set")
      )
    })
  )
}

/**
 * The provider's environment as one `Config`.
 * @internal
 */
export const config = (provider: ProviderData.Provider): Config.Config<Settings> => {
  const singles = provider.environment.variables.filter((variable) => variable.requirement !== "alternative")
  const hasAlternatives = singles.length < provider.environment.variables.length
  return Config.all([
    Config.all(singles.map(single)),
    hasAlternatives ? alternatives(provider) : Config.succeed<Settings>({})
  ]).pipe(Config.map(([values, chosen]) => {
    const settings: Record<string, string | Redacted.Redacted<string>> = { ...chosen }
    singles.forEach((variable, index) => {
      const value = values[index]
      if (value !== undefined) settings[variable.fills] = value
    })
    return settings
  }))
}

/**
 * What to say about each variable when it is missing or unusable, by name.
 * @internal
 */
export const descriptions = (provider: ProviderData.Provider): Readonly<Record<string, string>> =>
  Object.fromEntries(
    provider.environment.variables.flatMap((variable) => {
      const advice = ProviderData.advice(variable)
      return advice === undefined ? [] : [[variable.name, advice]]
    })
  )

/**
 * The provider's settings without its credentials (the token URL, the region…), for
 * when a credentials file holds those.
 * @internal
 */
export const settingsConfig = (provider: ProviderData.Provider): Config.Config<Settings> => {
  const settings = provider.environment.variables.filter((variable) => variable.kind === "setting")
  return config({ ...provider, environment: { ...provider.environment, variables: settings } })
}

/**
 * The options of a `makeConfig` as given in code, read: `values` holds the plain fields
 * and what the `Config` fields read, `configured` the names of the `Config` fields.
 * @internal
 */
export interface GivenOptions {
  readonly values: Readonly<Record<string, unknown>>
  readonly configured: ReadonlySet<string>
}

/**
 * Reads the `Config` fields of the options (all at once); one that fails names its own
 * variable (`MY_SECRET is not set`), never its value.
 * @internal
 */
export const readOptions = (options: object): Effect.Effect<GivenOptions, TokenError.InvalidConfiguration> => {
  const configured = new Set(Object.entries(options).filter(([, value]) => Config.isConfig(value)).map(([key]) => key))
  return Effect.map(
    load(Configurable.unwrap(options as Configurable.Configurable<Record<string, unknown>>), {}),
    (values) => ({ values, configured })
  )
}

/**
 * The record as the options leave it to read: a field given as a `Config` is not read
 * from its variable; a field given as a plain value makes its variable optional (set, the
 * variable still wins); a given alternative credential chooses its group (Bitquery's
 * application over its console token), whose other variables become required.
 * @internal
 */
export const givenRecord = (provider: ProviderData.Provider, given: GivenOptions): ProviderData.Provider => {
  const isGiven = (option: string) => given.values[option] !== undefined
  const chosen = provider.credentialsFile.shapes.find((shape) =>
    shape.fields.some((field) =>
      isGiven(field.fills) &&
      provider.environment.variables.some((variable) =>
        variable.requirement === "alternative" && variable.fills === field.fills
      )
    )
  )
  const variables = provider.environment.variables.flatMap((variable): ReadonlyArray<ProviderData.Variable> => {
    if (given.configured.has(variable.fills)) return []
    if (variable.requirement === "alternative" && chosen !== undefined) {
      if (!chosen.fields.some((field) => field.fills === variable.fills)) return []
      return [{ ...variable, requirement: isGiven(variable.fills) ? "optional" : "required" }]
    }
    return [variable.requirement === "required" && isGiven(variable.fills) ? { ...variable, requirement: "optional" } : variable]
  })
  return { ...provider, environment: { ...provider.environment, variables } }
}
