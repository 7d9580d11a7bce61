/**
 * Credentials files: the `creds.json` Hydrosat documents (`{"client_id":"…","client_secret":"…"}`)
 * and the equivalent shape for each provider (its format comes from the provider's
 * record), read the careful way.
 *
 * A file readable by group or others is refused (the providers' `chmod 600` advice made
 * a rule); a missing file, an unreadable one, invalid JSON and missing or empty fields
 * each get their own typed error whose message says what to fix. No error, message or
 * log line ever holds a value from the file. Secrets come out `Redacted`. The rules and
 * messages are the kernel's (`CredentialsFileFormat`, `CredentialsFileProblem`), the same in
 * both Effect lines.
 *
 * (Over 300 lines: four public error classes with their messages, the providers' formats and
 * the loader's documentation; the reading itself is in `internal/credentialsFileRead.ts`.)
 *
 * @since 0.1.0
 */
import { CredentialsFileFormat, Providers } from "@effect-bearer/kernel"
import * as CredentialsFileProblem from "@effect-bearer/kernel/CredentialsFileProblem"
import * as internal from "./internal/credentialsFileRead.js"
import type { Provider } from "@effect-bearer/kernel"
import { Effect, Either, Layer, Redacted, Schema } from "effect"
import { TokenError } from "@effect-bearer/core"
import { CredentialsFileReader } from "@effect-bearer/providers"

// ---------------------------------------------------------------------------------------
// errors
// ---------------------------------------------------------------------------------------

/**
 * There is no file at the path.
 *
 * @since 0.1.0
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
 * The path exists but cannot be read as a file: a directory, a permission refused, an
 * I/O error.
 *
 * @since 0.1.0
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
 * The file is readable by its group or by others (`mode & 0o077` is not zero). It holds
 * secrets, so only its owner may read it.
 *
 * @since 0.1.0
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
 * The file was read but its content is not the expected credentials: not JSON, not a
 * JSON object, a field missing, empty or not a string, or two kinds of credentials at once.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidCredentialsFile extends Schema.TaggedError<InvalidCredentialsFile>(
  "effect-bearer/InvalidCredentialsFile"
)("InvalidCredentialsFile", {
  path: Schema.String,
  reason: Schema.Literal(...CredentialsFileProblem.invalidReasons),
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
 * @since 0.1.0
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
 * @since 0.1.0
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
 * @since 0.1.0
 * @category guards
 */
export const isCredentialsFileError: (u: unknown) => u is CredentialsFileError = Schema.is(
  Schema.Union(CredentialsFileNotFound, CredentialsFileUnreadable, InsecureCredentialsFile, InvalidCredentialsFile)
)

// ---------------------------------------------------------------------------------------
// credentials
// ---------------------------------------------------------------------------------------

/**
 * An OAuth2 client id and secret (Hydrosat, Bitquery applications, any OAuth2 server).
 *
 * @since 0.1.0
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
 * @since 0.1.0
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
 * @since 0.1.0
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
 * @since 0.1.0
 * @category models
 */
export interface StaticToken {
  readonly _tag: "StaticToken"
  readonly accessToken: Redacted.Redacted<string>
}

/**
 * How to read one kind of credentials file.
 *
 * @since 0.1.0
 * @category models
 */
export interface Format<A> {
  /** The shape of the file, with placeholders instead of values, for messages. */
  readonly expected: string
  /** Reads the parsed JSON object; the failure names the field, never its value. */
  readonly decode: (json: Readonly<Record<string, unknown>>) => Either.Either<A, FieldProblem>
}

/**
 * What is wrong with a field of a credentials file: the field, never its value.
 *
 * @since 0.1.0
 * @category models
 */
export type FieldProblem = CredentialsFileFormat.FieldProblem

/**
 * Any credentials a provider's file holds.
 *
 * @since 0.1.0
 * @category models
 */
export type Credentials = ClientCredentials | ProjectCredentials | AccountCredentials | StaticToken

