/**
 * `TokenProvider.layerConfig` and `Configurable`: options whose fields may be `Config`s,
 * read when the layer is built (the program names its own variables), through a real
 * token endpoint; a missing variable is a `ConfigError` naming it, never a value.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { expect, layer } from "@effect/vitest"
import { Config, ConfigProvider, Effect, Either, Redacted } from "effect"
import { Configurable, TokenProvider } from "@effect-bearer/core"
import * as TokenIssuer from "./support/TokenIssuer.js"

const secret = "config-secret-never-printed"

const withVariables = (variables: Record<string, string>) =>
  Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(variables))))

class Tokens extends TokenProvider.Tag("test/ConfigTokens")<Tokens>() {}

layer(NodeHttpClient.layerUndici)("TokenProvider.layerConfig", (it) => {
  it.effect("Configurable.unwrap reads the Config fields and keeps the plain ones", () =>
    Effect.gen(function*() {
      const options = yield* Configurable.unwrap<{ url: string; clientSecret: Redacted.Redacted<string>; timeout: string }>({
        url: Config.string("TOKEN_URL"),
        clientSecret: Config.redacted("MY_SECRET"),
        timeout: "5 seconds"
      }).pipe(withVariables({ TOKEN_URL: "https://auth.example.com/token", MY_SECRET: secret }))
      expect(options.url).toBe("https://auth.example.com/token")
      expect(Redacted.value(options.clientSecret)).toBe(secret)
      expect(options.timeout).toBe("5 seconds")
      const plain = yield* Configurable.unwrap<{ url: string }>({ url: "https://auth.example.com/token" })
      expect(plain).toEqual({ url: "https://auth.example.com/token" })
    }))

  it.scoped("the variables the program names: client_secret_basic by default, client_secret_post when asked", () =>
    Effect.gen(function*() {
      const issuer = yield* TokenIssuer.make("tok")
      const options = {
        url: Config.string("AUTH_TOKEN_URL"),
        clientId: Config.string("AUTH_CLIENT_ID"),
        clientSecret: Config.redacted("MY_SECRET"),
        backgroundRefresh: false
      } as const
      const variables = { AUTH_TOKEN_URL: issuer.tokenUrl, AUTH_CLIENT_ID: "my-client", MY_SECRET: secret }
      const basic = yield* TokenProvider.get.pipe(Effect.provide(TokenProvider.layerConfig(options)), withVariables(variables))
      const post = yield* Tokens.get.pipe(
        Effect.provide(Tokens.layerConfig({ ...options, clientAuthenticationMethod: "client_secret_post" })),
        withVariables(variables)
      )
      expect([Redacted.value(basic.value), Redacted.value(post.value)]).toEqual(["tok-1", "tok-2"])
      const [first, second] = yield* issuer.server.requests
      expect(first?.headers["authorization"]).toBe(`Basic ${Buffer.from(`my-client:${secret}`).toString("base64")}`)
      expect(new URLSearchParams(first?.body).get("grant_type")).toBe("client_credentials")
      expect(second?.headers["authorization"]).toBeUndefined()
      expect(Object.fromEntries(new URLSearchParams(second?.body))).toMatchObject({
        client_id: "my-client",
        client_secret: secret
      })
    }))

  it.scoped("without a secret the client is public: client_id in the body", () =>
    Effect.gen(function*() {
      const issuer = yield* TokenIssuer.make("tok")
      yield* TokenProvider.get.pipe(
        Effect.provide(TokenProvider.layerConfig({ url: issuer.tokenUrl, clientId: Config.string("AUTH_CLIENT_ID") })),
        withVariables({ AUTH_CLIENT_ID: "up42-api" })
      )
      const [request] = yield* issuer.server.requests
      expect(request?.headers["authorization"]).toBeUndefined()
      expect(Object.fromEntries(new URLSearchParams(request?.body))).toEqual({
        grant_type: "client_credentials",
        client_id: "up42-api"
      })
    }))

  it.scoped("a missing variable is a ConfigError naming it; credentials that do not fit the method are InvalidConfiguration", () =>
    Effect.gen(function*() {
      const issuer = yield* TokenIssuer.make("tok")
      const attempt = (options: Configurable.Configurable<TokenProvider.ConfigOptions>) =>
        TokenProvider.get.pipe(
          Effect.provide(TokenProvider.layerConfig(options)),
          withVariables({ AUTH_CLIENT_ID: "my-client", MY_SECRET: secret }),
          Effect.either
        )
      const missing = yield* attempt({ url: Config.string("AUTH_TOKEN_URL"), clientSecret: Config.redacted("MY_SECRET") })
      expect(Either.isLeft(missing) && missing.left._tag).toBe("ConfigError")
      expect(Either.isLeft(missing) && String(missing.left)).toContain("AUTH_TOKEN_URL")
      expect(Either.isLeft(missing) && String(missing.left)).not.toContain(secret)
      const noId = yield* attempt({ url: issuer.tokenUrl, clientSecret: Config.redacted("MY_SECRET") })
      expect(Either.isLeft(noId) && noId.left).toMatchObject({ _tag: "InvalidConfiguration", setting: "clientId" })
      const noSecret = yield* attempt({
        url: issuer.tokenUrl,
        clientId: Config.string("AUTH_CLIENT_ID"),
        clientAuthenticationMethod: "client_secret_post"
      })
      expect(Either.isLeft(noSecret) && noSecret.left).toMatchObject({ _tag: "InvalidConfiguration", setting: "clientSecret" })
      const publicWithSecret = yield* attempt({
        url: issuer.tokenUrl,
        clientSecret: Config.redacted("MY_SECRET"),
        clientAuthenticationMethod: "none"
      })
      expect(Either.isLeft(publicWithSecret) && publicWithSecret.left).toMatchObject({
        _tag: "InvalidConfiguration",
        setting: "clientSecret"
      })
      expect(Either.isLeft(publicWithSecret) && String(publicWithSecret.left)).not.toContain(secret)
      expect(yield* issuer.issued).toEqual([])
    }))
})
