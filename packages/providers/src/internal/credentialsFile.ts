/**
 * The credentials file a record names a variable for (`HYDROSAT_CREDENTIALS_FILE`), read
 * through the `CredentialsFileReader` service when one is provided.
 *
 * @internal
 */
import { Effect, Option } from "effect"
import type { Provider } from "@effect-bearer/kernel"
import { TokenError } from "@effect-bearer/core"
import { CredentialsFileReader } from "../CredentialsFileReader.js"
import type { Credentials } from "../CredentialsFileReader.js"
import { load, optionalString } from "./settings.js"

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
  const setting = prefix === undefined ? name : `${prefix}_${name}`
  return Effect.gen(function*() {
    const path = yield* load(optionalString(name), {}, prefix)
    if (path === undefined) return Option.none()
    const reader = yield* Effect.serviceOption(CredentialsFileReader)
    if (Option.isNone(reader)) {
      return yield* new TokenError.InvalidConfiguration({
        setting,
        problem:
          "is set, but nothing here reads credentials files: provide CredentialsFile.layerReader of @effect-bearer/platform-node" +
          ` (on Node), or set the credentials themselves (${credentialVariablesOf(provider)})`
      })
    }
    return Option.some(yield* reader.value.read(path, provider, setting))
  })
}

/** The credential variables other than the file's, for the message above. */
const credentialVariablesOf = (provider: Provider.Provider): string =>
  provider.environment.variables
    .filter((variable) => variable.kind === "credential")
    .map((variable) => variable.name)
    .join(" and ")
