/**
 * `OAUTH2_*` on Effect 3: the kernel's `OAuth2Environment` reads the variables the record
 * lists and says which option wins; this reads them raw through `Config`, wraps the
 * secrets in `Redacted` and builds core's `Grant`.
 *
 * @internal
 */
import { Providers } from "@effect-bearer/kernel"
import * as OAuth2Environment from "@effect-bearer/kernel/OAuth2Environment"
import { Effect, Redacted } from "effect"
import { Grant, TokenError } from "@effect-bearer/core"
import type { Options } from "../OAuth2.js"
import type { GivenOptions } from "./environment.js"
import { invalid, lookupOf } from "./environment.js"

const provider = Providers.oauth2

/**
 * The options `OAuth2.make` gets from the given options and the environment (under the
 * prefix): a `Config` option (whose variables are not read) > the environment > a plain
 * option; the token URL and the issuer are one choice, from the highest source setting either.
 * @internal
 */
export const optionsFromEnvironment = (
  given: GivenOptions,
  prefix: string | undefined
): Effect.Effect<Options, TokenError.InvalidConfiguration> =>
  Effect.gen(function*() {
    const record = OAuth2Environment.recordFor(provider, given)
    const lookup = yield* lookupOf(record.environment.variables.map((variable) => variable.name), prefix)
    const read = OAuth2Environment.read(record, lookup)
    if (read._tag === "Problem") return yield* invalid(read.problem, prefix)
    const settings = read.settings
    const values = given.values as Partial<Options>
    const secret = settings.clientSecret === undefined ? undefined : Redacted.make(settings.clientSecret)
    const grant = settings.grant === undefined
      ? undefined
      : settings.grant.grantType === "client_credentials"
      ? Grant.clientCredentials
      : Grant.password({ username: settings.grant.username, password: Redacted.make(settings.grant.password) })
    return {
      ...values,
      ...OAuth2Environment.endpointOf(given.configured, values, settings),
      // Required by the record unless given: present here, as a Config's value, the variable's or the default.
      clientId: (settings.clientId ?? values.clientId)!,
      clientSecret: secret ?? values.clientSecret,
      clientAuthentication: settings.clientAuthentication ?? values.clientAuthentication,
      grant: grant ?? values.grant,
      scope: settings.scope ?? values.scope,
      parameters: given.configured.has("parameters")
        ? { ...settings.parameters, ...values.parameters }
        : { ...values.parameters, ...settings.parameters },
      revocationUrl: settings.revocationUrl ?? values.revocationUrl
    }
  })
