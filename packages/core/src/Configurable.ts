/**
 * Options whose fields may each be a plain value or an Effect `Config` read when the layer
 * is built, e.g. `{ url: "https://auth.example.com/token", clientSecret: Config.redacted("MY_SECRET") }`:
 * the program names its own variables, and the secret goes straight into a `Redacted`.
 *
 * @since 0.1.0
 */
import { Config } from "effect"

/**
 * `A` with every field either its value or a `Config` of it (optional fields stay
 * optional). Unlike `Config.Wrap`, plain values need no `Config.succeed`.
 *
 * @example
 * import { Config, Redacted } from "effect"
 * import { Configurable } from "@effect-bearer/core"
 *
 * const options: Configurable.Configurable<{ clientId: string; clientSecret: Redacted.Redacted<string> }> = {
 *   clientId: "my-client",
 *   clientSecret: Config.redacted("MY_SECRET")
 * }
 *
 * @since 0.1.0
 * @category models
 */
export type Configurable<A> = { readonly [K in keyof A]: A[K] | Config.Config<A[K]> }

/**
 * One `Config` of the whole: the `Config` fields are read (all of them, so that a
 * `ConfigError` names every missing variable at once), the plain fields are kept as they are.
 *
 * @example
 * import { Config, Effect } from "effect"
 * import { Configurable } from "@effect-bearer/core"
 *
 * const program = Effect.gen(function*() {
 *   const options = yield* Configurable.unwrap({ url: Config.string("TOKEN_URL"), timeout: "5 seconds" })
 *   return options.url
 * })
 *
 * @since 0.1.0
 * @category constructors
 */
export const unwrap = <A extends object>(options: Configurable<A>): Config.Config<A> => {
  const configs: Record<string, Config.Config<unknown>> = {}
  const values: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(options)) {
    if (Config.isConfig(value)) configs[key] = value
    else values[key] = value
  }
  // Config.all of an empty record fails when read: a record of plain values is one value
  if (Object.keys(configs).length === 0) return Config.succeed(values as A)
  return Config.map(Config.all(configs), (read) => ({ ...values, ...read }) as A)
}
