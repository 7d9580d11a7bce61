/**
 * `TokenProvider.layerConfig` and `Configurable`: options whose fields may be `Config`s (Effect
 * 4: `Config.String`, `Config.Redacted`), read when the layer is built, through a real token
 * endpoint; a missing variable is a `ConfigError` naming it, never a value.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { describe, expect, it } from "@effect/vitest"
import { Config, ConfigProvider, Effect, Layer, Redacted, Result } from "effect"
import { Configurable, TokenProvider } from "@effect-bearer/core"
import * as TokenIssuer from "./support/TokenIssuer.js"

const secret = "config-secret-never-printed"

const withVariables = (variables: Record<string, string>) =>
  Effect.provideService(ConfigProvider.ConfigProvider, ConfigProvider.fromEnv({ env: variables }))

class Tokens extends TokenProvider.Tag("test/ConfigTokens")<Tokens>() {}

/** A layer built afresh for this test (Effect 4 memoizes layers across provides). */
const fresh = <A, E, R>(layer: Layer.Layer<A, E, R>) => Layer.fresh(layer)

describe("TokenProvider.layerConfig", () => {
  it.effect("Configurable.unwrap reads the Config fields and keeps the plain ones", () =>
    Effect.gen(function*() {
      const options = yield* Configurable.unwrap<{ url: string; clientSecret: Redacted.Redacted<string>; timeout: string }>({
        url: Config.String("TOKEN_URL"),
        clientSecret: Config.Redacted("MY_SECRET"),
        timeout: "5 seconds"
      }).pipe(withVariables({ TOKEN_URL: "https://auth.example.com/token", MY_SECRET: secret }))
      expect([options.url, Redacted.value(options.clientSecret), options.timeout]).toEqual(["https://auth.example.com/token", secret, "5 seconds"])
      expect(yield* Configurable.unwrap<{ url: string }>({ url: "https://auth.example.com/token" })).toEqual({ url: "https://auth.example.com/token" })
    }))

  it.effect("the variables the program names: client_secret_basic by default, client_secret_post when asked", () =>
    Effect.gen(function*() {
      const issuer = yield* TokenIssuer.make("tok")
      const options = {
        url: Config.String("AUTH_TOKEN_URL"),
        clientId: Config.String("AUTH_CLIENT_ID"),
        clientSecret: Config.Redacted("MY_SECRET"),
        backgroundRefresh: false
      } as const
      const variables = { AUTH_TOKEN_URL: issuer.tokenUrl, AUTH_CLIENT_ID: "my-client", MY_SECRET: secret }
      const basic = yield* TokenProvider.get.pipe(Effect.provide(fresh(TokenProvider.layerConfig(options))), withVariables(variables))
      const post = yield* Tokens.get.pipe(
        Effect.provide(fresh(Tokens.layerConfig({ ...options, clientAuthenticationMethod: "client_secret_post" }))),
        withVariables(variables)
      )
      expect([Redacted.value(basic.value), Redacted.value(post.value)]).toEqual(["tok-1", "tok-2"])
      const [first, second] = yield* issuer.server.requests
      expect(first?.headers["authorization"]).toBe(`Basic ${Buffer.from(`my-client:${secret}`).toString("base64")}`)
      expect(new URLSearchParams(first?.body).get("grant_type")).toBe("client_credentials")
      expect(second?.headers["authorization"]).toBeUndefined()
      expect(Object.fromEntries(new URLSearchParams(second?.body))).toMatchObject({ client_id: "my-client", client_secret: secret })
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.effect("without a secret the client is public: client_id in the body", () =>
    Effect.gen(function*() {
      const issuer = yield* TokenIssuer.make("tok")
      yield* TokenProvider.get.pipe(
        Effect.provide(fresh(TokenProvider.layerConfig({ url: issuer.tokenUrl, clientId: Config.String("AUTH_CLIENT_ID") }))),
        withVariables({ AUTH_CLIENT_ID: "up42-api" })
      )
      const [request] = yield* issuer.server.requests
      expect(request?.headers["authorization"]).toBeUndefined()
      expect(Object.fromEntries(new URLSearchParams(request?.body))).toEqual({ grant_type: "client_credentials", client_id: "up42-api" })
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.effect("a missing variable is a ConfigError naming it; credentials that do not fit the method are InvalidConfiguration", () =>
    Effect.gen(function*() {
      const issuer = yield* TokenIssuer.make("tok")
      const attempt = (options: Configurable.Configurable<TokenProvider.ConfigOptions>) =>
        TokenProvider.get.pipe(
          Effect.provide(fresh(TokenProvider.layerConfig(options))),
          withVariables({ AUTH_CLIENT_ID: "my-client", MY_SECRET: secret }),
          Effect.flip
        )
      const missing = yield* attempt({ url: Config.String("AUTH_TOKEN_URL"), clientSecret: Config.Redacted("MY_SECRET") })
      expect(missing._tag).toBe("ConfigError")
      expect(String(missing)).toContain("AUTH_TOKEN_URL")
      expect(String(missing)).not.toContain(secret)
      expect(yield* attempt({ url: issuer.tokenUrl, clientSecret: Config.Redacted("MY_SECRET") })).toMatchObject({ _tag: "InvalidConfiguration", setting: "clientId" })
      expect(yield* attempt({ url: issuer.tokenUrl, clientId: Config.String("AUTH_CLIENT_ID"), clientAuthenticationMethod: "client_secret_post" }))
        .toMatchObject({ _tag: "InvalidConfiguration", setting: "clientSecret" })
      const publicWithSecret = yield* attempt({ url: issuer.tokenUrl, clientSecret: Config.Redacted("MY_SECRET"), clientAuthenticationMethod: "none" })
      expect(publicWithSecret).toMatchObject({ _tag: "InvalidConfiguration", setting: "clientSecret" })
      expect(String(publicWithSecret)).not.toContain(secret)
      expect(yield* issuer.issued).toEqual([])
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.effect("the token store's sealing key from Config: unset is None, a short one a ConfigError naming the variable, never the key", () =>
    Effect.gen(function*() {
      const { TokenStore } = yield* Effect.promise(() => import("@effect-bearer/core"))
      const read = (variables: Record<string, string>) => TokenStore.sealingKeyConfig().pipe(withVariables(variables), Effect.result)
      expect(yield* read({})).toMatchObject({ _tag: "Success", success: { _tag: "None" } })
      const short = yield* read({ EFFECT_BEARER_STORE_KEY: btoa("short-key-never-printed") })
      expect(Result.isFailure(short) && String(short.failure)).toContain("EFFECT_BEARER_STORE_KEY")
      expect(Result.isFailure(short) && String(short.failure)).not.toContain(btoa("short-key-never-printed"))
    }))
})
