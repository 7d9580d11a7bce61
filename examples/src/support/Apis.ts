/**
 * The providers' APIs, as the examples and the demo call them: one request each that
 * needs a bearer token. Each base URL comes from an environment variable, so the same
 * program runs against the real API, a staging host or the local provider server.
 *
 * | variable | default |
 * |---|---|
 * | `UP42_PROJECT_API_URL` | `https://api.up42.com` |
 * | `UP42_API_URL` | `https://api.sa.up42.com` |
 * | `BITQUERY_GRAPHQL_URL` | `https://streaming.bitquery.io/graphql` |
 * | `HYDROSAT_STAC_URL` | `https://stac-beta.hydrosat.com` |
 */
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { Config, Effect, Schema } from "effect"
import type { ParseResult } from "effect"
import type { LocalProviderServer } from "@effect-bearer/providers"

const url = (name: string, fallback: string) =>
  Config.string(name).pipe(Config.withDefault(fallback), Config.map((value) => value.replace(/\/+$/, "")))

/** Where each API lives. */
export const baseUrls: Record<ApiProvider, Config.Config<string>> = {
  up42Project: url("UP42_PROJECT_API_URL", "https://api.up42.com"),
  up42Account: url("UP42_API_URL", "https://api.sa.up42.com"),
  bitquery: url("BITQUERY_GRAPHQL_URL", "https://streaming.bitquery.io/graphql"),
  hydrosat: url("HYDROSAT_STAC_URL", "https://stac-beta.hydrosat.com")
}

/** The providers whose APIs are here. */
export type ApiProvider = "up42Project" | "up42Account" | "bitquery" | "hydrosat"

/** Where each API lives on a local provider server. */
export const localBaseUrls = (server: LocalProviderServer.Service): Record<ApiProvider, string> => ({
  up42Project: server.urls.up42Project.apiUrl.replace(/\/projects$/, ""),
  up42Account: server.urls.up42Account.apiUrl.replace(/\/accounts\/me$/, ""),
  bitquery: server.urls.bitquery.apiUrl,
  hydrosat: server.urls.hydrosat.apiUrl.replace(/\/collections$/, "")
})

/** The variables that point the APIs at a local provider server. */
export const localEnvironment = (server: LocalProviderServer.Service): Record<string, string> => {
  const urls = localBaseUrls(server)
  return {
    UP42_PROJECT_API_URL: urls.up42Project,
    UP42_API_URL: urls.up42Account,
    BITQUERY_GRAPHQL_URL: urls.bitquery,
    HYDROSAT_STAC_URL: urls.hydrosat
  }
}

/** The origin (scheme, host, port) of a URL: what an authenticated client is allowed to send its token to. */
export const originOf = (url: string): string => new URL(url).origin

type Call<A> = Effect.Effect<A, HttpClientError.HttpClientError | ParseResult.ParseError, HttpClient.HttpClient>

/** The request each API answers only with a valid token, as the demo sends it. */
export const protectedRequest = (
  provider: ApiProvider,
  baseUrl: string
): HttpClientRequest.HttpClientRequest => {
  switch (provider) {
    case "up42Project":
      return HttpClientRequest.get(`${baseUrl}/projects`)
    case "up42Account":
      return HttpClientRequest.get(`${baseUrl}/accounts/me`)
    case "bitquery":
      return HttpClientRequest.post(baseUrl).pipe(HttpClientRequest.bodyUnsafeJson({ query: latestBlockQuery }))
    case "hydrosat":
      return HttpClientRequest.get(`${baseUrl}/collections`)
  }
}

const Projects = Schema.Struct({ data: Schema.Array(Schema.Struct({ id: Schema.String, name: Schema.String })) })

/** UP42 (project credentials): the projects the token can see. */
export const up42Projects = (baseUrl: string): Call<typeof Projects.Type["data"]> =>
  Effect.flatMap(HttpClient.HttpClient, (client) => client.execute(protectedRequest("up42Project", baseUrl))).pipe(
    Effect.flatMap(HttpClientResponse.filterStatusOk),
    Effect.flatMap(HttpClientResponse.schemaBodyJson(Projects)),
    Effect.map((body) => body.data)
  )

const Account = Schema.Struct({ email: Schema.String })

/** UP42 (account credentials): who the token belongs to. */
export const up42Account = (baseUrl: string): Call<typeof Account.Type> =>
  Effect.flatMap(HttpClient.HttpClient, (client) => client.execute(protectedRequest("up42Account", baseUrl))).pipe(
    Effect.flatMap(HttpClientResponse.filterStatusOk),
    Effect.flatMap(HttpClientResponse.schemaBodyJson(Account))
  )

/** A small query of Bitquery's streaming GraphQL API: the latest Ethereum block. */
export const latestBlockQuery = "{ EVM(network: eth) { Blocks(limit: {count: 1}, orderBy: {descending: Block_Number}) { Block { Number } } } }"

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
