/**
 * The `effect-bearer` command line on `effect/cli`: the one-line replacement for the providers'
 * documented `curl … | jq -r .data.accessToken` recipes, with the same commands, options, output
 * and exit codes as the Effect 3 line's (the exit codes and messages are the kernel's
 * `CliExitCode`). This package ships the `effect-bearer` bin too, so a user of either line has it.
 *
 * - `effect-bearer token <provider>` prints an access token, and nothing else, on stdout.
 *   Credentials come from the provider's environment variables or `--credentials <file>`, never
 *   from the command line. The token is cached, sealed, in the file store (`FileTokenStore`);
 *   `--no-cache` always asks. `--json` prints the token response, its secrets redacted unless `--reveal`.
 * - `effect-bearer header <provider>` prints `Authorization: Bearer <token>` for `curl -H @-`.
 * - `effect-bearer decode [jwt]` shows a JWT's header, claims and the time left (reading the token
 *   from stdin when no argument is given, so it stays out of `ps` too).
 *
 * Messages go to stderr; each error has its own exit code ({@link exitCodes}); no subcommand,
 * whatever options come with it, is a usage error (help on stderr, exit code 2). Colours only on
 * a terminal without `NO_COLOR`.
 *
 * @since 4.0.0
 */
import * as CliExitCode from "@effect-bearer/kernel/CliExitCode"
import * as JwtReport from "@effect-bearer/kernel/JwtReport"
import * as TerminalText from "@effect-bearer/kernel/TerminalText"
import * as TokenError from "@effect-bearer/core/TokenError"
import { Cause, Clock, Console, Effect, Exit, Layer, Option, Redacted, Schema } from "effect"
import { Argument, CliError, CliOutput, Command, Flag } from "effect/cli"
import type { HttpClient } from "effect/http"
import { text as readAll } from "node:stream/consumers"
import type * as CredentialsFile from "./CredentialsFile.js"
import * as CliConsole from "./internal/cliConsole.js"
import * as CliProviders from "./internal/cliProviders.js"
import * as CliToken from "./internal/cliToken.js"

/**
 * `token <provider>` found neither the provider's environment variables nor a `--credentials` file.
 *
 * @since 4.0.0
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
 * @since 4.0.0
 * @category errors
 */
export class InvalidJwt extends Schema.TaggedError<InvalidJwt>("effect-bearer/InvalidJwt")("InvalidJwt", {
  reason: Schema.Literals(["NotAJwt", "NoInput"])
}) {
  override get message(): string {
    return CliExitCode.invalidJwtMessage(this.reason)
  }
}

/**
 * Every error `effect-bearer` reports with its own exit code.
 *
 * @since 4.0.0
 * @category errors
 */
export type CliFailure =
  | TokenError.TokenError
  | TokenError.InvalidConfiguration
  | CredentialsFile.CredentialsFileError
  | MissingCredentials
  | InvalidJwt

/**
 * The exit code of each outcome: `0` success, `1` an unexpected failure (a bug), `2` a command
 * line that could not be parsed, `130` an interruption (Ctrl-C), and one per error.
 *
 * @since 4.0.0
 * @category exit codes
 */
export const exitCodes: typeof CliExitCode.exitCodes & Record<CliFailure["_tag"], number> = CliExitCode.exitCodes

/**
 * The exit code for how a run ended.
 *
 * @since 4.0.0
 * @category exit codes
 */
export const exitCodeOf = (exit: Exit.Exit<unknown, unknown>): number => {
  if (Exit.isSuccess(exit)) return exitCodes.Success
  if (Cause.hasInterruptsOnly(exit.cause)) return exitCodes.Interrupted
  const error = Option.getOrUndefined(Cause.findErrorOption(exit.cause))
  if (error === undefined) return exitCodes.Unexpected
  return CliError.isCliError(error) ? exitCodes.InvalidCommandLine : CliExitCode.ofErrorTag(CliExitCode.hasOwnExitCode(error) ? error._tag : "")
}

