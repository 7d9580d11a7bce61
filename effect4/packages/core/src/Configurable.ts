/**
 * Options whose fields may each be a plain value or an Effect `Config` read when the layer is
 * built, e.g. `{ clientSecret: Config.Redacted("MY_SECRET") }`.
 *
 * @since 4.0.0
 */
import { Config } from "effect"

/**
 * `A` with every field its value or a `Config` of it.
 *
 * @since 4.0.0
 * @category models
 */
export type Configurable<A> = { readonly [K in keyof A]: A[K] | Config.Config<A[K]> }

/**
 * One `Config` of the whole: every `Config` field is read (so a `ConfigError` names all the
 * missing variables at once), plain fields are kept.
 *
 * @since 4.0.0
 * @category constructors
 */
export const unwrap = <A extends object>(options: Configurable<A>): Config.Config<A> => {
  const configs: Record<string, Config.Config<unknown>> = {}
  const values: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(options)) {
    if (Config.isConfig(value)) configs[key] = value
    else values[key] = value
  }
  if (Object.keys(configs).length === 0) return Config.succeed(values as A)
  return Config.map(Config.all(configs), (read) => ({ ...values, ...read }) as A)
}
