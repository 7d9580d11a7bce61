/**
 * Where the CLI's help, usage errors and logs go, and in which colours: the help asked for
 * (`--help`) on stdout, a usage error's help and message on stderr (stdout stays empty for
 * `TOKEN=$(effect-bearer …)`), logs on stderr; each stream coloured only when it is a terminal
 * and `NO_COLOR` is not set (to anything but the empty string).
 *
 * @internal
 */
import * as TerminalText from "@effect-bearer/kernel/TerminalText"
import { Config, Console, Effect, Layer, Logger, Option, References } from "effect"
import { CliOutput } from "effect/cli"

/** Which of the two streams may carry colours. */
export interface Colours {
  readonly stdout: boolean
  readonly stderr: boolean
}

/** The colours this run may print: on a terminal stream, unless `NO_COLOR` (read through `Config`). */
export const colours: Effect.Effect<Colours> = Config.option(Config.String("NO_COLOR")).pipe(
  Effect.map((value) => TerminalText.noColor(Option.getOrUndefined(value))),
  Effect.orElseSucceed(() => false),
  Effect.map((off) => ({ stdout: !off && process.stdout.isTTY === true, stderr: !off && process.stderr.isTTY === true }))
)

/** The presenter of `effect/cli`'s help and usage errors, by the rules above. */
export const presenter = (allowed: Colours): CliOutput.Presenter => ({
  present: (event) => {
    const on = (stream: "stdout" | "stderr") => CliOutput.defaultFormatter({ colors: allowed[stream] })
    switch (event._tag) {
      case "Help":
        return Console.log(on("stdout").formatHelpDoc(event.helpDoc))
      case "Version":
        return Console.log(on("stdout").formatVersion(event.name, event.version))
      case "InvalidInvocation":
        return Effect.andThen(
          Console.error(on("stderr").formatHelpDoc(event.helpDoc)),
          Console.error(on("stderr").formatErrors(event.errors))
        )
    }
  }
})

/** Logs on stderr, warnings and up (unless `--log-level`), coloured as {@link colours} allows. */
export const logger: Layer.Layer<never> = Layer.unwrap(Effect.map(colours, (allowed) =>
  Layer.mergeAll(
    Logger.layer([Logger.consolePretty({ colors: allowed.stderr })]),
    Layer.succeed(Logger.LogToStderr, true),
    Layer.succeed(References.MinimumLogLevel, "Warn")
  )))
