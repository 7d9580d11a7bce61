/**
 * The bearer client's test bench, shared by its suites: a token endpoint issuing tok-1,
 * tok-2, ... (300 s each), a provider over it, an API that accepts the tokens issued and
 * not revoked, a second server on another origin, and the authenticated client over the
 * `HttpClient` in context.
 */
import { Effect, Redacted } from "effect"
import { HttpClient } from "effect/http"
import { BearerHttpClient, ClientAuthentication, Grant, TokenProvider } from "@effect-bearer/core"
import * as ApiServer from "./ApiServer.js"
import * as TokenIssuer from "./TokenIssuer.js"

/** The client secret every provider of the bench uses, a canary for the hygiene checks. */
export const clientSecret = "client-secret-never-logged"

export const make = (name: string) =>
  Effect.gen(function*() {
    const issuer = yield* TokenIssuer.make("tok")
    const provider = yield* TokenProvider.fromEndpoint({
      url: issuer.tokenUrl,
      grant: Grant.clientCredentials,
      clientAuthentication: ClientAuthentication.clientSecretPost({
        clientId: "client",
        clientSecret: Redacted.make(clientSecret)
      }),
      name,
      backgroundRefresh: false
    }).pipe(Effect.orDie)
    const api = yield* ApiServer.make
    yield* api.handle(issuer.accepts)
    const foreign = yield* ApiServer.make
    const http = yield* HttpClient.HttpClient
    /** The authenticated client over `client` (the context's by default), for the API's origin. */
    const bearer = (options?: Partial<BearerHttpClient.Options>, client: HttpClient.HttpClient = http) =>
      BearerHttpClient.make(client, provider, { origins: [api.origin], ...options }).pipe(Effect.orDie)
    return {
      api,
      foreign,
      provider,
      http,
      /** The token endpoint's server, to script other answers. */
      tokenEndpoint: issuer.server,
      tokenRequests: issuer.tokenRequests,
      revoke: issuer.revoke,
      bearer,
      /** A bearer client that got `tok-1` with a successful GET of `/warm`, then the API revoked `tok-1`. */
      bearerWithRevokedToken: (options?: Partial<BearerHttpClient.Options>) =>
        Effect.gen(function*() {
          const client = yield* bearer(options)
          const warm = yield* client.get(api.url("/warm"))
          if (warm.status !== 200) return yield* Effect.die(new Error(`warming up answered ${warm.status}`))
          yield* issuer.revoke("tok-1")
          return client
        })
    }
  })
