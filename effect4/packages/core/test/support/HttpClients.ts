/**
 * The three HTTP clients a user may provide (undici, node:http, fetch), for the suites
 * that must behave the same with each; and every way a caller reads a response body.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import type { Layer } from "effect"
import { Effect, Schema, Stream } from "effect"
import { FetchHttpClient, HttpClientResponse } from "effect/http"
import type { HttpClient } from "effect/http"

/** Each client's layer, named. */
export const clients: ReadonlyArray<readonly [name: string, layer: Layer.Layer<HttpClient.HttpClient>]> = [
  ["undici", NodeHttpClient.layerUndici],
  ["node:http", NodeHttpClient.layerNodeHttp],
  ["fetch", FetchHttpClient.layer]
]

/** One way of reading a body, named as the caller writes it. */
export type Accessor = readonly [string, (response: HttpClientResponse.HttpClientResponse) => Effect.Effect<unknown, unknown>]

/** The response's own accessors. */
export const accessors: ReadonlyArray<Accessor> = [
  ["json", (response) => response.json],
  ["text", (response) => response.text],
  ["arrayBuffer", (response) => response.arrayBuffer],
  ["formData", (response) => response.formData],
  ["urlParamsBody", (response) => response.urlParamsBody],
  ["stream", (response) => Stream.runDrain(response.stream)]
]

/** The response's own accessors, and decoding the body with a schema as most callers do. */
export const accessorsAndSchema: ReadonlyArray<Accessor> = [
  ...accessors,
  ["HttpClientResponse.schemaBodyJson", HttpClientResponse.schemaBodyJson(Schema.Struct({ ok: Schema.Boolean }))]
]