/**
 * The format of a provider's credentials file, from its record: the fields each kind of
 * credentials has (the record names the option each field fills and whether it is a
 * secret), checked by the kernel's rules, secrets read straight into `Redacted`.
 *
 * @since 0.1.0
 * @category formats
 */
export const formatOf = <A extends Credentials = Credentials>(provider: Provider.Provider): Format<A> => ({
  expected: CredentialsFileFormat.expected(provider.credentialsFile),
  decode: (json) => {
    const result = CredentialsFileFormat.decode(provider.credentialsFile, json, Redacted.make)
    return result._tag === "Failure"
      ? Either.left(result.problem)
      // The record's option names are the fields of these interfaces (the kernel's tests check them).
      : Either.right({ _tag: result.shape.tag, ...result.values } as unknown as A)
  }
})

/**
 * `{"client_id":"…","client_secret":"…"}`: the `creds.json` Hydrosat documents, also
 * used for Bitquery applications and any OAuth2 client.
 *
 * @since 0.1.0
 * @category formats
 */
export const clientCredentials: Format<ClientCredentials> = formatOf(Providers.oauth2)

/**
 * Hydrosat's documented `creds.json`.
 *
 * @since 0.1.0
 * @category formats
 */
export const hydrosat: Format<ClientCredentials> = formatOf(Providers.hydrosat)

/**
 * `{"project_id":"…","project_api_key":"…"}`: UP42 project credentials (the names the
 * UP42 Python SDK's configuration file used).
 *
 * @since 0.1.0
 * @category formats
 */
export const up42Project: Format<ProjectCredentials> = formatOf(Providers.up42Project)

/**
 * `{"username":"…","password":"…"}`: a UP42 account.
 *
 * @since 0.1.0
 * @category formats
 */
export const up42Account: Format<AccountCredentials> = formatOf(Providers.up42Account)

/**
 * Bitquery: an application's `{"client_id":"…","client_secret":"…"}`, or a console token
 * as `{"access_token":"…"}`. A file with both is refused rather than guessed at.
 *
 * @since 0.1.0
 * @category formats
 */
export const bitquery: Format<ClientCredentials | StaticToken> = formatOf(Providers.bitquery)

// ---------------------------------------------------------------------------------------
// loading
// ---------------------------------------------------------------------------------------

/**
 * Options of {@link load}.
 *
 * @since 0.1.0
 * @category models
 */
export interface LoadOptions {
  /**
   * Refuse a file readable by group or others. Default: `true`, except on Windows, whose
   * files have no POSIX permission bits.
   */
  readonly requirePrivate?: boolean | undefined
}

/**
 * Reads and checks a credentials file: it must exist, be a regular file, be private to
 * its owner (mode `600` or stricter), hold at most 64 KiB of JSON object, and have the
 * format's fields as non-empty strings.
 *
 * The file is opened once and everything is checked on that open file, so a path
 * renamed or replaced meanwhile cannot slip past a check: the type, permissions and size
 * are those of the file that is then read, and the read stops after 64 KiB whatever the
 * file grows to. Opening never waits (a FIFO or a device is refused, never read). A
 * symbolic link is followed, as for a Kubernetes secret volume, and the file it points to
 * is what is checked.
 *
 * @example
 * import { Effect } from "effect"
 * import { CredentialsFile } from "@effect-bearer/platform-node"
 *
 * const credentials: Effect.Effect<CredentialsFile.ClientCredentials, CredentialsFile.CredentialsFileError> =
 *   CredentialsFile.load("creds.json", CredentialsFile.hydrosat)
 *
 * @since 0.1.0
 * @category loading
 */
