/**
 * Secrets never print: the conformance RedactionCases (canaries, failing endpoints, refused
 * refreshes; shared with the Effect 4 line) on this line's provider, logger and formatter.
 */
import { describe, expect, it } from "@effect/vitest"
import { Cause, Effect, Exit, Inspectable, Logger, LogLevel, Option, Redacted, Ref, Schedule, TestClock } from "effect"
import { AccessToken, ClientAuthentication, Grant, TokenError, TokenProvider } from "@effect-bearer/core"
import * as RedactionCases from "@effect-bearer/conformance/RedactionCases"
import * as Polling from "@effect-bearer/test-support/Polling"
import * as TokenServer from "./support/TokenServer.js"

const { canaries } = RedactionCases
const everyForm = (value: unknown): ReadonlyArray<string> => [...RedactionCases.printedForms(value), Inspectable.format(value)]
const expectNoCanary = (texts: Iterable<string>) => RedactionCases.expectNoCanary(expect, texts)
const password = Grant.password({ username: "me@example.com", password: Redacted.make(canaries.password) })
const clientAuthentication = ClientAuthentication.clientSecretPost({ clientId: "client", clientSecret: Redacted.make(canaries.clientSecret) })

/** A logger that keeps every line, at every level. */
const capturingLogger = Effect.map(Ref.make<ReadonlyArray<string>>([]), (lines) => ({
  lines: Ref.get(lines),
  layer: Logger.replace(
    Logger.defaultLogger,
    Logger.make((options) => {
      Effect.runSync(Ref.update(lines, (all) => [...all, Logger.logfmtLogger.log(options), Inspectable.format(options.message), Cause.pretty(options.cause)]))
    })
  )
}))

describe("secrets never print", () => {
  it("an access token, its refresh token and a grant print as <redacted>", () => {
    const token = AccessToken.make({
      value: Redacted.make(canaries.accessToken),
      issuedAt: 0,
      lifetime: "5 minutes",
      refreshToken: new AccessToken.RefreshToken({ value: Redacted.make(canaries.refreshToken), expiresAt: Option.none() })
    })
    const client = ClientAuthentication.clientSecretBasic({ clientId: "c", clientSecret: Redacted.make(canaries.clientSecret) })
    expectNoCanary([...everyForm(token), ...everyForm(password), ...everyForm(client), ...everyForm(clientAuthentication)])
  })

  it.scoped("no error, cause or log line of a failing lifecycle holds a secret", () =>
    Effect.gen(function*() {
      const logs = yield* capturingLogger
      const server = yield* TokenServer.TokenServer
      const errors: Array<unknown> = []
      for (const failure of RedactionCases.failures) {
        yield* server.handle((request) => Effect.succeed(TokenServer.fromAnswer(failure.answer(request.body))))
        const exit = yield* TokenProvider.fromEndpoint({ url: server.tokenUrl, grant: password, clientAuthentication, retry: Schedule.recurs(1) })
          .pipe(Effect.flatMap((provider) => provider.get), Effect.exit, Effect.provide(logs.layer))
        expect(Exit.isFailure(exit)).toBe(true)
        if (Exit.isFailure(exit)) errors.push(exit.cause, ...Cause.failures(exit.cause))
      }
      for (const error of errors) {
        expectNoCanary(everyForm(error))
        if (Cause.isCause(error)) expectNoCanary([Cause.pretty(error)])
      }
      expect(errors.filter(TokenError.isTokenError).map((e) => e._tag)).toEqual(RedactionCases.failures.map((failure) => failure.tag))
      // A refresh token refused, then a background refresh refused: both are logged.
      yield* server.handle((request) => Effect.succeed(TokenServer.fromAnswer(RedactionCases.refreshRefused(request.form, request.body))))
      const provider = yield* TokenProvider.fromEndpoint({ url: server.tokenUrl, grant: password, clientAuthentication, backgroundRefresh: { at: 0.5, jitter: 0 } })
        .pipe(Effect.provide(logs.layer))
      yield* provider.get
      yield* server.handle((request) => Effect.succeed(TokenServer.fromAnswer(RedactionCases.clientRefused(request.body))))
      yield* TestClock.adjust("150 seconds")
      yield* Polling.eventually(Effect.map(logs.lines, (lines) => lines.join("\n").includes(RedactionCases.expectedLogs[0])))
      const lines = yield* logs.lines
      for (const expected of RedactionCases.expectedLogs) expect(lines.join("\n")).toContain(expected)
      expectNoCanary(lines)
    }).pipe(Effect.provide(TokenServer.layer), Logger.withMinimumLogLevel(LogLevel.All)))
})