/**
 * Writes what went wrong to stderr: the error's own message for the errors users can fix, the
 * full cause for a bug. (`effect/cli` has already presented its usage errors.)
 *
 * @since 4.0.0
 * @category exit codes
 */
export const reportFailure = <E, R>(effect: Effect.Effect<void, E, R>): Effect.Effect<void, E, R> =>
  Effect.tapCause(effect, (cause) => {
    if (Cause.hasInterruptsOnly(cause)) return Effect.void
    const error = Option.getOrUndefined(Cause.findErrorOption(cause))
    if (CliError.isCliError(error)) return Effect.void
    if (CliExitCode.hasOwnExitCode(error)) {
      // Messages quote servers and files: one line, no terminal escapes, whatever made the error.
      const message = TokenError.sanitizeServerText(error.message, [], Number.POSITIVE_INFINITY)
      return Console.error(`effect-bearer: ${error._tag}: ${message}`)
    }
    return Console.error(`effect-bearer: unexpected failure, please report it:\n${Cause.pretty(cause)}`)
  })

const provider = Argument.ChoiceWithValue("provider", CliProviders.all.map((entry) => [entry.name, entry] as const)).pipe(
  Argument.withDescription(
    `Whose token, and the environment variables it reads: ${CliProviders.all.map((entry) => `${entry.name} (${entry.environment})`).join("; ")}.`
  )
)

// A plain text flag rather than a file flag: CredentialsFile's own errors (missing, a directory,
// readable by others) say more than a usage error would.
const credentials = Flag.String("credentials").pipe(
  Flag.withMetavar("file"),
  Flag.optional,
  Flag.withDescription("A JSON credentials file (chmod 600), e.g. Hydrosat's creds.json. Without it, the provider's environment variables are used.")
)

const noCache = Flag.Boolean("no-cache").pipe(
  Flag.withDefault(false),
  Flag.withDescription("Neither read nor write the token cache ($XDG_CACHE_HOME/effect-bearer, else ~/.cache/effect-bearer): always ask the provider.")
)

/** The options of both `token` and `header`: whose token, from where, cached or not. */
const tokenOptions = { provider, credentials, noCache }

const acquire = (request: CliToken.Request) =>
  CliToken.acquire(request, () =>
    new MissingCredentials({
      provider: request.provider.name,
      environment: request.provider.environment,
      fileFormat: request.provider.format.expected
    }))

const tokenCommand = Command.make(
  "token",
  {
    ...tokenOptions,
    json: Flag.Boolean("json").pipe(Flag.withDefault(false), Flag.withDescription("Print the token response as JSON, its secrets redacted unless --reveal.")),
    reveal: Flag.Boolean("reveal").pipe(Flag.withDefault(false), Flag.withDescription("With --json: print the access and refresh tokens instead of <redacted>."))
  },
  ({ json, reveal, ...request }) =>
    Effect.gen(function*() {
      const token = yield* acquire(request)
      if (!json) return yield* Console.log(Redacted.value(token.value))
      const now = yield* Clock.currentTimeMillis
      yield* Console.log(TerminalText.safeJson(CliToken.json(request.provider.name, token, now, reveal), 2))
    })
).pipe(
  Command.withDescription(
    "Print an access token on stdout, e.g. TOKEN=$(effect-bearer token hydrosat): the cached one while it is usable, " +
      "else a fresh one. Credentials come from the provider's environment variables or --credentials <file>, never from the command line."
  )
)

const headerCommand = Command.make(
  "header",
  tokenOptions,
  (request) => Effect.flatMap(acquire(request), (token) => Console.log(CliToken.authorizationHeader(token)))
).pipe(
  Command.withDescription(
    "Print the request header, Authorization: Bearer <token>, on one line for curl: " +
      "effect-bearer header <provider> | curl -H @- <API URL>. The same token, cache and options as token."
  )
)

