/**
 * A provider's `layerConfig` with options given as Effect `Config`s naming the program's own
 * variables (`clientSecret: Config.Redacted("MY_SECRET")`), through the local provider server:
 * the `Config` is read instead of the record's variable, plain options stay defaults the
 * record's variables override, and a missing variable is named, never a value.
 */
import { expect, layer } from "@effect/vitest"
import { Config, Effect, Redacted } from "effect"
import { Providers } from "@effect-bearer/kernel"
import { Bitquery, Hydrosat, OAuth2, Provider, Up42Account } from "@effect-bearer/providers"
import * as Server from "./support/server.js"

const status = (url: string, token: Redacted.Redacted<string>) => Effect.map(Server.callApi(url, token), (answer) => answer.status)

layer(Server.layer())("layerConfig with Config options", (it) => {
  it.effect("Hydrosat reads MY_ID and MY_SECRET instead of HYDROSAT_CLIENT_ID and HYDROSAT_CLIENT_SECRET", () =>
    Effect.gen(function*() {
      const server = yield* Server.fresh
      const { clientId, clientSecret } = server.credentials.hydrosat
      const token = yield* Server.tokenWith(
        Hydrosat.layerConfig({ clientId: Config.String("MY_ID"), clientSecret: Config.Redacted("MY_SECRET") }),
        {
          MY_ID: clientId,
          MY_SECRET: Redacted.value(clientSecret),
          // The record's variables, set to what the server refuses: an explicit Config wins over them.
          HYDROSAT_CLIENT_ID: "not-this-client",
          HYDROSAT_CLIENT_SECRET: "not-this-secret",
          HYDROSAT_TOKEN_URL: server.urls.hydrosat.tokenUrl
        }
      )
      const [request] = yield* server.requests("hydrosat")
      expect(request?.form).toMatchObject({ client_id: clientId, client_secret: Redacted.value(clientSecret) })
      expect(yield* status(server.urls.hydrosat.apiUrl, token.value)).toBe(200)
    }))

  it.effect("the generic Provider.layerConfig takes the same Configs for any record", () =>
    Effect.gen(function*() {
      const server = yield* Server.fresh
      const token = yield* Server.tokenWith(
        Provider.layerConfig(Providers.hydrosat)({
          clientId: Config.String("FIELDS_ID"),
          clientSecret: Config.Redacted("FIELDS_SECRET"),
          tokenUrl: Config.String("FIELDS_TOKEN_URL")
        }),
        {
          FIELDS_ID: server.credentials.hydrosat.clientId,
          FIELDS_SECRET: Redacted.value(server.credentials.hydrosat.clientSecret),
          FIELDS_TOKEN_URL: server.urls.hydrosat.tokenUrl
        }
      )
      expect(yield* status(server.urls.hydrosat.apiUrl, token.value)).toBe(200)
    }))

  it.effect("UP42 account: username and password from Configs, the token URL a plain default", () =>
    Effect.gen(function*() {
      const server = yield* Server.fresh
      const { password, username } = server.credentials.up42Account
      const tokens = Up42Account.layerConfig({
        username: Config.String("ACCOUNT_EMAIL"),
        password: Config.Redacted("ACCOUNT_PASSWORD"),
        tokenUrl: server.urls["up42-account"].tokenUrl
      })
      const token = yield* Server.tokenWith(tokens, { ACCOUNT_EMAIL: username, ACCOUNT_PASSWORD: Redacted.value(password) })
      const [request] = yield* server.requests("up42-account")
      expect(request?.form).toMatchObject({ username, password: Redacted.value(password), grant_type: "password" })
      expect(yield* status(server.urls["up42-account"].apiUrl, token.value)).toBe(200)
      // UP42_TOKEN_URL, when set, wins over the plain option.
      const error = yield* Server.failureWith(tokens, {
        ACCOUNT_EMAIL: username,
        ACCOUNT_PASSWORD: Redacted.value(password),
        UP42_TOKEN_URL: "http://up42.example/token"
      })
      expect(error).toMatchObject({ _tag: "WrongHost" })
    }))

  it.effect("Bitquery: an application given as Configs is chosen over a console token in the environment", () =>
    Effect.gen(function*() {
      const server = yield* Server.fresh
      const { clientId, clientSecret } = server.credentials.bitquery
      const application = Bitquery.layerConfig({
        clientId: Config.String("APP_ID"),
        clientSecret: Config.Redacted("APP_SECRET"),
        tokenUrl: server.urls.bitquery.tokenUrl
      })
      const token = yield* Server.tokenWith(application, {
        APP_ID: clientId,
        APP_SECRET: Redacted.value(clientSecret),
        BITQUERY_ACCESS_TOKEN: "ory_at_pasted-console-token"
      })
      expect(yield* server.requestCount("bitquery")).toBe(1)
      expect(Redacted.value(token.value)).not.toBe("ory_at_pasted-console-token")
      // The console token as a Config is used as it is, with no token request.
      const pasted = yield* Server.tokenWith(Bitquery.layerConfig({ accessToken: Config.Redacted("CONSOLE_TOKEN") }), {
        CONSOLE_TOKEN: "ory_at_pasted-console-token"
      })
      expect(Redacted.value(pasted.value)).toBe("ory_at_pasted-console-token")
      expect(yield* server.requestCount("bitquery")).toBe(1)
    }))

  it.effect("plain credentials are defaults: the record's variable, when set, wins over them", () =>
    Effect.gen(function*() {
      const server = yield* Server.fresh
      const { clientId, clientSecret } = server.credentials.hydrosat
      const tokens = Hydrosat.layerConfig({ clientId: "a-default-client", clientSecret })
      yield* Server.tokenWith(tokens, { HYDROSAT_CLIENT_ID: clientId, HYDROSAT_TOKEN_URL: server.urls.hydrosat.tokenUrl })
      const [request] = yield* server.requests("hydrosat")
      expect(request?.form).toMatchObject({ client_id: clientId, client_secret: Redacted.value(clientSecret) })
    }))

  it.effect("a missing custom variable fails naming it; an unusable one never shows its value", () =>
    Effect.gen(function*() {
      const server = yield* Server.fresh
      const tokens = Hydrosat.layerConfig({
        clientId: Config.String("MY_ID"),
        clientSecret: Config.Redacted("MY_SECRET"),
        tokenUrl: server.urls.hydrosat.tokenUrl
      })
      const missing = yield* Server.failureWith(tokens, {
        MY_ID: "some-client",
        HYDROSAT_CLIENT_ID: "id",
        HYDROSAT_CLIENT_SECRET: "the-record-variable-is-not-read"
      })
      expect(missing).toMatchObject({ _tag: "InvalidConfiguration", setting: "MY_SECRET", problem: "is not set" })
      expect(missing.message).toBe("Invalid configuration for MY_SECRET: is not set")
      const unusable = yield* Server.failureWith(
        Hydrosat.layerConfig({ clientId: "id", clientSecret: Config.Redacted("MY_SECRET"), timeout: Config.Duration("MY_TIMEOUT") }),
        { MY_SECRET: "s3cr3t-value", MY_TIMEOUT: "s3cr3t-value" }
      )
      expect(unusable).toMatchObject({ _tag: "InvalidConfiguration", setting: "MY_TIMEOUT" })
      expect(unusable.message).not.toContain("s3cr3t-value")
      // An empty secret from a Config is refused like one from the record's variable.
      const empty = yield* Server.failureWith(tokens, { MY_ID: "some-client", MY_SECRET: " " })
      expect(empty).toMatchObject({ _tag: "InvalidConfiguration", setting: "clientSecret", problem: "is empty" })
    }))

  it.effect("OAuth2: token URL, client id and secret from Configs, the OAUTH2_* variables not read", () =>
    Effect.gen(function*() {
      const server = yield* Server.fresh
      const { clientId, clientSecret } = server.credentials.oauth2
      const token = yield* Server.tokenWith(
        OAuth2.layerConfig({
          tokenUrl: Config.String("REPORTS_TOKEN_URL"),
          clientId: Config.String("REPORTS_CLIENT_ID"),
          clientSecret: Config.Redacted("REPORTS_CLIENT_SECRET"),
          clientAuthentication: "client_secret_post"
        }),
        {
          REPORTS_TOKEN_URL: server.urls.oauth2.tokenUrl,
          REPORTS_CLIENT_ID: clientId,
          REPORTS_CLIENT_SECRET: Redacted.value(clientSecret),
          // The record's variables, set to what cannot work: an explicit Config wins over them.
          OAUTH2_TOKEN_URL: "http://not-this.example/token",
          OAUTH2_ISSUER: "http://not-this.example",
          OAUTH2_CLIENT_ID: "not-this-client",
          OAUTH2_CLIENT_SECRET: "not-this-secret"
        }
      )
      const [request] = yield* server.requests("oauth2")
      expect(request?.form).toMatchObject({ client_id: clientId, client_secret: Redacted.value(clientSecret) })
      expect(yield* server.requestCount("oauth2", "discovery")).toBe(0)
      expect(yield* status(server.urls.oauth2.apiUrl, token.value)).toBe(200)
    }))

  it.effect("OAuth2: the issuer from a Config: discovered, and chosen over OAUTH2_TOKEN_URL", () =>
    Effect.gen(function*() {
      const server = yield* Server.fresh
      const { clientId, clientSecret } = server.credentials.oauth2
      const token = yield* Server.tokenWith(OAuth2.layerConfig({ issuer: Config.String("REPORTS_ISSUER") }), {
        REPORTS_ISSUER: server.urls.oauth2.issuer,
        OAUTH2_TOKEN_URL: "http://not-this.example/token",
        OAUTH2_CLIENT_ID: clientId,
        OAUTH2_CLIENT_SECRET: Redacted.value(clientSecret)
      })
      expect(yield* server.requestCount("oauth2", "discovery")).toBe(1)
      expect(yield* server.requestCount("oauth2")).toBe(1)
      expect(yield* status(server.urls.oauth2.apiUrl, token.value)).toBe(200)
    }))

  it.effect("OAuth2: plain options are defaults: the OAUTH2_* variables, when set, win over them", () =>
    Effect.gen(function*() {
      const server = yield* Server.fresh
      const { clientId, clientSecret } = server.credentials.oauth2
      const defaults = { tokenUrl: server.urls.oauth2.tokenUrl, clientSecret, clientAuthentication: "client_secret_post" } as const
      // The defaults alone (no OAUTH2_CLIENT_ID) are enough…
      yield* Server.tokenWith(OAuth2.layerConfig({ ...defaults, clientId }), {})
      // …and OAUTH2_CLIENT_ID, when set, is the one sent.
      const tokens = OAuth2.layerConfig({ ...defaults, clientId: "a-default-client" })
      yield* Server.tokenWith(tokens, { OAUTH2_CLIENT_ID: clientId })
      const requests = yield* server.requests("oauth2")
      expect(requests.map((request) => [request.form["client_id"], request.status])).toEqual([[clientId, 200], [clientId, 200]])
      // OAUTH2_ISSUER, when set, wins over a plain token URL.
      yield* Server.tokenWith(tokens, { OAUTH2_ISSUER: server.urls.oauth2.issuer, OAUTH2_CLIENT_ID: clientId })
      expect(yield* server.requestCount("oauth2", "discovery")).toBe(1)
    }))

  it.effect("OAuth2: a missing custom variable fails naming it; an unusable one never shows its value", () =>
    Effect.gen(function*() {
      const server = yield* Server.fresh
      const tokens = OAuth2.layerConfig({
        tokenUrl: server.urls.oauth2.tokenUrl,
        clientId: Config.String("REPORTS_CLIENT_ID"),
        clientSecret: Config.Redacted("REPORTS_CLIENT_SECRET")
      })
      const missing = yield* Server.failureWith(tokens, {
        REPORTS_CLIENT_ID: "some-client",
        OAUTH2_CLIENT_SECRET: "the-record-variable-is-not-read"
      })
      expect(missing).toMatchObject({ _tag: "InvalidConfiguration", setting: "REPORTS_CLIENT_SECRET", problem: "is not set" })
      expect(missing.message).toBe("Invalid configuration for REPORTS_CLIENT_SECRET: is not set")
      const unusable = yield* Server.failureWith(
        OAuth2.layerConfig({ tokenUrl: server.urls.oauth2.tokenUrl, clientId: "c", timeout: Config.Duration("REPORTS_TIMEOUT") }),
        { REPORTS_TIMEOUT: "s3cr3t-value" }
      )
      expect(unusable).toMatchObject({ _tag: "InvalidConfiguration", setting: "REPORTS_TIMEOUT" })
      expect(unusable.message).not.toContain("s3cr3t-value")
      // An empty secret from a Config is refused like one from OAUTH2_CLIENT_SECRET.
      const empty = yield* Server.failureWith(tokens, { REPORTS_CLIENT_ID: "some-client", REPORTS_CLIENT_SECRET: " " })
      expect(empty).toMatchObject({ _tag: "InvalidConfiguration", setting: "clientSecret", problem: "is empty" })
      expect(yield* server.requestCount("oauth2")).toBe(0)
    }))
})
