/**
 * The CLI's console without colours where they do not belong: `@effect/cli` writes its help
 * and usage errors with ANSI escapes whatever the output is, and the pretty logger colours by
 * stdout alone. Each stream keeps its escapes only when it is a terminal and `NO_COLOR` is not
 * set (to anything but the empty string, as https://no-color.org/ says): the kernel's
 * `TerminalText` rules, the same in both Effect lines.
 *
 * @internal
 */
import * as TerminalText from "@effect-bearer/kernel/TerminalText"
import type { Console } from "effect"
import { Config, Effect, Option } from "effect"

/** Which of the two streams may carry colours. */
export interface Colours {
  readonly stdout: boolean
  readonly stderr: boolean
}

/** Whether `NO_COLOR` asks for no colours, read through `Config` as every other variable. */
const noColor: Effect.Effect<boolean> = Config.string("NO_COLOR").pipe(
  Config.option,
  Config.map((value) => TerminalText.noColor(Option.getOrUndefined(value))),
  Effect.orElseSucceed(() => false)
)

/** The colours this run may print: on a terminal stream, unless `NO_COLOR`. */
export const colours: Effect.Effect<Colours> = Effect.map(noColor, (off) => ({
  stdout: !off && process.stdout.isTTY === true,
  stderr: !off && process.stderr.isTTY === true
}))

const plainParts = (parts: ReadonlyArray<unknown>) =>
  parts.map((part) => typeof part === "string" ? TerminalText.stripEscapes(part) : part)

/** `console` with the escapes removed from what goes to each stream that may not carry colours. */
export const withoutColours = (console: Console.Console, allowed: Colours): Console.Console => {
  if (allowed.stdout && allowed.stderr) return console
  const out = <F extends (...parts: ReadonlyArray<any>) => any>(write: F): F =>
    allowed.stdout ? write : ((...parts: ReadonlyArray<unknown>) => write(...plainParts(parts))) as F
  const err = <F extends (...parts: ReadonlyArray<any>) => any>(write: F): F =>
    allowed.stderr ? write : ((...parts: ReadonlyArray<unknown>) => write(...plainParts(parts))) as F
  const unsafe = console.unsafe
  return {
    ...console,
    log: out(console.log),
    info: out(console.info),
    debug: out(console.debug),
    error: err(console.error),
    warn: err(console.warn),
    unsafe: {
      ...unsafe,
      log: out(unsafe.log.bind(unsafe)),
      info: out(unsafe.info.bind(unsafe)),
      debug: out(unsafe.debug.bind(unsafe)),
      error: err(unsafe.error.bind(unsafe)),
      warn: err(unsafe.warn.bind(unsafe))
    }
  }
}

/** Runs `effect` with a console that carries colours only where {@link colours} allows them. */
export const plain = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.flatMap(colours, (allowed) =>
    Effect.consoleWith((console) => Effect.withConsole(effect, withoutColours(console, allowed))))

/** Runs `effect` with what it prints on stdout written to stderr instead (help that is not the requested output). */
export const stdoutToStderr = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.consoleWith((output) =>
    Effect.withConsole(effect, {
      ...output,
      log: (...parts) => output.error(...parts),
      info: (...parts) => output.error(...parts)
    })
  )
