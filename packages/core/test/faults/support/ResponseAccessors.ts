/**
 * Every way a caller of the bearer client reads a response body, for the tests that check
 * each one's failure (secret hygiene, unreadable bodies).
 */
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { Effect, Schema, Stream } from "effect"

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