export const load = <A>(
  path: string,
  format: Format<A>,
  options?: LoadOptions
): Effect.Effect<A, CredentialsFileError> =>
  Effect.gen(function*() {
    const invalid = (fields: Omit<ConstructorParameters<typeof InvalidCredentialsFile>[0], "path" | "expected">) =>
      new InvalidCredentialsFile({ path, expected: format.expected, ...fields })
    const requirePrivate = options?.requirePrivate ?? process.platform !== "win32"

    const unreadable = (failure: internal.SystemFailure) => new CredentialsFileUnreadable({ path, reason: failure.reason })
    const bytes = yield* Effect.acquireUseRelease(
      internal.openNonBlocking(path).pipe(
        Effect.mapError((failure) =>
          failure.code === "ENOENT" ? new CredentialsFileNotFound({ path, expected: format.expected }) : unreadable(failure)
        )
      ),
      (handle) =>
        Effect.gen(function*() {
          const info = yield* Effect.mapError(internal.attempt(() => handle.stat()), unreadable)
          if (!info.isFile()) {
            return yield* new CredentialsFileUnreadable({
              path,
              reason: CredentialsFileProblem.notRegularFileReason(CredentialsFileProblem.kindOf(info))
            })
          }
          if (requirePrivate && CredentialsFileProblem.isShared(info.mode)) {
            return yield* new InsecureCredentialsFile({ path, mode: info.mode & 0o7777 })
          }
          const limit = CredentialsFileProblem.maximumBytes
          if (info.size > limit) return yield* invalid({ reason: "TooLarge" })
          // The size is only what it was a moment ago: the read is capped on its own.
          const read = yield* Effect.mapError(internal.readAtMost(handle, limit + 1), unreadable)
          if (read.length > limit) return yield* invalid({ reason: "TooLarge" })
          return read
        }),
      (handle) => Effect.promise(() => handle.close().catch(() => undefined))
    )

    const parsed = CredentialsFileProblem.parseObject(new TextDecoder().decode(bytes))
    if (parsed._tag === "Invalid") {
      const { _tag, ...problem } = parsed
      return yield* invalid(problem)
    }
    return yield* Either.match(format.decode(parsed.object), {
      onLeft: (problem) => Effect.fail(invalid(problem)),
      onRight: Effect.succeed
    })
  })

// ---------------------------------------------------------------------------------------
// the providers' reader
// ---------------------------------------------------------------------------------------

/**
 * The providers' `CredentialsFileReader`: with it, a provider's `layerConfig` reads the
 * file its record's variable names (`HYDROSAT_CREDENTIALS_FILE=creds.json`) with
 * {@link load}'s checks (private to its owner, `chmod 600`); a problem with the file
 * fails the layer with `InvalidConfiguration` naming the variable and saying what to fix,
 * whose standard `cause` is the file's own {@link CredentialsFileError} (the reader's error
 * type is the providers' `InvalidConfiguration`; the cause lets a caller report the file's
 * problem by its kind, as the `effect-bearer` command does).
 *
 * @example
 * import { Layer } from "effect"
 * import { CredentialsFile } from "@effect-bearer/platform-node"
 * import { Hydrosat } from "@effect-bearer/providers"
 *
 * const Tokens = Hydrosat.layerConfig().pipe(Layer.provide(CredentialsFile.layerReader))
 *
 * @since 0.1.0
 * @category layers
 */
export const layerReader: Layer.Layer<CredentialsFileReader.CredentialsFileReader> = Layer.succeed(
  CredentialsFileReader.CredentialsFileReader,
  {
    read: (path, provider, setting) =>
      load(path, formatOf(provider)).pipe(
        // The file's errors never hold a value from it: their message is safe to pass on.
        Effect.mapError((error) =>
          withCause(
            new TokenError.InvalidConfiguration({ setting, problem: `names a file that cannot be used: ${error.message}` }),
            error
          )
        )
      )
  }
)

/** `error` with `cause` as its standard `Error.cause`, not enumerable: its fields and equality stay its own. */
const withCause = <E extends Error>(error: E, cause: CredentialsFileError): E =>
  Object.defineProperty(error, "cause", { value: cause, enumerable: false, configurable: true, writable: true })
