import { describe, expect, it } from "@effect/vitest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Cause, Effect, Exit, Inspectable, Logger, LogLevel, Option, Redacted, Ref, Schedule, TestClock } from "effect"
import { AccessToken, ClientAuthentication, Grant, TokenError, TokenProvider } from "@effect-bearer/core"
import * as Polling from "@effect-bearer/test-support/Polling"
import * as TokenServer from "./support/TokenServer.js"

const canaries = {
  clientSecret: "canary-client-secret-4d1f",
  password: "canary-password-9b2e",
  accessToken: "canary-access-token-77aa",
  refreshToken: "canary-refresh-token-31cc"
}
const everyForm = (value: unknown): ReadonlyArray<string> => [
  String(value),
  JSON.stringify(value) ?? "",
  Inspectable.format(value),
  value instanceof Error ? value.message : "",
  value instanceof Error ? value.stack ?? "" : ""
]
const expectNoCanary = (texts: Iterable<string>) => {
  for (const text of texts) {
    for (const canary of Object.values(canaries)) expect(text).not.toContain(canary)
  }
}

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
    const grant = Grant.password({ username: "me@example.com", password: Redacted.make(canaries.password) })
    const client = ClientAuthentication.clientSecretBasic({ clientId: "c", clientSecret: Redacted.make(canaries.clientSecret) })
    expectNoCanary([...everyForm(token), ...everyForm(grant), ...everyForm(client)])
  })

  it.scoped("no error, cause or log line of a failing lifecycle holds a secret", () =>
    Effect.gen(function*() {
      const logs = yield* capturingLogger
      const server = yield* TokenServer.TokenServer
      const statuses = [401, 400, 404, 415, 429, 500, 503, 302, 200]
      const errors: Array<unknown> = []
      for (const status of statuses) {
        yield* server.handle((request) =>
          Effect.succeed(
            status === 200
              // echoes the secrets back in a body that is not a token response
              ? TokenServer.json({ token_type: "mac", echoed: request.body, access_token: canaries.accessToken })
              : status === 302
              ? HttpServerResponse.redirect(`https://evil.example/${request.body}`, { status })
              : TokenServer.json({ error: "invalid_grant", error_description: "no", echoed: request.body }, { status })
          )
        )
        const exit = yield* TokenProvider.fromEndpoint({
          url: server.tokenUrl,
          grant: Grant.password({ username: "me@example.com", password: Redacted.make(canaries.password) }),
          clientAuthentication: ClientAuthentication.clientSecretPost({
            clientId: "client",
            clientSecret: Redacted.make(canaries.clientSecret)
          }),
          retry: Schedule.recurs(1)
        }).pipe(Effect.flatMap((provider) => provider.get), Effect.exit, Effect.provide(logs.layer))
        expect(Exit.isFailure(exit)).toBe(true)
        if (Exit.isFailure(exit)) errors.push(exit.cause, ...Cause.failures(exit.cause))
      }
      for (const error of errors) {
        expectNoCanary(everyForm(error))
        if (Cause.isCause(error)) expectNoCanary([Cause.pretty(error)])
      }
      expect(errors.filter(TokenError.isTokenError).map((e) => e._tag)).toEqual([
        "InvalidCredentials", "InvalidCredentials", "InvalidCredentials", "InvalidCredentials", "InvalidCredentials",
        "InvalidCredentials", "InvalidCredentials", "WrongHost", "InvalidTokenResponse"
      ])
      // A refresh token refused, then a background refresh refused: both are logged.
      yield* server.handle((request) =>
        Effect.succeed(
          request.form.get("grant_type") === "password"
            ? TokenServer.tokenResponse(canaries.accessToken, { refresh_token: canaries.refreshToken })
            : TokenServer.json({ error: "invalid_grant", echoed: request.body }, { status: 400 })
        )
      )
      const provider = yield* TokenProvider.fromEndpoint({
        url: server.tokenUrl,
        grant: Grant.password({ username: "me@example.com", password: Redacted.make(canaries.password) }),
        clientAuthentication: ClientAuthentication.clientSecretPost({ clientId: "client", clientSecret: Redacted.make(canaries.clientSecret) }),
        backgroundRefresh: { at: 0.5, jitter: 0 }
      }).pipe(Effect.provide(logs.layer))
      yield* provider.get
      yield* server.handle((request) => Effect.succeed(TokenServer.json({ error: "invalid_client", echoed: request.body }, { status: 401 })))
      yield* TestClock.adjust("150 seconds")
      yield* Polling.eventually(Effect.map(logs.lines, (lines) => lines.join("\n").includes("Background token refresh failed")))
      const lines = yield* logs.lines
      expect(lines.join("\n")).toContain("Background token refresh failed")
      expect(lines.join("\n")).toContain("Token request failed")
      expectNoCanary(lines)
    }).pipe(Effect.provide(TokenServer.layer), Logger.withMinimumLogLevel(LogLevel.All)))
})
