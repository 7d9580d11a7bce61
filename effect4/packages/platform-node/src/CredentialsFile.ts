/**
 * Credentials files: the `creds.json` Hydrosat documents (`{"client_id":"…","client_secret":"…"}`)
 * and the equivalent shape for each provider (its format comes from the provider's record), read
 * the careful way.
 *
 * A file readable by group or others is refused (the providers' `chmod 600` advice made a rule);
 * a missing file, an unreadable one, invalid JSON and missing or empty fields each get their own
 * typed error whose message says what to fix. No error, message or log line ever holds a value
 * from the file. Secrets come out `Redacted`. The rules and messages are the kernel's
 * (`CredentialsFileFormat`, `CredentialsFileProblem`), the same in both Effect lines.
 *
 * (Over 300 lines: four public error classes with their messages, the providers' formats and the
 * documented `load`/`layerReader`; the reading itself is `internal/credentialsFileRead.ts`.)
 *
 * @since 4.0.0
 */
import { Providers } from "@effect-bearer/kernel"
import * as CredentialsFileFormat from "@effect-bearer/kernel/CredentialsFileFormat"
import * as CredentialsFileProblem from "@effect-bearer/kernel/CredentialsFileProblem"
import type * as Provider from "@effect-bearer/kernel/Provider"
import * as TokenError from "@effect-bearer/core/TokenError"
import * as CredentialsFileReader from "@effect-bearer/providers/CredentialsFileReader"
import { Effect, Layer, Redacted, Result, Schema } from "effect"
import * as internal from "./internal/credentialsFileRead.js"

/**
 * There is no file at the path.
 *
 * @since 4.0.0
 * @category errors
 */
export class CredentialsFileNotFound extends Schema.TaggedError<CredentialsFileNotFound>(
  "effect-bearer/CredentialsFileNotFound"
)("CredentialsFileNotFound", {
  path: Schema.String,
  /** The shape the file should have, with placeholders instead of values. */
  expected: Schema.String
}) {
  override get message(): string {
    return CredentialsFileProblem.notFoundMessage(this.path, this.expected)
  }
}

/**
 * The path exists but cannot be read as a file: a directory, a permission refused, an I/O error.
 *
 * @since 4.0.0
 * @category errors
 */
export class CredentialsFileUnreadable extends Schema.TaggedError<CredentialsFileUnreadable>(
  "effect-bearer/CredentialsFileUnreadable"
)("CredentialsFileUnreadable", {
  path: Schema.String,
  /** Why, e.g. `it is a directory` or `permission denied`. */
  reason: Schema.String
}) {
  override get message(): string {
    return CredentialsFileProblem.unreadableMessage(this.path, this.reason)
  }
}

/**
 * The file is readable by its group or by others (`mode & 0o077` is not zero). It holds secrets,
 * so only its owner may read it.
 *
 * @since 4.0.0
 * @category errors
 */
export class InsecureCredentialsFile extends Schema.TaggedError<InsecureCredentialsFile>(
  "effect-bearer/InsecureCredentialsFile"
)("InsecureCredentialsFile", {
  path: Schema.String,
  /** The permission bits found, e.g. `0o644`. */
  mode: Schema.Number
}) {
  /** The permission bits as `ls -l` users know them, e.g. `644`. */
  get permissions(): string {
    return CredentialsFileProblem.permissions(this.mode)
  }
  override get message(): string {
    return CredentialsFileProblem.insecureMessage(this.path, this.mode)
  }
}

/**
 * The file was read but its content is not the expected credentials: not JSON, not a JSON
 * object, a field missing, empty or not a string, or two kinds of credentials at once.
 *
 * @since 4.0.0
 * @category errors
 */
export class InvalidCredentialsFile extends Schema.TaggedError<InvalidCredentialsFile>(
  "effect-bearer/InvalidCredentialsFile"
)("InvalidCredentialsFile", {
  path: Schema.String,
  reason: Schema.Literals(CredentialsFileProblem.invalidReasons),
  /** The field at fault, for the field reasons. */
  field: Schema.optional(Schema.String),
  /** The shape the file should have, with placeholders instead of values. */
  expected: Schema.String,
  /** Where the JSON stops being valid, for `NotJson` (never a quote of the content). */
  position: Schema.optional(Schema.Number)
}) {
  override get message(): string {
    return CredentialsFileProblem.invalidMessage(this)
  }
}

/**
 * Any reason a credentials file could not be loaded.
 *
 * @since 4.0.0
 * @category errors
 */
