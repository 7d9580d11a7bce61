/**
 * What reads a credentials file for a provider's `layerConfig`, when the record names a
 * variable for one (`HYDROSAT_CREDENTIALS_FILE`). This package has no file system of its
 * own, so the reader is a service: on Node, `CredentialsFile.layerReader` of
 * `@effect-bearer/platform-node` provides it (the file must be private to its owner,
 * `chmod 600`). Without a reader, a set variable fails the layer, saying what to provide.
 *
 * @example
 * import { Layer } from "effect"
 * import { CredentialsFile } from "@effect-bearer/platform-node"
 * import { Hydrosat } from "@effect-bearer/providers"
 *
 * // HYDROSAT_CREDENTIALS_FILE=creds.json node main.js
 * const Tokens = Hydrosat.layerConfig().pipe(Layer.provide(CredentialsFile.layerReader))
 *
 * @since 4.0.0
 */
import type { Provider } from "@effect-bearer/kernel"
import { Context } from "effect"
import type { Effect } from "effect"
import type { TokenError } from "@effect-bearer/core"

/**
 * The credentials a file holds: its shape's tag (`ClientCredentials`, `StaticToken`…) and
 * its fields under the names of the options they fill (a string, or a `Redacted` secret).
 *
 * @since 4.0.0
 * @category models
 */
export interface Credentials {
  readonly _tag: string
}

/**
 * Reads the file at `path` in the record's credentials-file format; any problem with it is
 * `InvalidConfiguration` naming `setting` (the variable), never a value from the file.
 *
 * @since 4.0.0
 * @category models
 */
export interface Service {
  readonly read: (
    path: string,
    provider: Provider.Provider,
    setting: string
  ) => Effect.Effect<Credentials, TokenError.InvalidConfiguration>
}

/**
 * The credentials file reader a provider's `layerConfig` uses when it is provided.
 *
 * @since 4.0.0
 * @category services
 */
export class CredentialsFileReader extends Context.Service<CredentialsFileReader, Service>()(
  "@effect-bearer/providers/CredentialsFileReader"
) {}
