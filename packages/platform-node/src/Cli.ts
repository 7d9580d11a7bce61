/**
 * The `effect-bearer` command line: the one-line replacement for the providers' documented
 * `curl … | jq -r .data.accessToken` recipes.
 *
 * - `effect-bearer token <provider>` prints an access token, and nothing else, on stdout:
 *   `TOKEN=$(effect-bearer token hydrosat)`. Credentials come from the provider's
 *   environment variables or from `--credentials <file>`, never from the command line
 *   (where `ps` and the shell history would show them). The token is cached, sealed, in the
 *   file store (`FileTokenStore`) and printed from there while it is usable, with no request;
 *   `--no-cache` always asks. `--json` prints the whole token response with the secrets
 *   redacted, unless `--reveal`.
 * - `effect-bearer header <provider>` prints `Authorization: Bearer <token>` for
 *   `curl -H @-`, with the same token, cache and options.
 * - `effect-bearer decode [jwt]` shows a JWT's header, claims and the time left (reading
 *   the token from stdin when no argument is given, so it stays out of `ps` too).
 *
 * Messages go to stderr; each error has its own exit code ({@link exitCodes}); no subcommand,
 * whatever options come with it, is a usage error (help on stderr, exit code 2). Colours
 * only on a terminal without `NO_COLOR`.
 *
 * A little over 300 lines: the public errors, exit codes and the three commands' declarations
 * belong together; what the commands do is in `internal/cliToken.ts` and
 * `internal/cliConsole.ts`, the exit codes, messages and JWT report are the kernel's
 * (`CliExitCode`, `JwtReport`, `TerminalText`), the same in both Effect lines.
 *
 * @since 0.1.0
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as Options from "@effect/cli/Options"
import * as ValidationError from "@effect/cli/ValidationError"
import type * as FileSystem from "@effect/platform/FileSystem"
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as Path from "@effect/platform/Path"
import type * as Terminal from "@effect/platform/Terminal"
import { Cause, Clock, Console, Effect, Exit, Layer, Logger, LogLevel, Option, Redacted, Schema } from "effect"
import { text as readAll } from "node:stream/consumers"
import { TokenError } from "@effect-bearer/core"
import * as CliExitCode from "@effect-bearer/kernel/CliExitCode"
import * as JwtReport from "@effect-bearer/kernel/JwtReport"
import * as TerminalText from "@effect-bearer/kernel/TerminalText"
import type * as CredentialsFile from "./CredentialsFile.js"
import * as CliConsole from "./internal/cliConsole.js"
import * as cliProviders from "./internal/cliProviders.js"
import * as CliToken from "./internal/cliToken.js"

// ---------------------------------------------------------------------------------------
// errors of the command line itself
// ---------------------------------------------------------------------------------------

/**
 * `token <provider>` found neither the provider's environment variables nor a
 * `--credentials` file.
 *
 * @since 0.1.0
 * @category errors
 */
export class MissingCredentials extends Schema.TaggedError<MissingCredentials>("effect-bearer/MissingCredentials")(
  "MissingCredentials",
  {
    provider: Schema.String,
    /** The environment variables to set, as a phrase, e.g. `HYDROSAT_CLIENT_ID and HYDROSAT_CLIENT_SECRET`. */
    environment: Schema.String,
    /** The shape of a credentials file for this provider. */
    fileFormat: Schema.String
  }
) {
  override get message(): string {
    return CliExitCode.missingCredentialsMessage(this.provider, this.environment, this.fileFormat)
  }
}

/**
 * `decode` was given something that is not a JWT (or nothing at all).
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidJwt extends Schema.TaggedError<InvalidJwt>("effect-bearer/InvalidJwt")("InvalidJwt", {
  reason: Schema.Literal("NotAJwt", "NoInput")
}) {
  override get message(): string {
    return CliExitCode.invalidJwtMessage(this.reason)
  }
}

/**
 * Every error `effect-bearer` reports with its own exit code.
 *
 * @since 0.1.0
 * @category errors
 */
export type CliError =
  | TokenError.TokenError
  | TokenError.InvalidConfiguration
  | CredentialsFile.CredentialsFileError
  | MissingCredentials
  | InvalidJwt

// ---------------------------------------------------------------------------------------
// exit codes
// ---------------------------------------------------------------------------------------

/**
 * The exit code of each outcome. `0` is success, `1` an unexpected failure (a bug),
 * `2` a command line that could not be parsed, `130` an interruption (Ctrl-C); the same in
 * both Effect lines (the kernel's `CliExitCode`).
 *
 * @since 0.1.0
 * @category exit codes
 */
export const exitCodes: typeof CliExitCode.exitCodes & Record<CliError["_tag"], number> = CliExitCode.exitCodes

/**
 * The exit code for how a run ended.
 *
 * @since 0.1.0
 * @category exit codes
 */