export type CredentialsFileError =
  | CredentialsFileNotFound
  | CredentialsFileUnreadable
  | InsecureCredentialsFile
  | InvalidCredentialsFile

/**
 * The tags of {@link CredentialsFileError}, for exit codes and exhaustive tables.
 *
 * @since 4.0.0
 * @category errors
 */
export const errorTags = [
  "CredentialsFileNotFound",
  "CredentialsFileUnreadable",
  "InsecureCredentialsFile",
  "InvalidCredentialsFile"
] as const satisfies ReadonlyArray<CredentialsFileError["_tag"]>

/**
 * Whether a value is a {@link CredentialsFileError}.
 *
 * @since 4.0.0
 * @category guards
 */
export const isCredentialsFileError: (u: unknown) => u is CredentialsFileError = Schema.is(
  Schema.Union([CredentialsFileNotFound, CredentialsFileUnreadable, InsecureCredentialsFile, InvalidCredentialsFile])
)

/**
 * An OAuth2 client id and secret (Hydrosat, Bitquery applications, any OAuth2 server).
 *
 * @since 4.0.0
 * @category models
 */
export interface ClientCredentials {
  readonly _tag: "ClientCredentials"
  readonly clientId: string
  readonly clientSecret: Redacted.Redacted<string>
}

/**
 * A UP42 project id and project API key (the older, project-scoped API).
 *
 * @since 4.0.0
 * @category models
 */
export interface ProjectCredentials {
  readonly _tag: "ProjectCredentials"
  readonly projectId: string
  readonly projectApiKey: Redacted.Redacted<string>
}

/**
 * A UP42 account: the email address and password of the console login.
 *
 * @since 4.0.0
 * @category models
 */
export interface AccountCredentials {
  readonly _tag: "AccountCredentials"
  readonly username: string
  readonly password: Redacted.Redacted<string>
}

/**
 * A token issued elsewhere, e.g. a Bitquery console token.
 *
 * @since 4.0.0
 * @category models
 */
export interface StaticToken {
  readonly _tag: "StaticToken"
  readonly accessToken: Redacted.Redacted<string>
}

/**
 * Any credentials a provider's file holds.
 *
 * @since 4.0.0
 * @category models
 */
export type Credentials = ClientCredentials | ProjectCredentials | AccountCredentials | StaticToken

/**
 * What is wrong with a field of a credentials file: the field, never its value.
 *
 * @since 4.0.0
 * @category models
 */
export type FieldProblem = CredentialsFileFormat.FieldProblem

/**
 * How to read one kind of credentials file.
 *
 * @since 4.0.0
 * @category models
 */
export interface Format<A> {
  /** The shape of the file, with placeholders instead of values, for messages. */
  readonly expected: string
  /** Reads the parsed JSON object; the failure names the field, never its value. */
  readonly decode: (json: Readonly<Record<string, unknown>>) => Result.Result<A, FieldProblem>
}

/**
 * The format of a provider's credentials file, from its record: the fields each kind of
 * credentials has, checked by the kernel's rules, secrets read straight into `Redacted`.
 *
 * @since 4.0.0
 * @category formats
 */
export const formatOf = <A extends Credentials = Credentials>(provider: Provider.Provider): Format<A> => ({
  expected: CredentialsFileFormat.expected(provider.credentialsFile),
  decode: (json) => {
    const decoded = CredentialsFileFormat.decode(provider.credentialsFile, json, Redacted.make)
    return decoded._tag === "Failure"
      ? Result.fail(decoded.problem)
      // The record's option names are the fields of these interfaces (the kernel's tests check them).
      : Result.succeed({ _tag: decoded.shape.tag, ...decoded.values } as unknown as A)
  }
})

/**
 * `{"client_id":"…","client_secret":"…"}`: the `creds.json` Hydrosat documents, also used for
 * Bitquery applications and any OAuth2 client.
 *
 * @since 4.0.0
 * @category formats
 */
export const clientCredentials: Format<ClientCredentials> = formatOf(Providers.oauth2)

/**
 * Hydrosat's documented `creds.json`.
 *
 * @since 4.0.0
 * @category formats
 */
export const hydrosat: Format<ClientCredentials> = formatOf(Providers.hydrosat)

/**
 * `{"project_id":"…","project_api_key":"…"}`: UP42 project credentials.
 *
 * @since 4.0.0
 * @category formats
 */
export const up42Project: Format<ProjectCredentials> = formatOf(Providers.up42Project)

/**
 * `{"username":"…","password":"…"}`: a UP42 account.
 *
 * @since 4.0.0
 * @category formats
 */
