/**
 * The four providers as the demo shows them: each with its `TokenProvider`, an
 * authenticated client for its API, and the counts that prove what happened. A provider
 * whose credentials are in the environment is the real one; the others are played by
 * the local provider server.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import { Config, Effect, Option, Redacted, Ref } from "effect"
import type { Scope } from "effect"
import type { AccessToken, TokenError, TokenProvider } from "@effect-bearer/core"
import { BearerHttpClient } from "@effect-bearer/core"
import * as DemoScript from "@effect-bearer/conformance/DemoScript"
import type { LocalProviderServer } from "@effect-bearer/providers"
import { Bitquery, Hydrosat, Provider, Up42Account, Up42Project } from "@effect-bearer/providers"
import * as Apis from "../support/Apis.js"
import { anySet } from "../support/LocalFallback.js"

/** The providers of the demo, by their record's id. */
export type Id = Apis.ApiProvider

/** In the order the demo shows them, and their short names for the output's first column. */
export const { ids, names } = DemoScript

/** The credential variables, from the record: any of them set means "use the real provider". */
export const variables = (id: Id): ReadonlyArray<string> => Provider.credentialVariables(Apis.modules[id].provider)

/** The variable that overrides the token URL, from the record. */
const tokenUrlVariable = (id: Id): string => Provider.variableFor(Apis.modules[id].provider, "tokenUrl")?.name ?? ""

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
  /** `#1`, `#2`…: tokens named in the order they appeared, so the output can tell them apart without showing them. */
  readonly nameOf: (token: AccessToken.AccessToken) => string
}

/** Everything one token provider needs to differ in, for the failure cases. */
export interface LocalOptions {
  readonly tokenUrl?: string | undefined
  readonly wrongCredentials?: boolean | undefined
}

/** A token provider for one provider of the local server, with its test credentials. */
export const localTokens = (
  id: Id,
  server: LocalProviderServer.Service,
  options: LocalOptions = {}
): Effect.Effect<
  TokenProvider.Service,
  TokenError.InvalidConfiguration | TokenError.WrongHost,
  HttpClient.HttpClient | Scope.Scope
> => {
  const wrong = Redacted.make("not-the-right-secret")
  const tokenUrl = options.tokenUrl ?? server.urls[id].tokenUrl
  const credentials = server.credentials
  switch (id) {
    case "up42-project": {
      const project = credentials.up42Projects[0]
      if (project === undefined) return Effect.dieMessage("The local provider server has no UP42 project")
      return Up42Project.make({
        projectId: project.projectId,
        projectApiKey: options.wrongCredentials === true ? wrong : project.projectApiKey,
        tokenUrl
      })
    }
    case "up42-account":
      return Up42Account.make({
        username: credentials.up42Account.username,
        password: options.wrongCredentials === true ? wrong : credentials.up42Account.password,
        tokenUrl
      })
    case "bitquery":
      return Bitquery.make({
        clientId: credentials.bitquery.clientId,
        clientSecret: options.wrongCredentials === true ? wrong : credentials.bitquery.clientSecret,
        tokenUrl
      })
    case "hydrosat":
      return Hydrosat.make({
        clientId: credentials.hydrosat.clientId,
        clientSecret: options.wrongCredentials === true ? wrong : credentials.hydrosat.clientSecret,
        tokenUrl
      })
  }
}

/** A token provider for the real provider, configured from the environment its record names. */
const realTokens = (id: Id) => Apis.modules[id].makeConfig()

const counter = (client: HttpClient.HttpClient) =>
  Effect.map(Ref.make(0), (count) => ({
    client: HttpClient.tapRequest(client, () => Ref.update(count, (n) => n + 1)),
    count: Ref.get(count)
  }))

const tokenNames = () => {
  const seen = new Map<string, number>()
  return (token: AccessToken.AccessToken) => {
    const value = Redacted.value(token.value)
    const known = seen.get(value)
    if (known !== undefined) return `#${known}`
    seen.set(value, seen.size + 1)
    return `#${seen.size}`
  }
}

/** The provider as the demo uses it: the real one when its credentials are set. */
export const make = (
  id: Id,
  server: LocalProviderServer.Service,
  options: { readonly forceLocal?: boolean | undefined } = {}
): Effect.Effect<
  Subject,
  TokenError.InvalidConfiguration | TokenError.WrongHost,
  HttpClient.HttpClient | Scope.Scope
> =>
  Effect.gen(function*() {
    const plain = yield* HttpClient.HttpClient
    const real = options.forceLocal !== true && (yield* anySet(variables(id)))
    const apiCount = yield* counter(plain)
    const tokenCount = yield* counter(plain)
    const tokens = real
      ? yield* Effect.provideService(realTokens(id), HttpClient.HttpClient, tokenCount.client)
      : yield* localTokens(id, server)
    const baseUrl = real ? yield* Effect.orDie(Apis.baseUrls[id]) : Apis.localBaseUrls(server)[id]
    const record = Apis.modules[id].provider
    const clientIdVariable = Provider.variableFor(record, "clientId")?.name
    const request = Apis.protectedRequest(id, baseUrl)
    // Only the API's origin gets the token; the client replays once after a 401.
    const authenticated = BearerHttpClient.withTokenErrors(
      yield* BearerHttpClient.make(real ? apiCount.client : plain, tokens, { origins: [Apis.originOf(baseUrl)] })
    )
    const tokenEndpoint = real
      ? record.staticToken !== undefined && !(yield* anySet(clientIdVariable === undefined ? [] : [clientIdVariable]))
        ? `a console token (${record.staticToken.variable}): no token endpoint`
        : yield* Effect.orDie(Config.string(tokenUrlVariable(id)).pipe(Config.withDefault(Apis.modules[id].tokenUrl)))
      : server.urls[id].tokenUrl
    return {
      id,
      name: names[id],
      source: real ? "real" : "local",
      tokenEndpoint,
      tokens,
      apiRequest: `${request.method} ${new URL(request.url).pathname}`,
      // The body is read so that the connection goes back to the pool.
      callApi: Effect.flatMap(authenticated.execute(request), (response) =>
        Effect.as(Effect.ignore(response.arrayBuffer), response.status)),
      tokenRequests: real ? tokenCount.count : server.requestCount(id),
      apiRequests: real ? apiCount.count : server.requestCount(id, "api"),
      tokenRequestsSince: (since) =>
        real ? Effect.succeed([]) : Effect.map(server.requests(id), (requests) =>
          requests.slice(since).map((request) => `${request.form["grant_type"] ?? "?"} → ${request.status}`)),
      nameOf: tokenNames()
    } satisfies Subject
  })

/** The token URL moved onto the API's side of the server: the documented "wrong host" mistake. */
export const wrongHostUrl = (id: Id, server: LocalProviderServer.Service): string =>
  DemoScript.wrongHostUrl(server.urls[id].tokenUrl)

/** When the token's refresh token expires, if it has one that says. */
export const refreshExpiry = (token: AccessToken.AccessToken): Option.Option<number> =>
  Option.flatMap(token.refreshToken, (refresh) => refresh.expiresAt)
