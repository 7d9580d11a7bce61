/**
 * The credentials file a record names a variable for (`HYDROSAT_CREDENTIALS_FILE`), read
 * through the `CredentialsFileReader` service when one is provided.
 *
 * @internal
 */
import type { Provider } from "@effect-bearer/kernel"
import * as ProviderEnvironment from "@effect-bearer/kernel/ProviderEnvironment"
import { Effect, Option } from "effect"
import { TokenError } from "@effect-bearer/core"
import { CredentialsFileReader } from "../CredentialsFileReader.js"
import type { Credentials } from "../CredentialsFileReader.js"
import { optionalVariable, prefixed } from "./environment.js"

/**
 * The credentials of the file the record's variable names (under the prefix), or none
 * when the variable is unset or blank. Set without a reader in context, it fails saying
 * what to provide, or which variables to set instead.
 * @internal
 */
export const credentialsFromFile = (
  provider: Provider.Provider,
  prefix: string | undefined
): Effect.Effect<Option.Option<Credentials>, TokenError.InvalidConfiguration> => {
  const name = provider.credentialsFile.variable
  if (name === undefined) return Effect.succeed(Option.none())
  const setting = prefixed(name, prefix)
  return Effect.gen(function*() {
    const path = yield* optionalVariable(name, prefix)
    if (path === undefined) return Option.none()
    const reader = yield* Effect.serviceOption(CredentialsFileReader)
    if (Option.isNone(reader)) {
      return yield* new TokenError.InvalidConfiguration({
        setting,
        problem: ProviderEnvironment.noFileReaderProblem(provider, "CredentialsFile.layerReader of @effect-bearer/platform-node")
      })
    }
    return Option.some(yield* reader.value.read(path, provider, setting))
  })
}

