import { Config, ConfigError, Effect, Either, Option, Redacted } from "effect"
import type { TokenProvider } from "@effect-bearer/core"
import { TokenError } from "@effect-bearer/core"

/**
 * The problem reported for an empty or whitespace-only value.
 * @internal
 */
export const emptyProblem = "is empty"

/**
 * The failure of a config whose variable `name` is set but empty or only whitespace.
 * @internal
 */
export const emptyVariable = (name: string): ConfigError.ConfigError => ConfigError.InvalidData([name], emptyProblem)

/** The problem reported for a value outside a fixed set; the set goes in the advice. */
const notAllowedProblem = "is not one of the allowed values"

/**
 * The messages of this module's own `InvalidData` failures. They never hold a value, so
 * {@link load} passes them on; any other message (Effect's own, e.g. `Config.literal`'s
 * "Expected one of (…) but received <the value>") is replaced, since it may quote one.
 */
const ownProblems: ReadonlySet<string> = new Set([emptyProblem, notAllowedProblem])

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
    ? Effect.fail(new TokenError.InvalidConfiguration({ setting, problem: emptyProblem }))
    : Effect.void

/**
 * A required environment variable; empty or whitespace-only values are refused.
 * @internal
 */
export const nonBlankString = (name: string): Config.Config<string> =>
  Config.string(name).pipe(Config.validate({ message: emptyProblem, validation: (value) => value.trim() !== "" }))

/**
 * A required secret environment variable, read straight into a `Redacted`.
 * @internal
 */
export const nonBlankRedacted = (name: string): Config.Config<Redacted.Redacted<string>> =>
  // Validated before it is wrapped: `Config.redacted` hides the validation's message too.
  Config.map(nonBlankString(name), Redacted.make)

/**
 * An optional environment variable: absent or empty both mean "use the default".
 * @internal
 */
export const optionalString = (name: string): Config.Config<string | undefined> =>
  Config.string(name).pipe(
    Config.option,
    Config.map((value) => Option.getOrUndefined(Option.filter(value, (s) => s.trim() !== "")))
  )

/**
 * An optional environment variable that must be one of `values`: absent or empty mean
 * "use the default"; any other value fails without being quoted (unlike `Config.literal`,
 * whose message holds the value).
 * @internal
 */
export const optionalOneOf = <const Values extends ReadonlyArray<string>>(
  name: string,
  values: Values
): Config.Config<Values[number] | undefined> =>
  Config.mapOrFail(optionalString(name), (value) =>
    value === undefined || values.includes(value)
      ? Either.right(value as Values[number] | undefined)
      : Either.left(ConfigError.InvalidData([name], notAllowedProblem)))

/** The first concrete failure of a (possibly combined) config error. */
const firstLeaf = (error: ConfigError.ConfigError): Exclude<ConfigError.ConfigError, ConfigError.And | ConfigError.Or> =>
  error._op === "And" || error._op === "Or" ? firstLeaf(error.left) : error

/**
 * Reads a `Config` and turns a `ConfigError` into the library's `InvalidConfiguration`,
 * naming the environment variable (nested names joined with `_`, as in the environment)
 * and saying what it should hold, never what it holds: the value may be a secret pasted
 * into the wrong variable.
 * @internal
 */
export const load = <A>(
  config: Config.Config<A>,
  descriptions: Readonly<Record<string, string>>,
  prefix?: string | undefined
): Effect.Effect<A, TokenError.InvalidConfiguration> =>
  Effect.mapError(prefix === undefined ? config : Config.nested(config, prefix), (error) => {
    const leaf = firstLeaf(error)
    const setting = leaf.path.join("_")
    const description = descriptions[leaf.path[leaf.path.length - 1] ?? ""]
    const advice = description === undefined ? "" : `: set it to ${description}`
    switch (leaf._op) {
      case "MissingData":
        return new TokenError.InvalidConfiguration({ setting, problem: `is not set${advice}` })
      case "InvalidData": {
        const problem = ownProblems.has(leaf.message) ? leaf.message : "has a value that cannot be used"
        return new TokenError.InvalidConfiguration({ setting, problem: `${problem}${advice}` })
      }
      default:
        return new TokenError.InvalidConfiguration({ setting, problem: `could not be read (${leaf._op})` })
    }
  })

/**
 * The cache and refresh options of core's `TokenProvider.Options`, without keys whose
 * value is `undefined` (so they cannot override a default by being spread).
 * @internal
 */
export const providerOptions = (options: TokenProvider.Options): TokenProvider.Options => {
  const picked: { -readonly [K in keyof TokenProvider.Options]: TokenProvider.Options[K] } = {}
  if (options.expiryMargin !== undefined) picked.expiryMargin = options.expiryMargin
  if (options.retry !== undefined) picked.retry = options.retry
  if (options.backgroundRefresh !== undefined) picked.backgroundRefresh = options.backgroundRefresh
  if (options.cacheTimeToLive !== undefined) picked.cacheTimeToLive = options.cacheTimeToLive
  if (options.revokeOnClose !== undefined) picked.revokeOnClose = options.revokeOnClose
  return picked
}

/**
 * An instant as a user writes it in a variable: epoch seconds (`1767225599`) or an ISO
 * 8601 date (`2026-12-31T23:59:59Z`); `undefined` for anything else.
 * @internal
 */
export const parseInstant = (text: string): Date | undefined => {
  const trimmed = text.trim()
  if (/^\d+$/.test(trimmed)) return new Date(Number(trimmed) * 1000)
  if (!/^\d{4}-\d{2}-\d{2}/.test(trimmed)) return undefined
  const millis = Date.parse(trimmed)
  return Number.isNaN(millis) ? undefined : new Date(millis)
}