export const exitCodeOf = (exit: Exit.Exit<unknown, unknown>): number => {
  if (Exit.isSuccess(exit)) return exitCodes.Success
  if (Cause.isInterruptedOnly(exit.cause)) return exitCodes.Interrupted
  return Option.match(Cause.failureOption(exit.cause), {
    onNone: () => exitCodes.Unexpected,
    onSome: (error) =>
      ValidationError.isValidationError(error)
        ? exitCodes.InvalidCommandLine
        : CliExitCode.hasOwnExitCode(error)
        ? CliExitCode.ofErrorTag(error._tag)
        : exitCodes.Unexpected
  })
}

/**
 * Writes what went wrong to stderr: the error's own message for the errors users can
 * fix, the full cause for a bug. (`@effect/cli` has already printed its usage errors.)
 *
 * @since 0.1.0
 * @category exit codes
 */
export const reportFailure = <E, R>(effect: Effect.Effect<void, E, R>): Effect.Effect<void, E, R> =>
  Effect.tapErrorCause(effect, (cause) => {
    if (Cause.isInterruptedOnly(cause)) return Effect.void
    const failure = Cause.failureOption(cause)
    if (Option.isSome(failure) && ValidationError.isValidationError(failure.value)) return Effect.void
    if (Option.isSome(failure) && CliExitCode.hasOwnExitCode(failure.value)) {
      // Messages quote servers and files: one line, no terminal escapes, whatever made the error.
      const message = TokenError.sanitizeServerText(failure.value.message, [], Number.POSITIVE_INFINITY)
      return Console.error(`effect-bearer: ${failure.value._tag}: ${message}`)
    }
    return Console.error(`effect-bearer: unexpected failure, please report it:\n${Cause.pretty(cause)}`)
  })

// ---------------------------------------------------------------------------------------
// token <provider>
// ---------------------------------------------------------------------------------------

const providerArg = Args.choice(cliProviders.all.map((provider) => [provider.name, provider] as const), {
  name: "provider"
}).pipe(
  Args.withDescription(
    `Whose token, and the environment variables it reads: ${
      cliProviders.all.map((provider) => `${provider.name} (${provider.environment})`).join("; ")
    }.`
  )
)

// A plain text option rather than `Options.file`: CredentialsFile's own errors (missing,
// a directory, readable by others) say more than a usage error would.
const credentialsOption = Options.text("credentials").pipe(
  Options.withPseudoName("file"),
  Options.optional,
  Options.withDescription(
    "A JSON credentials file (chmod 600), e.g. Hydrosat's creds.json. Without it, the provider's environment variables are used."
  )
)

const jsonOption = Options.boolean("json").pipe(
  Options.withDescription("Print the token response as JSON, its secrets redacted unless --reveal.")
)

const revealOption = Options.boolean("reveal").pipe(
  Options.withDescription("With --json: print the access and refresh tokens instead of <redacted>.")
)

const noCacheOption = Options.boolean("no-cache").pipe(
  Options.withDescription(
    "Neither read nor write the token cache ($XDG_CACHE_HOME/effect-bearer, else ~/.cache/effect-bearer): always ask the provider."
  )
)

/** The options of both `token` and `header`: whose token, from where, cached or not. */
const tokenOptions = { provider: providerArg, credentials: credentialsOption, noCache: noCacheOption }

const acquire = (request: CliToken.Request) =>
  CliToken.acquire(request, () =>
    new MissingCredentials({
      provider: request.provider.name,
      environment: request.provider.environment,
      fileFormat: request.provider.format.expected
    }))

const tokenCommand = Command.make(
  "token",
  { ...tokenOptions, json: jsonOption, reveal: revealOption },
  ({ json, reveal, ...request }) =>
    Effect.gen(function*() {
      const token = yield* acquire(request)
      if (json) {
        const now = yield* Clock.currentTimeMillis
        yield* Console.log(TerminalText.safeJson(CliToken.json(request.provider.name, token, now, reveal), 2))
      } else {
        yield* Console.log(Redacted.value(token.value))
      }
    })
).pipe(
  Command.withDescription(
    "Print an access token on stdout, e.g. TOKEN=$(effect-bearer token hydrosat): the cached one while it is usable, " +
      "else a fresh one. Credentials come from the provider's environment variables or --credentials <file>, never from the command line."
  )
)

// ---------------------------------------------------------------------------------------
// header <provider>
// ---------------------------------------------------------------------------------------

const headerCommand = Command.make(
  "header",
  tokenOptions,
  (request) => Effect.flatMap(acquire(request), (token) => Console.log(CliToken.authorizationHeader(token)))
).pipe(
  Command.withDescription(
    "Print the request header, Authorization: Bearer <token>, on one line for curl: " +
      "effect-bearer header <provider> | curl -H @- <API URL>. " +
      "The same token, cache and options as token."
  )
)

