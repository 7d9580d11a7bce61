/**
 * Secret hygiene of this package: the CLI run as a user runs it (debug logs on) against the local
 * provider server configured with canary secrets, passwords and console tokens, through every
 * token endpoint fault, with wrong credentials and with credentials files holding canaries; and
 * the credentials-file errors in every printable form. No canary appears anywhere: not on stdout
 * (whose only job is the token), not on stderr.
 */
import { CredentialsFile, NodeLocalProviderServer } from "@effect-bearer/platform-node"
import * as LocalProviderServer from "@effect-bearer/providers/LocalProviderServer"
import { describe, expect, it } from "@effect/vitest"
import { Cause, Effect, Exit, Redacted } from "effect"
import * as CliHarness from "./support/CliHarness.js"
import * as TemporaryFiles from "./support/TemporaryFiles.js"

const canary = {
  projectApiKey: "canary-project-key-1a2b",
  up42Password: "canary-up42-password-5b2d 8e4f&=",
  bitquerySecret: "canary-bitquery-secret-9c8d",
  consoleToken: "ory_at_canary-console-token-77aa",
  hydrosatSecret: "canary-hydrosat-secret-4e5f:+% é",
  oauth2Secret: "canary-oauth2-secret-6a7b:+%",
  oauth2Password: "canary-oauth2-password-0c1d"
}
const projectId = "0f4c52d2-7b0e-4d16-9a7b-5f2a2b1c0099"

const credentials: Partial<LocalProviderServer.Credentials> = {
  up42Projects: [{ projectId, projectApiKey: Redacted.make(canary.projectApiKey) }],
  up42Account: { username: "someone@example.com", password: Redacted.make(canary.up42Password), clientId: "up42-api" },
  bitquery: { clientId: "bitquery-app", clientSecret: Redacted.make(canary.bitquerySecret), accessToken: Redacted.make(canary.consoleToken) },
  hydrosat: { clientId: "hydrosat-client", clientSecret: Redacted.make(canary.hydrosatSecret) },
  oauth2: { clientId: "oauth2-client", clientSecret: Redacted.make(canary.oauth2Secret), username: "someone", password: Redacted.make(canary.oauth2Password) }
}

/** The canaries as they are, form-encoded and URI-encoded. */
const canaries = Object.values(canary).flatMap((value) => [value, encodeURIComponent(value), new URLSearchParams({ v: value }).toString().slice(2)])

const expectNoCanary = (where: string, text: string) => {
  for (const secret of canaries) expect(text, `${where} shows a canary`).not.toContain(secret)
}

const faults: ReadonlyArray<readonly [string, LocalProviderServer.Fault]> = [
  ["401", LocalProviderServer.status(401)],
  ["404", LocalProviderServer.status(404)],
  ["415", LocalProviderServer.status(415)],
  ["503", LocalProviderServer.serverError(503)],
  ["HTML", LocalProviderServer.html],
  ["truncated JSON", LocalProviderServer.truncatedJson],
  ["empty body", LocalProviderServer.emptyBody],
  ["no access_token", LocalProviderServer.missingAccessToken],
  ["token_type mac", LocalProviderServer.unsupportedTokenType]
]

const providers = ["up42-project", "up42-account", "bitquery", "hydrosat"] as const

describe("secret hygiene of the CLI and the credentials files", () => {
  it.live("no canary credential appears in the CLI's output, whatever the server answers, with debug logs on", () =>
    Effect.gen(function*() {
      const server = yield* LocalProviderServer.LocalProviderServer
      const run = (name: string, args: ReadonlyArray<string>, env: Readonly<Record<string, string>> = server.environment) =>
        Effect.map(CliHarness.run(["--log-level", "debug", ...args], env), (result) => {
          expectNoCanary(`${name}: stdout`, result.stdout)
          expectNoCanary(`${name}: stderr`, result.stderr)
          return result
        })
      for (const provider of providers) {
        expect((yield* run(`${provider} token`, ["token", provider, "--no-cache"])).exitCode).toBe(0)
        yield* run(`${provider} --json`, ["token", provider, "--json", "--no-cache"])
        for (const [name, fault] of faults) {
          yield* server.setFault(provider, fault)
          const result = yield* run(`${provider} ${name}`, ["token", provider, "--no-cache"])
          expect(result.exitCode, `${provider} ${name}`).not.toBe(0)
        }
        yield* server.clearFaults
      }
      yield* run("a wrong secret", ["token", "hydrosat", "--no-cache"], { ...server.environment, HYDROSAT_CLIENT_SECRET: `${canary.hydrosatSecret}-wrong` })
      const file = yield* TemporaryFiles.file(`{"client_id": "hydrosat-client", "client_secret": "${canary.hydrosatSecret}",}`, 0o600)
      yield* run("a broken credentials file", ["token", "hydrosat", "--credentials", file], {})
      const shared = yield* TemporaryFiles.file(JSON.stringify({ client_id: "hydrosat-client", client_secret: canary.hydrosatSecret }), 0o644)
      yield* run("a shared credentials file", ["token", "hydrosat", "--credentials", shared], {})
    }).pipe(Effect.provide(NodeLocalProviderServer.layerTest({ credentials }))), 120_000)

  it.effect("no credentials-file error shows the file's content, in any printable form", () =>
    Effect.gen(function*() {
      const contents = [
        `{"client_id": "x", "client_secret": "${canary.hydrosatSecret}",}`,
        JSON.stringify([canary.hydrosatSecret]),
        JSON.stringify({ client_id: canary.bitquerySecret }),
        JSON.stringify({ client_id: "x", client_secret: 42, note: canary.oauth2Secret }),
        JSON.stringify({ access_token: canary.consoleToken, client_id: "x", client_secret: canary.bitquerySecret })
      ]
      for (const content of contents) {
        const path = yield* TemporaryFiles.file(content, 0o600)
        const exit = yield* Effect.exit(CredentialsFile.load(path, CredentialsFile.bitquery))
        expect(Exit.isFailure(exit)).toBe(true)
        if (Exit.isSuccess(exit)) continue
        const error = Cause.squash(exit.cause)
        for (const shown of [String(error), JSON.stringify(error), (error as Error).message, Cause.pretty(exit.cause)]) {
          expectNoCanary("a credentials-file error", shown)
        }
      }
    }))
})
