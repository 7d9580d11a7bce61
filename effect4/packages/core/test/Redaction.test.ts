import { describe, expect, it } from "@effect/vitest"
import { Cause, Effect, Exit, Formatter, Option, Redacted, Schedule } from "effect"
import { TestClock } from "effect/testing"
import { AccessToken, ClientAuthentication, Grant, TokenError, TokenProvider } from "@effect-bearer/core"
import * as Recording from "./support/Recording.js"
import * as TestTime from "./support/TestTime.js"
import * as TokenServer from "./support/TokenServer.js"
import { inspect } from "node:util"

const canaries = {
  clientSecret: "canary-client-secret-4d1f",
  password: "canary-password-9b2e",
  accessToken: "canary-access-token-77aa",
  refreshToken: "canary-refresh-token-31cc"
}
const everyForm = (value: unknown): ReadonlyArray<string> => [
  String(value),
  JSON.stringify(value) ?? "",
  Formatter.format(value),
  inspect(value, { depth: 10 }),
  value instanceof Error ? value.message : "",
  value instanceof Error ? value.stack ?? "" : ""
]
const expectNoCanary = (texts: Iterable<string>) => {
  for (const text of texts) {
    for (const canary of Object.values(canaries)) expect(text).not.toContain(canary)
  }
}
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
    expectNoCanary([...everyForm(token), ...everyForm(password), ...everyForm(clientAuthentication)])
  })

  it.effect("no error, cause or log line of a failing lifecycle holds a secret", () => {
    const logs = Recording.logger()
    return Effect.gen(function*() {
      const server = yield* TokenServer.make
      const errors: Array<unknown> = []
      for (const status of [401, 400, 404, 415, 429, 500, 503, 302, 200]) {
        yield* server.handle((request) =>
          Effect.succeed(
            status === 200
              // echoes the secrets back in a body that is not a token response
              ? TokenServer.json({ token_type: "mac", echoed: request.body, access_token: canaries.accessToken })
              : status === 302
              ? TokenServer.fromAnswer({ status, headers: { location: `https://evil.example/${request.body}` } })
              : TokenServer.json({ error: "invalid_grant", error_description: "no", echoed: request.body }, { status })
          ))
        const exit = yield* TokenProvider.fromEndpoint({ url: server.tokenUrl, grant: password, clientAuthentication, retry: Schedule.recurs(1) }).pipe(
          Effect.flatMap((provider) => provider.get),
          Effect.exit
        )
        expect(Exit.isFailure(exit)).toBe(true)
        if (Exit.isFailure(exit)) errors.push(exit.cause, ...exit.cause.reasons.filter(Cause.isFailReason).map((reason) => reason.error))
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
        ))
      const provider = yield* TokenProvider.fromEndpoint({ url: server.tokenUrl, grant: password, clientAuthentication, backgroundRefresh: { at: 0.5, jitter: 0 } })
      yield* provider.get
      yield* server.handle((request) => Effect.succeed(TokenServer.json({ error: "invalid_client", echoed: request.body }, { status: 401 })))
      yield* TestClock.adjust("150 seconds")
      yield* TestTime.eventually(Effect.sync(() => logs.lines.some((line) => line.message.includes("Background token refresh failed"))))
      const lines = logs.lines.map((line) => `${line.level} ${line.message} ${JSON.stringify(line.annotations)}`)
      expect(lines.join("\n")).toContain("Token request failed")
      expectNoCanary(lines)
    }).pipe(Effect.provide([TokenServer.layerClient, logs.layer]))
  })
})
