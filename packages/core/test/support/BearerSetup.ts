/**
 * The bearer client's test bench, shared by its suites: a token server issuing tok-1, tok-2,
 * ... (300 s each), a provider over it, an API that accepts the tokens issued and not revoked,
 * a second server on another origin, and the authenticated client over the `HttpClient` in context.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as Observability from "@effect-bearer/conformance/BearerObservability"
import { Effect, Redacted, Ref } from "effect"
import { BearerHttpClient, ClientAuthentication, Grant, TokenProvider } from "@effect-bearer/core"
import * as ApiServer from "./ApiServer.js"
import * as TokenServer from "./TokenServer.js"

/** The client secret every provider of the bench uses, a canary for the hygiene checks. */
export const clientSecret = Observability.clientSecret

/** The bench of provider `name`, living as long as the test's scope. */
export const make = (name: string) =>
  Effect.gen(function*() {
    const tokenServer = yield* TokenServer.TokenServer
    const valid = yield* Ref.make<ReadonlySet<string>>(new Set())
    const issued = yield* Ref.make(0)
    yield* tokenServer.handle(() =>
      Effect.gen(function*() {
        const n = yield* Ref.updateAndGet(issued, (n) => n + 1)
        yield* Ref.update(valid, (all) => new Set([...all, `tok-${n}`]))
        return TokenServer.tokenResponse(`tok-${n}`)
      })
    )
    const provider = yield* TokenProvider.fromEndpoint({
      url: tokenServer.tokenUrl,
      grant: Grant.clientCredentials,
      clientAuthentication: ClientAuthentication.clientSecretPost({
        clientId: "client",
        clientSecret: Redacted.make(clientSecret)
      }),
      name,
      backgroundRefresh: false
    }).pipe(Effect.orDie)
    const api = yield* ApiServer.make
    yield* api.handle(ApiServer.bearerApi((token) => Effect.map(Ref.get(valid), (all) => all.has(token))))
    const foreign = yield* ApiServer.make
    const http = yield* HttpClient.HttpClient
    const revoke = (token: string) => Ref.update(valid, (all) => new Set([...all].filter((t) => t !== token)))
    /** The authenticated client over the undici client, for the API's origin. */
    const bearer = (options?: Partial<BearerHttpClient.Options>, client: HttpClient.HttpClient = http) =>
      BearerHttpClient.make(client, provider, { origins: [api.origin], ...options }).pipe(Effect.orDie)
    return {
      api,
      foreign,
      provider,
      http,
      tokenRequests: Effect.map(tokenServer.requests, (all) => all.length),
      revoke,
      bearer,
      /** A bearer client that got `tok-1` with a successful GET of `/warm`, then the API revoked `tok-1`. */
      bearerWithRevokedToken: (options?: Partial<BearerHttpClient.Options>) =>
        Effect.gen(function*() {
          const client = yield* bearer(options)
          const warm = yield* client.get(api.url("/warm"))
          if (warm.status !== 200) return yield* Effect.die(new Error(`warming up answered ${warm.status}`))
          yield* revoke("tok-1")
          return client
        })
    }
  })
