/**
 * The four providers as the demo shows them: each with its `TokenProvider`, an authenticated
 * client for its API, and the counts that prove what happened. A provider whose credentials
 * are in the environment is the real one; the others are played by the local provider server.
 */
import { Config, Effect, Option, Redacted, Ref } from "effect"
import type { Scope } from "effect"
import { HttpClient } from "effect/http"
import type { HttpClientError } from "effect/http"
import type { AccessToken, TokenError, TokenProvider } from "@effect-bearer/core"
import { BearerHttpClient } from "@effect-bearer/core"
import * as DemoScript from "@effect-bearer/conformance/DemoScript"
import type { LocalProviderServer } from "@effect-bearer/providers"
import { Bitquery, Hydrosat, Provider, Up42Account, Up42Project } from "@effect-bearer/providers"
import * as Apis from "../support/Apis.js"
import { anySet } from "../support/LocalFallback.js"

/** The providers of the demo, by their record's id. */
export type Id = Apis.ApiProvider

/** In the order the demo shows them, and their short names. */
export const { ids, names } = DemoScript

/** One provider, ready for the demo. */
export interface Subject {
  readonly id: Id
  readonly name: string
  readonly source: "local" | "real"
  /** Where tokens come from, for the introduction. */
  readonly tokenEndpoint: string
  readonly tokens: TokenProvider.Service
  /** The request the API answers only with a valid token, e.g. `GET /collections`. */
  readonly apiRequest: string
  /** Sends that request through the authenticated client; the response's status. */
  readonly callApi: Effect.Effect<number, HttpClientError.HttpClientError | TokenError.TokenError>
  /** How many requests the token endpoint has received so far. */
  readonly tokenRequests: Effect.Effect<number>
  /** How many requests the API has received so far. */
  readonly apiRequests: Effect.Effect<number>
  /** The grant type and status of each token request after the first `since` (local only). */
  readonly tokenRequestsSince: (since: number) => Effect.Effect<ReadonlyArray<string>>
  /** `#1`, `#2`…: tokens named in the order they appeared, never shown. */
  readonly nameOf: (token: AccessToken.AccessToken) => string
}

/** What a failure case changes in a local token provider. */
export interface LocalOptions {
  readonly tokenUrl?: string | undefined
  readonly wrongCredentials?: boolean | undefined
}

/** A token provider for one provider of the local server, with its test credentials. */
export const localTokens = (
  id: Id,
  server: LocalProviderServer.Service,
  options: LocalOptions = {}
): Effect.Effect<TokenProvider.Service, TokenError.InvalidConfiguration | TokenError.WrongHost, HttpClient.HttpClient | Scope.Scope> => {
  const secret = <A>(right: A): A | Redacted.Redacted<string> =>
    options.wrongCredentials === true ? Redacted.make("not-the-right-secret") : right
  const tokenUrl = options.tokenUrl ?? server.urls[id].tokenUrl
  const { bitquery, hydrosat, up42Account, up42Projects } = server.credentials
  switch (id) {
    case "up42-project":
      return Up42Project.make({ projectId: up42Projects[0]!.projectId, projectApiKey: secret(up42Projects[0]!.projectApiKey), tokenUrl })
    case "up42-account":
      return Up42Account.make({ username: up42Account.username, password: secret(up42Account.password), tokenUrl })
    case "bitquery":
      return Bitquery.make({ clientId: bitquery.clientId, clientSecret: secret(bitquery.clientSecret), tokenUrl })
    case "hydrosat":
      return Hydrosat.make({ clientId: hydrosat.clientId, clientSecret: secret(hydrosat.clientSecret), tokenUrl })
  }
}

/** A client that counts the requests it sends. */
const counted = (client: HttpClient.HttpClient) =>
  Effect.map(Ref.make(0), (count) => ({
    client: HttpClient.tapRequest(client, () => Ref.update(count, (n) => n + 1)),
    count: Ref.get(count)
  }))

/** Names tokens `#1`, `#2`… in the order they are first seen. */
const tokenNames = () => {
  const seen = new Map<string, number>()
  return (token: AccessToken.AccessToken) => {
    const value = Redacted.value(token.value)
    if (!seen.has(value)) seen.set(value, seen.size + 1)
    return `#${seen.get(value)}`
  }
}

/** Where the real provider's tokens come from: its console token, or its token endpoint. */
const realTokenEndpoint = (id: Id) =>
  Effect.gen(function*() {
    const record = Apis.modules[id].provider
    const clientIdVariable = Provider.variableFor(record, "clientId")?.name
    if (record.staticToken !== undefined && !(yield* anySet(clientIdVariable === undefined ? [] : [clientIdVariable]))) {
      return `a console token (${record.staticToken.variable}): no token endpoint`
    }
    const variable = Provider.variableFor(record, "tokenUrl")?.name ?? ""
    return yield* Effect.orDie(Config.String(variable).pipe(Config.withDefault(Apis.modules[id].tokenUrl)))
  })

/** The provider as the demo uses it: the real one when its credentials are set. */
export const make = (
  id: Id,
  server: LocalProviderServer.Service,
  options: { readonly forceLocal?: boolean | undefined } = {}
): Effect.Effect<Subject, TokenError.InvalidConfiguration | TokenError.WrongHost, HttpClient.HttpClient | Scope.Scope> =>
  Effect.gen(function*() {
    const plain = yield* HttpClient.HttpClient
    const real = options.forceLocal !== true && (yield* anySet(Provider.credentialVariables(Apis.modules[id].provider)))
    const api = yield* counted(plain)
    const token = yield* counted(plain)
    const tokens = real
      ? yield* Effect.provideService(Apis.modules[id].makeConfig(), HttpClient.HttpClient, token.client)
      : yield* localTokens(id, server)
    const baseUrl = real ? yield* Effect.orDie(Apis.baseUrls[id]) : Apis.localBaseUrls(server)[id]
    const request = Apis.protectedRequest(id, baseUrl)
    // Only the API's origin gets the token; the client replays once after a 401.
    const authenticated = BearerHttpClient.withTokenErrors(
      yield* BearerHttpClient.make(real ? api.client : plain, tokens, { origins: [Apis.originOf(baseUrl)] })
    )
    return {
      id,
      name: names[id],
      source: real ? "real" : "local",
      tokenEndpoint: real ? yield* realTokenEndpoint(id) : server.urls[id].tokenUrl,
      tokens,
      apiRequest: `${request.method} ${new URL(request.url).pathname}`,
      // The body is read so that the connection goes back to the pool.
      callApi: Effect.flatMap(authenticated.execute(request), (response) => Effect.as(Effect.ignore(response.arrayBuffer), response.status)),
      tokenRequests: real ? token.count : server.requestCount(id),
      apiRequests: real ? api.count : server.requestCount(id, "api"),
      tokenRequestsSince: (since) =>
        real ? Effect.succeed([]) : Effect.map(server.requests(id), (requests) =>
          requests.slice(since).map((sent) => `${sent.form["grant_type"] ?? "?"} → ${sent.status}`)),
      nameOf: tokenNames()
    } satisfies Subject
  })

/** The token URL moved onto the API's side of the server: the documented "wrong host" mistake. */
export const wrongHostUrl = (id: Id, server: LocalProviderServer.Service): string =>
  DemoScript.wrongHostUrl(server.urls[id].tokenUrl)

/** When the token's refresh token expires, if it has one that says. */
export const refreshExpiry = (token: AccessToken.AccessToken): Option.Option<number> =>
  Option.flatMap(token.refreshToken, (refresh) => refresh.expiresAt)
