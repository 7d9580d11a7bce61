/**
 * `OAUTH2_*` on Effect 3: the kernel's `OAuth2Environment` reads the variables the record
 * lists and says which option wins; this reads them raw through `Config` and makes the
 * secrets `Redacted` and the grant core's `Grant`.
 *
 * @internal
 */
import { Providers } from "@effect-bearer/kernel"
import * as OAuth2Environment from "@effect-bearer/kernel/OAuth2Environment"
import { Effect, Redacted } from "effect"
import type { TokenError } from "@effect-bearer/core"
import { Grant } from "@effect-bearer/core"
import type { Options } from "../OAuth2.js"
import type { GivenOptions } from "./environment.js"
import { invalid, lookupOf } from "./environment.js"

/** Effect 3's values for the kernel's secrets and grants. */
const make = {
  secret: Redacted.make<string>,
  grant: (grant: OAuth2Environment.Grant): Grant.Grant =>
    grant.grantType === "client_credentials"
      ? Grant.clientCredentials
      : Grant.password({ username: grant.username, password: Redacted.make(grant.password) })
}

/**
 * The options `OAuth2.make` gets from the given options and the environment (under the
 * prefix), by the kernel's precedence.
 * @internal
 */
export const optionsFromEnvironment = (
  given: GivenOptions,
  prefix: string | undefined
): Effect.Effect<Options, TokenError.InvalidConfiguration> => {
  const record = OAuth2Environment.recordFor(Providers.oauth2, given)
  return Effect.flatMap(lookupOf(record.environment.variables.map((variable) => variable.name), prefix), (lookup) => {
    const read = OAuth2Environment.read(record, lookup)
    return read._tag === "Problem"
      ? Effect.fail(invalid(read.problem, prefix))
      : Effect.succeed(OAuth2Environment.optionsOf(given, read.settings, make) as unknown as Options)
  })
}
