/**
 * Effect 4's `Config` in front of the kernel's `ProviderEnvironment`: the record's variables
 * are read raw through the `ConfigProvider` in context (under a prefix), the kernel decides
 * what they mean, and every problem becomes `InvalidConfiguration` naming the variable,
 * never its value.
 *
 * @internal
 */
import type { Provider } from "@effect-bearer/kernel"
import * as ProviderEnvironment from "@effect-bearer/kernel/ProviderEnvironment"
import { Config, ConfigProvider, Effect, Option, Redacted } from "effect"
import { Configurable, TokenError } from "@effect-bearer/core"
import { preserveEmptyStrings } from "./preserveEmptyStrings.js"

/**
 * What the environment says: the options the variables fill, secrets `Redacted`.
 * @internal
 */
export type Settings = Readonly<Record<string, string | Redacted.Redacted<string>>>

/** `FIELDS_UP42_PROJECT_ID` for the variable `UP42_PROJECT_ID` under the prefix `FIELDS`. */
export const prefixed = (name: string, prefix: string | undefined): string =>
  prefix === undefined ? name : `${prefix}_${name}`

/**
 * A kernel problem as the library's error, its variable under the prefix.
 * @internal
 */
export const invalid = (problem: ProviderEnvironment.Problem, prefix: string | undefined) =>
  new TokenError.InvalidConfiguration({ setting: prefixed(problem.variable, prefix), problem: problem.problem })

/**
 * Reads a `Config` as Effect 3 does, a variable set to `""` being `""` (the kernel then says
 * "is empty"), not missing; a failure names the variable (its path joined with `_`, as in the
 * environment) and says whether it is unset or unusable, never what it holds: Effect's
 * own message may quote the value, which may be a secret pasted into the wrong variable.
 * @internal
 */
export const load = <A>(config: Config.Config<A>): Effect.Effect<A, TokenError.InvalidConfiguration> =>
  Effect.flatMap(ConfigProvider.ConfigProvider, (inContext: ConfigProvider.ConfigProvider) => {
    const provider = preserveEmptyStrings(inContext)
    return Effect.catch(config.parse(provider), (error: Config.ConfigError) => {
      const cause = error.cause
      if (cause._tag !== "SchemaError" || cause.issue._tag !== "Pointer") {
        return Effect.fail(
          new TokenError.InvalidConfiguration({ setting: "configuration", problem: `could not be read (${cause._tag})` })
        )
      }
      const path = cause.issue.path.map((key) => typeof key === "symbol" ? String(key) : key)
      // Unset or unusable: whether the provider holds a value there, not Effect's message (which may quote it).
      return Effect.flatMap(Effect.orElseSucceed(provider.load(path), () => undefined), (node) =>
        Effect.fail(
          new TokenError.InvalidConfiguration({
            setting: path.map(String).join("_"),
            problem: node === undefined ? "is not set" : "has a value that cannot be used"
          })
        ))
    })
  })

/**
 * The raw values of the variables named (under the prefix), for the kernel's `lookup`.
 * @internal
 */
export const lookupOf = (
  names: ReadonlyArray<string>,
  prefix: string | undefined
): Effect.Effect<ProviderEnvironment.Lookup, TokenError.InvalidConfiguration> =>
  Effect.map(
    load(Config.all(names.map((name) => Config.option(Config.String(prefixed(name, prefix)))))),
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
 * Reads the `Config` fields of the options; one that fails names its own variable
 * (`MY_SECRET is not set`), never its value.
 * @internal
 */
export const readOptions = (options: object): Effect.Effect<GivenOptions, TokenError.InvalidConfiguration> => {
  const configured = new Set(Object.entries(options).filter(([, value]) => Config.isConfig(value)).map(([key]) => key))
  return Effect.map(
    load(Configurable.unwrap(options as Configurable.Configurable<Record<string, unknown>>)),
    (values) => ({ values, configured, isGiven: (option: string) => values[option] !== undefined })
  )
}

/**
 * Fails with `InvalidConfiguration` naming the setting when a value is empty or only
 * whitespace: such credentials can never work, so the layer refuses to build.
 * @internal
 */
export const requireNonBlank = (
  setting: string,
  value: string | Redacted.Redacted<string>
): Effect.Effect<void, TokenError.InvalidConfiguration> =>
  (Redacted.isRedacted(value) ? Redacted.value(value) : value).trim() === ""
    ? Effect.fail(new TokenError.InvalidConfiguration({ setting, problem: ProviderEnvironment.emptyProblem }))
    : Effect.void
