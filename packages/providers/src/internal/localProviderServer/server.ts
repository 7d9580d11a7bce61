/**
 * The local provider server on `@effect/platform`'s `HttpServer`: the version-free server
 * given this fiber's `Clock` and `Random`, an `HttpApp` that hands it each request, and
 * its state surface as Effects. Everything it answers is decided in
 * `@effect-bearer/local-provider-server`.
 *
 * @internal
 */
import * as HttpServer from "@effect/platform/HttpServer"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Fault, LocalProviderServer as Wire } from "@effect-bearer/local-provider-server"
import { Duration, Effect, Redacted } from "effect"
import type { Scope } from "effect"
import type * as Api from "../../LocalProviderServer.js"

/** @internal */
export const defaultCredentials: Api.Credentials = Wire.mapSecrets(Wire.defaultCredentials, Redacted.make)

const millis = (duration: Duration.DurationInput) => Duration.toMillis(Duration.decode(duration))

const allMillis = (durations: Readonly<Record<string, Duration.DurationInput | undefined>> | undefined) =>
  durations &&
  Object.fromEntries(Object.entries(durations).flatMap(([key, value]) => value === undefined ? [] : [[key, millis(value)]]))

/** The server's clock, sleep and random bytes: the `Clock` and `Random` of the fiber that builds it (`TestClock` in tests). */
const clockAndRandom = Effect.gen(function*() {
  const clock = yield* Effect.clock
  const random = yield* Effect.random
  return {
    now: () => clock.unsafeCurrentTimeMillis(),
    sleep: (delay: number, signal: AbortSignal | undefined) =>
      Effect.runPromise(clock.sleep(Duration.millis(delay)), signal === undefined ? {} : { signal }),
    randomBytes: (size: number) =>
      Uint8Array.from(Effect.runSync(Effect.all(Array.from({ length: size }, () => random.nextIntBetween(0, 256)))))
  }
})

/**
 * Each request as a record to the version-free server, its answer back as a response. An
 * interrupted fiber aborts the signal; @effect/platform 0.97 serves apps uninterruptibly,
 * so a slow answer still finishes after its client went away, as it always did here.
 */
const httpApp = (server: Wire.LocalProviderServer) =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const body = yield* Effect.orElseSucceed(request.text, () => "")
    const { method, url, headers } = request
    const response = yield* Effect.promise((signal) => server.handle({ method, url, headers, body }, signal))
    const options = { status: response.status, headers: response.headers }
    return response.body === "" ? HttpServerResponse.empty(options) : HttpServerResponse.text(response.body, options)
  })

/** @internal */
export const make = (options: Api.Options): Effect.Effect<Api.Service, never, HttpServer.HttpServer | Scope.Scope> =>
  Effect.gen(function*() {
    const { address } = yield* HttpServer.HttpServer
    const credentials: Api.Credentials = { ...defaultCredentials, ...options.credentials }
    const server = Wire.make({
      origin: address._tag === "TcpAddress" ? Wire.originOf(address.hostname, address.port) : HttpServer.formatAddress(address),
      credentials: Wire.mapSecrets(credentials, Redacted.value),
      lifetimes: allMillis(options.lifetimes),
      refreshLifetimes: allMillis(options.refreshLifetimes),
      recordedRequests: options.recordedRequests,
      ...(yield* clockAndRandom)
    })
    yield* HttpServer.serveEffect(httpApp(server))
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
