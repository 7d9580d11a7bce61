/**
 * A view of any `ConfigProvider` that reads a variable set to `""` as `""`, as Effect 3 does:
 * Effect 4's `fromEnv` (the default provider) reads it as missing, and the library would say
 * "is not set" of a variable a user did set, where the Effect 3 line says "is empty". The
 * view asks the provider itself whether the name is there: a missing value whose name is a key
 * of its parent is a value set to `""` (`fromEnv`'s parents are the name cut at each `_`, as
 * Effect 4 discovers an environment's records; `fromUnknown`'s are the path's own parents).
 * A provider made with `preserveEmptyStrings: true` already answers `""` and is never asked.
 *
 * @internal
 */
import { ConfigProvider, Effect } from "effect"

const loadOrMissing = (provider: ConfigProvider.ConfigProvider, path: ConfigProvider.Path) =>
  Effect.orElseSucceed(provider.load(path), () => undefined)

/** Whether `path` is missing as a value yet its last segment is a key of its parent record. */
const isKeyWithoutValue = (provider: ConfigProvider.ConfigProvider, path: ConfigProvider.Path) =>
  path.length === 0
    ? Effect.succeed(false)
    : Effect.zipWith(
      loadOrMissing(provider, path),
      loadOrMissing(provider, path.slice(0, -1)),
      (node, parent) => node === undefined && parent?._tag === "Record" && parent.keys.has(String(path[path.length - 1]))
    )

/**
 * `provider`, reading a variable set to `""` as the value `""` instead of missing.
 * @internal
 */
export const preserveEmptyStrings = (provider: ConfigProvider.ConfigProvider): ConfigProvider.ConfigProvider =>
  ConfigProvider.make((path) =>
    Effect.flatMap(provider.load(path), (node) => {
      if (node !== undefined) return Effect.succeed(node)
      const segments = path.map(String).join("_").split("_")
      const candidates = segments.length === path.length ? [path] : [path, segments]
      return Effect.map(
        Effect.forEach(candidates, (candidate) => isKeyWithoutValue(provider, candidate)),
        (found) => found.some(Boolean) ? ConfigProvider.makeValue("") : undefined
      )
    })
  )
