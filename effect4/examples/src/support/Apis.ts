/**
 * The providers' APIs, as the examples and the demo call them: one request each that needs
 * a bearer token. Each base URL comes from an environment variable (`UP42_PROJECT_API_URL`,
 * `UP42_API_URL`, `BITQUERY_GRAPHQL_URL`, `HYDROSAT_STAC_URL`), else from the record's API
 * origin in the configured region, so the same program runs against the real API, a staging
 * host or the local provider server.
 */
import { Config, Effect, Option, Schema } from "effect"
import { HttpClient, HttpClientRequest, HttpClientResponse } from "effect/http"
import type { HttpClientError } from "effect/http"
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

const { apis, ids } = DemoScript

/** The API origin of the region the record's region variable names, or of its default region. */
const regionOrigin = (id: ApiProvider): Config.Config<string> => {
  const record = modules[id].provider
  const variable = Provider.variableFor(record, "region")
  const origin = (region: string | undefined) =>
    record.regions.find((known) => known.id === region)?.apiOrigins[0] ?? modules[id].apiOrigins[0] ?? ""
  return variable === undefined
    ? Config.succeed(origin(undefined))
    : Config.map(Config.option(Config.String(variable.name)), (region) => origin(Option.getOrUndefined(region)))
}

/** Where each API lives: its variable, else the record's API origin (in the configured region). */
export const baseUrls = Object.fromEntries(ids.map((id) => [
  id,
  Config.String(apis[id].variable).pipe(
    Config.orElse(() => Config.map(regionOrigin(id), (origin) => `${origin}${apis[id].path}`)),
    Config.map((value) => value.replace(/\/+$/, ""))
  )
])) as Record<ApiProvider, Config.Config<string>>

/** Where each API lives on a local provider server. */
export const localBaseUrls = (server: LocalProviderServer.Service): Record<ApiProvider, string> =>
  Object.fromEntries(ids.map((id) => [id, DemoScript.localBaseUrl(id, server.urls[id].apiUrl)])) as Record<ApiProvider, string>

/** The variables that point the APIs at a local provider server. */
export const localEnvironment = (server: LocalProviderServer.Service): Record<string, string> => {
  const urls = localBaseUrls(server)
  return Object.fromEntries(ids.map((id) => [apis[id].variable, urls[id]]))
}

/** The origin of a URL: what an authenticated client may send its token to. */
export const originOf = (url: string): string => new URL(url).origin

/** A small query of Bitquery's streaming GraphQL API: the latest Ethereum block. */
export const latestBlockQuery = DemoScript.latestBlockQuery

/** The request each API answers only with a valid token (Bitquery's API is GraphQL: one POST). */
export const protectedRequest = (provider: ApiProvider, baseUrl: string): HttpClientRequest.HttpClientRequest =>
  provider === "bitquery"
    ? HttpClientRequest.post(baseUrl).pipe(HttpClientRequest.bodyJsonUnsafe({ query: latestBlockQuery }))
    : HttpClientRequest.get(`${baseUrl}${apis[provider].resource}`)

type Call<A> = Effect.Effect<A, HttpClientError.HttpClientError | Schema.SchemaError, HttpClient.HttpClient>

/** Sends a request with the client in context and decodes a 2xx JSON body. */
const call = <S extends Schema.Constraint>(request: HttpClientRequest.HttpClientRequest, schema: S) =>
  HttpClient.execute(request).pipe(
    Effect.flatMap(HttpClientResponse.filterStatusOk),
    Effect.flatMap(HttpClientResponse.schemaBodyJson(schema))
  )

const Projects = Schema.Struct({ data: Schema.Array(Schema.Struct({ id: Schema.String, name: Schema.String })) })

/** UP42 (project credentials): the projects the token can see. */
export const up42Projects = (baseUrl: string): Call<typeof Projects.Type["data"]> =>
  Effect.map(call(protectedRequest("up42-project", baseUrl), Projects), (body) => body.data)

const Account = Schema.Struct({ email: Schema.String })

/** UP42 (account credentials): who the token belongs to. */
export const up42Account = (baseUrl: string): Call<typeof Account.Type> => call(protectedRequest("up42-account", baseUrl), Account)

const GraphQlResponse = Schema.Struct({ data: Schema.Unknown })

/** Bitquery: one GraphQL query. */
export const bitqueryQuery = (url: string, query: string = latestBlockQuery): Call<unknown> =>
  Effect.map(
    call(HttpClientRequest.post(url).pipe(HttpClientRequest.bodyJsonUnsafe({ query })), GraphQlResponse),
    (body) => body.data
  )

const Collections = Schema.Struct({
  collections: Schema.Array(
    Schema.Struct({ id: Schema.String, title: Schema.optional(Schema.String), description: Schema.optional(Schema.String) })
  )
})

/** Hydrosat: the STAC collections (`GET /collections`). */
export const hydrosatCollections = (baseUrl: string): Call<typeof Collections.Type["collections"]> =>
  Effect.map(call(protectedRequest("hydrosat", baseUrl), Collections), (body) => body.collections)
