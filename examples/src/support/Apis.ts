/**
 * The providers' APIs, as the examples and the demo call them: one request each that
 * needs a bearer token. Each base URL comes from an environment variable, so the same
 * program runs against the real API, a staging host or the local provider server.
 *
 * | variable | default |
 * |---|---|
 * | `UP42_PROJECT_API_URL` | `https://api.up42.com` |
 * | `UP42_API_URL` | `https://api.sa.up42.com` (`https://api.up42.com` with `UP42_REGION=eu`) |
 * | `BITQUERY_GRAPHQL_URL` | `https://streaming.bitquery.io/graphql` |
 * | `HYDROSAT_STAC_URL` | `https://stac-beta.hydrosat.com` |
 */
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { Config, Effect, Option, Schema } from "effect"
import type { ParseResult } from "effect"
import * as DemoScript from "@effect-bearer/conformance/DemoScript"
import type { LocalProviderServer } from "@effect-bearer/providers"
import { Bitquery, Hydrosat, Provider, Up42Account, Up42Project } from "@effect-bearer/providers"

/** The providers whose APIs are here, by their record's id. */
export type ApiProvider = DemoScript.Id

/** Each provider's module: its record (variables, token URL, API origins) and constructors. */
export const modules = {
  "up42-project": Up42Project,
  "up42-account": Up42Account,
  bitquery: Bitquery,
  hydrosat: Hydrosat
} as const satisfies Record<ApiProvider, { readonly provider: unknown }>

/** The variable that points each API elsewhere, its path under the origin and the resource the demo asks for. */
const { apis, ids } = DemoScript

/** The API origin of the region the provider's region variable names (UP42_REGION), or of its default region. */
const regionOrigin = (id: ApiProvider): Config.Config<string> => {
  const record = modules[id].provider
  const variable = Provider.variableFor(record, "region")
  const origin = (region: string | undefined) =>
    record.regions.find((known) => known.id === region)?.apiOrigins[0] ?? modules[id].apiOrigins[0] ?? ""
  return variable === undefined
    ? Config.succeed(origin(undefined))
    : Config.map(Config.option(Config.string(variable.name)), (region) => origin(Option.getOrUndefined(region)))
}

const url = (id: ApiProvider) =>
  Config.string(apis[id].variable).pipe(
    Config.orElse(() => Config.map(regionOrigin(id), (origin) => `${origin}${apis[id].path}`)),
    Config.map((value) => value.replace(/\/+$/, ""))
  )

/** Where each API lives: the record's API origin (in the configured region), unless its variable says otherwise. */
export const baseUrls = Object.fromEntries(ids.map((id) => [id, url(id)])) as Record<ApiProvider, Config.Config<string>>

/** Where each API lives on a local provider server. */
export const localBaseUrls = (server: LocalProviderServer.Service): Record<ApiProvider, string> =>
  Object.fromEntries(ids.map((id) => [id, DemoScript.localBaseUrl(id, server.urls[id].apiUrl)])) as Record<ApiProvider, string>

/** The variables that point the APIs at a local provider server. */
export const localEnvironment = (server: LocalProviderServer.Service): Record<string, string> => {
  const urls = localBaseUrls(server)
  return Object.fromEntries(ids.map((id) => [apis[id].variable, urls[id]]))
}

/** The origin (scheme, host, port) of a URL: what an authenticated client is allowed to send its token to. */
export const originOf = (url: string): string => new URL(url).origin

type Call<A> = Effect.Effect<A, HttpClientError.HttpClientError | ParseResult.ParseError, HttpClient.HttpClient>

/** The request each API answers only with a valid token, as the demo sends it. */
export const protectedRequest = (
  provider: ApiProvider,
  baseUrl: string
): HttpClientRequest.HttpClientRequest => {
  // Bitquery's API is GraphQL: one POST; the others are REST resources.
  return provider === "bitquery"
    ? HttpClientRequest.post(baseUrl).pipe(HttpClientRequest.bodyUnsafeJson({ query: latestBlockQuery }))
    : HttpClientRequest.get(`${baseUrl}${apis[provider].resource}`)
}

const Projects = Schema.Struct({ data: Schema.Array(Schema.Struct({ id: Schema.String, name: Schema.String })) })

/** UP42 (project credentials): the projects the token can see. */
export const up42Projects = (baseUrl: string): Call<typeof Projects.Type["data"]> =>
  Effect.flatMap(HttpClient.HttpClient, (client) => client.execute(protectedRequest("up42-project", baseUrl))).pipe(
    Effect.flatMap(HttpClientResponse.filterStatusOk),
    Effect.flatMap(HttpClientResponse.schemaBodyJson(Projects)),
    Effect.map((body) => body.data)
  )

const Account = Schema.Struct({ email: Schema.String })

/** UP42 (account credentials): who the token belongs to. */
export const up42Account = (baseUrl: string): Call<typeof Account.Type> =>
  Effect.flatMap(HttpClient.HttpClient, (client) => client.execute(protectedRequest("up42-account", baseUrl))).pipe(
    Effect.flatMap(HttpClientResponse.filterStatusOk),
    Effect.flatMap(HttpClientResponse.schemaBodyJson(Account))
  )

/** A small query of Bitquery's streaming GraphQL API: the latest Ethereum block. */
export const latestBlockQuery: string = DemoScript.latestBlockQuery

const GraphQlResponse = Schema.Struct({ data: Schema.Unknown })

/** Bitquery: one GraphQL query. */
export const bitqueryQuery = (url: string, query: string = latestBlockQuery): Call<unknown> =>
  Effect.flatMap(
    HttpClient.HttpClient,
    (client) => client.execute(HttpClientRequest.post(url).pipe(HttpClientRequest.bodyUnsafeJson({ query })))
  ).pipe(
    Effect.flatMap(HttpClientResponse.filterStatusOk),
    Effect.flatMap(HttpClientResponse.schemaBodyJson(GraphQlResponse)),
    Effect.map((body) => body.data)
  )

const Collections = Schema.Struct({
  collections: Schema.Array(
    Schema.Struct({ id: Schema.String, title: Schema.optional(Schema.String), description: Schema.optional(Schema.String) })
  )
})

/** Hydrosat: the STAC collections (`GET /collections`). */
export const hydrosatCollections = (baseUrl: string): Call<typeof Collections.Type["collections"]> =>
  Effect.flatMap(HttpClient.HttpClient, (client) => client.execute(protectedRequest("hydrosat", baseUrl))).pipe(
    Effect.flatMap(HttpClientResponse.filterStatusOk),
    Effect.flatMap(HttpClientResponse.schemaBodyJson(Collections)),
    Effect.map((body) => body.collections)
  )
