/**
 * What every endpoint of the local provider server does around a provider's handler:
 * counting, faults, recording.
 *
 * @internal
 */
import type { Fault } from "../Fault.js"
import type { Endpoint as EndpointName, ProviderId } from "../LocalProviderServer.js"
import { breakBody, statusResponse } from "./faults.js"
import type { Faults } from "./faults.js"
import { endpointKey } from "./recording.js"
import type { Recording } from "./recording.js"
import type { Incoming, Response } from "./wire.js"

/** A provider's answer to a request; it sees the fault, for the ones that change what it issues. */
export type Handle = (incoming: Incoming, fault: Fault | undefined) => Response | Promise<Response>

/** What answers a request that reached a route. */
export type RouteHandler = (incoming: Incoming) => Promise<Response>

/** Turns a provider's handler into a route's handler. */
export type Endpoint = (provider: ProviderId, name: EndpointName, handle: Handle) => RouteHandler

/** Waits on the server's clock; rejects once `signal` aborts. */
export type Sleep = (millis: number, signal: AbortSignal | undefined) => Promise<void>

/**
 * Count the request, inject the endpoint's fault (a `Status` fault answers instead of the
 * handler, `Slow` waits first, the body faults break a 200), and record the request with
 * the status it got.
 */
export const makeEndpoint = (faults: Faults, recording: Recording, sleep: Sleep): Endpoint =>
(provider, name, handle) =>
async (incoming) => {
  const key = endpointKey(provider, name)
  recording.count(key)
  const fault = faults.take(key)
  let response: Response
  if (fault?._tag === "Status") {
    response = statusResponse(fault)
  } else {
    if (fault?._tag === "Slow") await sleep(fault.delay, incoming.signal)
    response = breakBody(await handle(incoming, fault), fault)
  }
  const { body, form, headers, method, now, url } = incoming
  recording.record(key, {
    method,
    url,
    headers,
    body,
    form: Object.fromEntries(form),
    receivedAt: now,
    status: response.status
  })
  return response
}
