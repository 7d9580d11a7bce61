/**
 * One endpoint of the local provider server: what every request goes through around its
 * provider's handler (counting, faults, recording).
 *
 * @internal
 */
import type * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import { Effect, Option } from "effect"
import type * as Api from "../../LocalProviderServer.js"
import { breakBody, statusResponse } from "./faults.js"
import type { Faults } from "./faults.js"
import { endpointKey } from "./recording.js"
import type { Recording } from "./recording.js"
import { readIncoming } from "./wire.js"
import type { Incoming, Response } from "./wire.js"

/** A provider's answer to a request; it sees the fault, for the ones that change what it issues. */
export type Handle = (incoming: Incoming, fault: Option.Option<Api.Fault>) => Effect.Effect<Response>

/** Turns a provider's handler into a route's handler. */
export type Endpoint = (
  provider: Api.ProviderId,
  name: Api.Endpoint,
  handle: Handle
) => Effect.Effect<Response, never, HttpServerRequest.HttpServerRequest>

/**
 * Count the request, inject the endpoint's fault (a `Status` fault answers instead of the
 * handler, `Slow` waits first, the body faults break a 200), and record the request with
 * the status it got.
 */
export const makeEndpoint = (faults: Faults, recording: Recording): Endpoint => (provider, name, handle) =>
  Effect.gen(function*() {
    const incoming = yield* readIncoming
    const key = endpointKey(provider, name)
    const fault = yield* Effect.sync(() => {
      recording.count(key)
      return faults.take(key)
    })
    let response: Response
    if (Option.isSome(fault) && fault.value._tag === "Status") {
      response = statusResponse(fault.value)
    } else {
      if (Option.isSome(fault) && fault.value._tag === "Slow") yield* Effect.sleep(fault.value.delay)
      response = breakBody(yield* handle(incoming, fault), fault)
    }
    const { body, form, headers, method, now, url } = incoming
    yield* Effect.sync(() =>
      recording.record(key, {
        method,
        url,
        headers,
        body,
        form: Object.fromEntries(form),
        receivedAt: now,
        status: response.status
      })
    )
    return response
  })
