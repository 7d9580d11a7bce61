/**
 * Effect 3's `Config` in front of the kernel's `ProviderEnvironment`: the record's variables
 * are read raw through the `ConfigProvider` in context (nested under a prefix), the kernel
 * decides what they mean, and every problem becomes `InvalidConfiguration` naming the
 * variable, never its value.
 *
 * @internal
 */
import type { Provider } from "@effect-bearer/kernel"
import * as ProviderEnvironment from "@effect-bearer/kernel/ProviderEnvironment"
import { Config, Effect, Option, Redacted } from "effect"
import { Configurable, TokenError } from "@effect-bearer/core"
import { load } from "./settings.js"

/**
 * What the environment says: the options the variables fill, by option name, secrets
 * `Redacted`; unset optional variables are absent.
 * @internal
 */
export type Settings = Readonly<Record<string, string | Redacted.Redacted<string>>>

/**
 * `FIELDS_UP42_PROJECT_ID` for the variable `UP42_PROJECT_ID` under the prefix `FIELDS`.
 * @internal
 */
export const prefixed = (name: string, prefix: string | undefined): string =>
  prefix === undefined ? name : `${prefix}_${name}`

/**
 * A kernel problem as the library's error, its variable under the prefix.
 * @internal
 */
export const invalid = (problem: ProviderEnvironment.Problem, prefix: string | undefined) =>
  new TokenError.InvalidConfiguration({ setting: prefixed(problem.variable, prefix), problem: problem.problem })

/**
 * The raw values of the variables named (nested under the prefix), for the kernel's `lookup`.
 * @internal
 */
export const lookupOf = (
  names: ReadonlyArray<string>,
  prefix: string | undefined
): Effect.Effect<ProviderEnvironment.Lookup, TokenError.InvalidConfiguration> =>
  Effect.map(
    load(Config.all(names.map((name) => Config.option(Config.string(name)))), prefix),
    (values) => {
      const found = new Map(names.map((name, index) => [name, Option.getOrUndefined(values[index]!)]))
      return (name) => found.get(name)
    }
  )

/**
 * The record's variables (under the prefix) read by the kernel's rules; secrets `Redacted` at once.
 * @internal
 */
export const readEnvironment = (
  provider: Provider.Provider,
  prefix: string | undefined
): Effect.Effect<Settings, TokenError.InvalidConfiguration> =>
  Effect.flatMap(lookupOf(provider.environment.variables.map((variable) => variable.name), prefix), (lookup) => {
    const read = ProviderEnvironment.read(provider, lookup)
    return read._tag === "Problem"
      ? Effect.fail(invalid(read.problem, prefix))
      : Effect.succeed(Object.fromEntries(
        Object.entries(read.settings).map(([option, { secret, value }]) => [option, secret ? Redacted.make(value) : value])
      ))
  })

/**
 * One optional variable under the prefix: blank or unset mean `undefined`.
 * @internal
 */
export const optionalVariable = (
  name: string,
  prefix: string | undefined
): Effect.Effect<string | undefined, TokenError.InvalidConfiguration> =>
  Effect.map(lookupOf([name], prefix), (lookup) => {
    const value = lookup(name)
    return value === undefined || value.trim() === "" ? undefined : value
  })

/**
 * The options of a `makeConfig` as given in code, read: `values` holds the plain fields
 * and what the `Config` fields read, `configured` the names of the `Config` fields.
 * @internal
 */
export interface GivenOptions extends ProviderEnvironment.Given {
  readonly values: Readonly<Record<string, unknown>>
}

/**
 * Reads the `Config` fields of the options (all at once); one that fails names its own
 * variable (`MY_SECRET is not set`), never its value.
 * @internal
 */
export const readOptions = (options: object): Effect.Effect<GivenOptions, TokenError.InvalidConfiguration> => {
  const configured = new Set(Object.entries(options).filter(([, value]) => Config.isConfig(value)).map(([key]) => key))
  return Effect.map(
    load(Configurable.unwrap(options as Configurable.Configurable<Record<string, unknown>>)),
    (values) => ({ values, configured, isGiven: (option: string) => values[option] !== undefined })
  )
}