// ---------------------------------------------------------------------------------------
// decode [jwt]
// ---------------------------------------------------------------------------------------

const jwtArg = Args.text({ name: "jwt" }).pipe(
  Args.withDescription("The JWT to decode; `-` or nothing reads it from standard input."),
  Args.optional
)

const readStandardInput: Effect.Effect<string, InvalidJwt> = Effect.suspend(() =>
  process.stdin.isTTY === true
    ? Effect.fail(new InvalidJwt({ reason: "NoInput" }))
    : Effect.promise(() => readAll(process.stdin))
).pipe(Effect.filterOrFail((input) => input.trim() !== "", () => new InvalidJwt({ reason: "NoInput" })))

const decodeCommand = Command.make(
  "decode",
  { jwt: jwtArg, json: Options.boolean("json").pipe(Options.withDescription("Print the header, claims and times as JSON.")) },
  ({ json, jwt }) =>
    Effect.gen(function*() {
      const input = Option.isSome(jwt) && jwt.value !== "-" ? jwt.value : yield* readStandardInput
      const report = JwtReport.decode(input)
      if (report === undefined) return yield* new InvalidJwt({ reason: "NotAJwt" })
      const now = yield* Clock.currentTimeMillis
      yield* Console.log(json ? JwtReport.json(report, now) : JwtReport.text(report, now))
    })
).pipe(
  Command.withDescription(
    "Show a JWT's header and claims and how long it has left. The signature is not checked: only the issuer can."
  )
)

// ---------------------------------------------------------------------------------------
// the application
// ---------------------------------------------------------------------------------------

/**
 * The `effect-bearer` command and its subcommands.
 *
 * @since 0.1.0
 * @category commands
 */
export const command = Command.make("effect-bearer", {}, () => Effect.fail(noCommand)).pipe(
  Command.withDescription("OAuth2 bearer tokens for UP42, Bitquery, Hydrosat and any OAuth2 server."),
  Command.withSubcommands([tokenCommand, headerCommand, decodeCommand])
)

/**
 * Logs on stderr, so that stdout carries nothing but what was asked for (the token), and
 * only warnings and errors unless `--log-level` asks for more.
 *
 * @since 0.1.0
 * @category layers
 */
export const logger: Layer.Layer<never> = Layer.unwrapEffect(Effect.map(CliConsole.colours, (colours) =>
  Layer.merge(
    // Coloured only on a terminal stderr without NO_COLOR (the pretty logger's own check is stdout's).
    Logger.replace(Logger.defaultLogger, Logger.prettyLogger({ stderr: true, colors: colours.stderr })),
    Logger.minimumLogLevel(LogLevel.Warning)
  )))

/**
 * What the commands need from the platform: a file system, paths, a terminal and an
 * HTTP client.
 *
 * @since 0.1.0
 * @category models
 */
export type Environment = FileSystem.FileSystem | Path.Path | Terminal.Terminal | HttpClient.HttpClient

/**
 * Runs the command line (`process.argv`), reporting failures on stderr. Pair it with
 * {@link exitCodeOf} for the exit code, as `bin.ts` does.
 *
 * @example
 * import { NodeContext, NodeHttpClient, NodeRuntime } from "@effect/platform-node"
 * import { Effect, Layer } from "effect"
 * import { Cli } from "@effect-bearer/platform-node"
 *
 * Cli.run(process.argv).pipe(
 *   Effect.provide(Layer.mergeAll(NodeContext.layer, NodeHttpClient.layerUndici, Cli.logger)),
 *   NodeRuntime.runMain({
 *     disableErrorReporting: true,
 *     disablePrettyLogger: true,
 *     teardown: (exit, onExit) => onExit(Cli.exitCodeOf(exit))
 *   })
 * )
 *
 * @since 0.1.0
 * @category running
 */
export const run = (argv: ReadonlyArray<string>): Effect.Effect<void, unknown, Environment> =>
  CliConsole.plain(
    runCommand(argv).pipe(Effect.catchIf((error) => error === noCommand, () => helpInsteadOfNothing(argv)))
  ).pipe(reportFailure)

const runCommand = Command.run(command, { name: "effect-bearer", version: "0.1.0" })

/**
 * No subcommand is a mistake, not a request, whatever options come with it (`--log-level
 * debug` alone): the root command fails with this, and the run prints the help to stderr
 * (stdout stays empty for `TOKEN=$(effect-bearer)`) and ends with exit code 2, as for any
 * usage error. `--help` and `--version` are answered by `@effect/cli` before any command runs.
 */
const noCommand = ValidationError.missingSubcommand(HelpDoc.p("No command given: token, header or decode."))

const helpInsteadOfNothing = (argv: ReadonlyArray<string>) =>
  CliConsole.stdoutToStderr(runCommand([...argv, "--help"])).pipe(Effect.zipRight(Effect.fail(noCommand)))