export const up42Account: Format<AccountCredentials> = formatOf(Providers.up42Account)

/**
 * Bitquery: an application's `{"client_id":"…","client_secret":"…"}`, or a console token as
 * `{"access_token":"…"}`. A file with both is refused rather than guessed at.
 *
 * @since 4.0.0
 * @category formats
 */
export const bitquery: Format<ClientCredentials | StaticToken> = formatOf(Providers.bitquery)

/**
 * Options of {@link load}.
 *
 * @since 4.0.0
 * @category models
 */
export interface LoadOptions {
  /** Refuse a file readable by group or others. Default: `true`, except on Windows (no POSIX permission bits). */
  readonly requirePrivate?: boolean | undefined
}

/**
 * Reads and checks a credentials file: it must exist, be a regular file, be private to its owner
 * (mode `600` or stricter), hold at most 64 KiB of JSON object, and have the format's fields as
 * non-empty strings. The file is opened once, without waiting (a FIFO or a device is refused,
 * never read), and every check is made on that open file; a symbolic link is followed, as for a
 * Kubernetes secret volume.
 *
 * @example
 * import { Effect } from "effect"
 * import { CredentialsFile } from "@effect-bearer/platform-node"
 *
 * const credentials: Effect.Effect<CredentialsFile.ClientCredentials, CredentialsFile.CredentialsFileError> =
 *   CredentialsFile.load("creds.json", CredentialsFile.hydrosat)
 *
 * @since 4.0.0
 * @category loading
 */
export const load = <A>(path: string, format: Format<A>, options?: LoadOptions): Effect.Effect<A, CredentialsFileError> =>
  Effect.flatMap(
    Effect.promise(() =>
      internal.readPrivateFile(path, options?.requirePrivate ?? process.platform !== "win32", CredentialsFileProblem.maximumBytes)
    ),
    (outcome): Effect.Effect<A, CredentialsFileError> => {
      const { expected } = format
      switch (outcome._tag) {
        case "NotFound":
          return Effect.fail(new CredentialsFileNotFound({ path, expected }))
        case "Unreadable":
          return Effect.fail(new CredentialsFileUnreadable({ path, reason: outcome.reason }))
        case "Insecure":
          return Effect.fail(new InsecureCredentialsFile({ path, mode: outcome.mode }))
        case "TooLarge":
          return Effect.fail(new InvalidCredentialsFile({ path, expected, reason: "TooLarge" }))
        case "Read": {
          const parsed = CredentialsFileProblem.parseObject(outcome.text)
          if (parsed._tag === "Invalid") {
            const { _tag, ...problem } = parsed
            return Effect.fail(new InvalidCredentialsFile({ path, expected, ...problem }))
          }
          const decoded = format.decode(parsed.object)
          return Result.isSuccess(decoded)
            ? Effect.succeed(decoded.success)
            : Effect.fail(new InvalidCredentialsFile({ path, expected, ...decoded.failure }))
        }
      }
    }
  )

/**
 * The providers' `CredentialsFileReader`: with it, a provider's `layerConfig` reads the file its
 * record's variable names (`HYDROSAT_CREDENTIALS_FILE=creds.json`) with {@link load}'s checks; a
 * problem with the file fails the layer with `InvalidConfiguration` naming the variable, whose
 * standard `cause` is the file's own {@link CredentialsFileError} (so that a caller, such as the
 * `effect-bearer` command, reports the file's problem by its kind).
 *
 * @example
 * import { Layer } from "effect"
 * import { CredentialsFile } from "@effect-bearer/platform-node"
 * import { Hydrosat } from "@effect-bearer/providers"
 *
 * const Tokens = Hydrosat.layerConfig().pipe(Layer.provide(CredentialsFile.layerReader))
 *
 * @since 4.0.0
 * @category layers
 */
export const layerReader: Layer.Layer<CredentialsFileReader.CredentialsFileReader> = Layer.succeed(
  CredentialsFileReader.CredentialsFileReader,
  {
    read: (path, provider, setting) =>
      Effect.mapError(load(path, formatOf(provider)), (error) =>
        // The file's errors never hold a value from it: their message is safe to pass on; the
        // cause is not enumerable, so the error's fields and equality stay its own.
        Object.defineProperty(
          new TokenError.InvalidConfiguration({ setting, problem: `names a file that cannot be used: ${error.message}` }),
          "cause",
          { value: error, enumerable: false, configurable: true, writable: true }
        ))
  }
)