const readStandardInput: Effect.Effect<string, InvalidJwt> = Effect.suspend(() =>
  process.stdin.isTTY === true ? Effect.fail(new InvalidJwt({ reason: "NoInput" })) : Effect.promise(() => readAll(process.stdin))
).pipe(Effect.filterOrFail((input) => input.trim() !== "", () => new InvalidJwt({ reason: "NoInput" })))

const decodeCommand = Command.make(
  "decode",
  {
    jwt: Argument.String("jwt").pipe(
      Argument.withDescription("The JWT to decode; `-` or nothing reads it from standard input."),
      Argument.optional
    ),
    json: Flag.Boolean("json").pipe(Flag.withDefault(false), Flag.withDescription("Print the header, claims and times as JSON."))
  },
  ({ json, jwt }) =>
    Effect.gen(function*() {
      const input = Option.isSome(jwt) && jwt.value !== "-" ? jwt.value : yield* readStandardInput
      const report = JwtReport.decode(input)
      if (report === undefined) return yield* new InvalidJwt({ reason: "NotAJwt" })
      const now = yield* Clock.currentTimeMillis
      yield* Console.log(json ? JwtReport.json(report, now) : JwtReport.text(report, now))
    })
).pipe(Command.withDescription("Show a JWT's header and claims and how long it has left. The signature is not checked: only the issuer can."))

/**
 * No subcommand is a mistake, not a request, whatever options come with it (`--log-level debug`
 * alone): a usage error, its help on stderr, exit code 2. `--help` and `--version` are answered
 * by `effect/cli` before any command runs.
 */
const noCommand = new CliError.ShowHelp({
  commandPath: ["effect-bearer"],
  errors: [new CliError.ValidationError({ message: "No command given: token, header or decode." })]
})

/**
 * The `effect-bearer` command and its subcommands.
 *
 * @since 4.0.0
 * @category commands
 */
export const command = Command.make("effect-bearer", {}, () => Effect.fail(noCommand)).pipe(
  Command.withDescription("OAuth2 bearer tokens for UP42, Bitquery, Hydrosat and any OAuth2 server."),
  Command.withSubcommands([tokenCommand, headerCommand, decodeCommand])
)

/**
 * Logs on stderr, so that stdout carries nothing but what was asked for (the token), and only
 * warnings and errors unless `--log-level` asks for more.
 *
 * @since 4.0.0
 * @category layers
 */
export const logger: Layer.Layer<never> = CliConsole.logger

/**
 * What the commands need from the platform: `effect/cli`'s environment and an HTTP client.
 *
 * @since 4.0.0
 * @category models
 */
export type Environment = Command.Environment | HttpClient.HttpClient

/**
 * Runs the command line (`process.argv`: the node binary and the script first), reporting
 * failures on stderr. Pair it with {@link exitCodeOf} for the exit code, as `bin.ts` does.
 *
 * @example
 * import { NodeHttpClient, NodeRuntime, NodeServices } from "@effect/platform-node"
 * import { Effect, Layer } from "effect"
 * import { Cli } from "@effect-bearer/platform-node"
 *
 * Cli.run(process.argv).pipe(
 *   Effect.provide(Layer.mergeAll(NodeServices.layer, NodeHttpClient.layerUndici, Cli.logger)),
 *   NodeRuntime.runMain({ disableErrorReporting: true, teardown: (exit, onExit) => onExit(Cli.exitCodeOf(exit)) })
 * )
 *
 * @since 4.0.0
 * @category running
 */
export const run = (argv: ReadonlyArray<string>): Effect.Effect<void, unknown, Environment> =>
  Effect.flatMap(CliConsole.colours, (allowed) =>
    Command.runWith(command, { version: "4.0.0" })(argv.slice(2)).pipe(
      Effect.provideService(CliOutput.Presenter, CliConsole.presenter(allowed))
    )).pipe(reportFailure)
