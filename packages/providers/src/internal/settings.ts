/**
 * Effect 3's `Config` errors as the library's `InvalidConfiguration`, and the checks the
 * Effect 3 providers share; what a variable means is the kernel's (`ProviderEnvironment`).
 *
 * @internal
 */
import { emptyProblem, notAllowedProblem } from "@effect-bearer/kernel/ProviderEnvironment"
import type { ConfigError } from "effect"
import { Config, Effect, Redacted } from "effect"
import type { TokenProvider } from "@effect-bearer/core"
import { TokenError } from "@effect-bearer/core"

/**
 * The kernel's problems, which never hold a value, so {@link load} passes them on; any
 * other `InvalidData` message (Effect's own, e.g. `Config.literal`'s "Expected one of (…)
 * but received <the value>") is replaced, since it may quote one.
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

/** The first concrete failure of a (possibly combined) config error. */
const firstLeaf = (error: ConfigError.ConfigError): Exclude<ConfigError.ConfigError, ConfigError.And | ConfigError.Or> =>
  error._op === "And" || error._op === "Or" ? firstLeaf(error.left) : error

/**
 * Reads a `Config` (nested under the prefix) and turns a `ConfigError` into the library's
 * `InvalidConfiguration`, naming the environment variable (nested names joined with `_`, as
 * in the environment) and saying whether it is unset or unusable, never what it holds: the
 * value may be a secret pasted into the wrong variable. (What a record's variable should
 * hold is the kernel's `ProviderEnvironment` advice, on the raw values this reads.)
 * @internal
 */
export const load = <A>(
  config: Config.Config<A>,
  prefix?: string | undefined
): Effect.Effect<A, TokenError.InvalidConfiguration> =>
  Effect.mapError(prefix === undefined ? config : Config.nested(config, prefix), (error) => {
    const leaf = firstLeaf(error)
    const setting = leaf.path.join("_")
    switch (leaf._op) {
      case "MissingData":
        return new TokenError.InvalidConfiguration({ setting, problem: "is not set" })
      case "InvalidData": {
        const problem = ownProblems.has(leaf.message) ? leaf.message : "has a value that cannot be used"
        return new TokenError.InvalidConfiguration({ setting, problem })
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
  if (options.acquisitionTimeout !== undefined) picked.acquisitionTimeout = options.acquisitionTimeout
  if (options.backgroundRefresh !== undefined) picked.backgroundRefresh = options.backgroundRefresh
  if (options.cacheTimeToLive !== undefined) picked.cacheTimeToLive = options.cacheTimeToLive
  if (options.revokeOnClose !== undefined) picked.revokeOnClose = options.revokeOnClose
  return picked
}
