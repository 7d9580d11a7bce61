/**
 * The local provider server on Effect 4's `HttpServer`: the version-free server given this
 * fiber's `Clock` and `Random`, an http effect that hands it each request, and its state
 * surface as Effects. Everything it answers is decided in `@effect-bearer/local-provider-server`.
 *
 * @internal
 */
import { Fault, LocalProviderServer as Wire } from "@effect-bearer/local-provider-server"
import { Clock, Duration, Effect, Random, Redacted } from "effect"
import type { Scope } from "effect"
import { HttpServer, HttpServerRequest, HttpServerResponse } from "effect/http"
import * as NetAddress from "effect/net/NetAddress"
import type * as Api from "../LocalProviderServer.js"

/** @internal */
export const defaultCredentials: Api.Credentials = Wire.mapSecrets(Wire.defaultCredentials, Redacted.make)

const millis = (duration: Duration.Input) => Duration.toMillis(duration)

const allMillis = (durations: Readonly<Record<string, Duration.Input | undefined>> | undefined) =>
  durations &&
  Object.fromEntries(Object.entries(durations).flatMap(([key, value]) => value === undefined ? [] : [[key, millis(value)]]))

/** The server's clock, sleep and random bytes: the `Clock` and `Random` of the fiber that builds it (`TestClock` in tests). */
const clockAndRandom = Effect.gen(function*() {
  const clock = yield* Clock.Clock
  const random = yield* Random.Random
  return {
    now: () => clock.currentTimeMillisUnsafe(),
    sleep: (delay: number, signal: AbortSignal | undefined) =>
      Effect.runPromise(clock.sleep(Duration.millis(delay)), signal === undefined ? {} : { signal }),
    randomBytes: (size: number) => Uint8Array.from({ length: size }, () => Math.floor(random.nextDoubleUnsafe() * 256))
  }
})

/** Each request as a record to the version-free server, its answer back as a response; a client that goes away aborts it. */
const httpEffect = (server: Wire.LocalProviderServer) =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const body = yield* Effect.orElseSucceed(request.text, () => "")
    const { headers, method, url } = request
    const response = yield* Effect.interruptible(Effect.promise((signal) => server.handle({ method, url, headers, body }, signal)))
    const options = { status: response.status, headers: response.headers }
    return response.body === "" ? HttpServerResponse.empty(options) : HttpServerResponse.text(response.body, options)
  })

/** @internal */
export const make = (options: Api.Options): Effect.Effect<Api.Service, never, HttpServer.HttpServer | Scope.Scope> =>
  Effect.gen(function*() {
    const { address } = yield* HttpServer.HttpServer
    const credentials: Api.Credentials = { ...defaultCredentials, ...options.credentials }
    const server = Wire.make({
      origin: NetAddress.isInetAddress(address)
        ? Wire.originOf(NetAddress.formatHost(address), address.port)
        : HttpServer.formatAddress(address),
      credentials: Wire.mapSecrets(credentials, Redacted.value),
      lifetimes: allMillis(options.lifetimes),
      refreshLifetimes: allMillis(options.refreshLifetimes),
      recordedRequests: options.recordedRequests,
      ...(yield* clockAndRandom)
    })
    yield* HttpServer.serveEffect()(httpEffect(server))
    return {
      origin: server.origin,
      urls: server.urls,
      credentials,
      environment: server.environment,
      signingSecret: Redacted.make(server.signingSecret),
      setFault: (provider, fault, faultOptions) =>
        Effect.sync(() => server.setFault(provider, fault && Fault.inMillis(fault, Duration.toMillis), faultOptions)),
      clearFaults: Effect.sync(() => server.clearFaults()),
      setLifetime: (provider, lifetime) => Effect.sync(() => server.setLifetime(provider, millis(lifetime))),
      setRefreshLifetime: (provider, lifetime) => Effect.sync(() => server.setRefreshLifetime(provider, millis(lifetime))),
      requestCount: (provider, endpoint) => Effect.sync(() => server.requestCount(provider, endpoint)),
      requests: (provider, endpoint) => Effect.sync(() => server.requests(provider, endpoint)),
      revokeTokens: (provider) => Effect.sync(() => server.revokeTokens(provider))
    } satisfies Api.Service
  })
