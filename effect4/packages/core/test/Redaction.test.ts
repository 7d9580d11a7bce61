/**
 * Secrets never print: the conformance RedactionCases (canaries, failing endpoints, refused
 * refreshes; shared with the Effect 3 line) on this line's provider, logger and formatter.
 */
import { describe, expect, it } from "@effect/vitest"
import { Cause, Effect, Exit, Formatter, Option, Redacted, Schedule } from "effect"
import { TestClock } from "effect/testing"
import { AccessToken, ClientAuthentication, Grant, TokenError, TokenProvider } from "@effect-bearer/core"
import * as RedactionCases from "@effect-bearer/conformance/RedactionCases"
import * as Recording from "./support/Recording.js"
import * as TestTime from "./support/TestTime.js"
import * as TokenServer from "./support/TokenServer.js"

const { canaries } = RedactionCases
const everyForm = (value: unknown): ReadonlyArray<string> => [...RedactionCases.printedForms(value), Formatter.format(value)]
const expectNoCanary = (texts: Iterable<string>) => RedactionCases.expectNoCanary(expect, texts)
const password = Grant.password({ username: "me@example.com", password: Redacted.make(canaries.password) })
const clientAuthentication = ClientAuthentication.clientSecretPost({ clientId: "client", clientSecret: Redacted.make(canaries.clientSecret) })

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

  it.effect("no error, cause or log line of a failing lifecycle holds a secret", () => {
    const logs = Recording.logger()
    return Effect.gen(function*() {
      const server = yield* TokenServer.make
      const errors: Array<unknown> = []
      for (const failure of RedactionCases.failures) {
        yield* server.handle((request) => Effect.succeed(TokenServer.fromAnswer(failure.answer(request.body))))
        const exit = yield* TokenProvider.fromEndpoint({ url: server.tokenUrl, grant: password, clientAuthentication, retry: Schedule.recurs(1) })
          .pipe(Effect.flatMap((provider) => provider.get), Effect.exit)
        expect(Exit.isFailure(exit)).toBe(true)
        if (Exit.isFailure(exit)) errors.push(exit.cause, ...exit.cause.reasons.filter(Cause.isFailReason).map((reason) => reason.error))
      }
      for (const error of errors) {
        expectNoCanary(everyForm(error))
        if (Cause.isCause(error)) expectNoCanary([Cause.pretty(error)])
      }
      expect(errors.filter(TokenError.isTokenError).map((e) => e._tag)).toEqual(RedactionCases.failures.map((failure) => failure.tag))
      // A refresh token refused, then a background refresh refused: both are logged.
      yield* server.handle((request) => Effect.succeed(TokenServer.fromAnswer(RedactionCases.refreshRefused(request.form, request.body))))
      const provider = yield* TokenProvider.fromEndpoint({ url: server.tokenUrl, grant: password, clientAuthentication, backgroundRefresh: { at: 0.5, jitter: 0 } })
      yield* provider.get
      yield* server.handle((request) => Effect.succeed(TokenServer.fromAnswer(RedactionCases.clientRefused(request.body))))
      yield* TestClock.adjust("150 seconds")
      yield* TestTime.eventually(Effect.sync(() => logs.lines.some((line) => line.message.includes(RedactionCases.expectedLogs[0]))))
      const lines = logs.lines.map((line) => `${line.level} ${line.message} ${JSON.stringify(line.annotations)}`)
      for (const expected of RedactionCases.expectedLogs) expect(lines.join("\n")).toContain(expected)
      expectNoCanary(lines)
    }).pipe(Effect.provide([TokenServer.layerClient, logs.layer]))
  })
})
