/**
 * The local provider server for Effect 4: one real HTTP server speaking the documented wire
 * contracts of UP42 (project and account credentials), Bitquery, Hydrosat and a generic
 * OAuth2 server, for tests and demos. The wire behaviour is
 * `@effect-bearer/local-provider-server`'s, shared by both Effect lines (its module
 * documentation lists the routes); this module serves it on the `HttpServer` provided (on
 * Node, `NodeLocalProviderServer.layer` of `@effect-bearer/platform-node`), with time from
 * `Clock` (`TestClock` in tests) and randomness from `Random`.
 *
 * @example
 * import { NodeHttpServer } from "@effect/platform-node"
 * import { Effect, Layer } from "effect"
 * import { FetchHttpClient } from "effect/http"
 * import { createServer } from "node:http"
 * import { Hydrosat, LocalProviderServer } from "@effect-bearer/providers"
 *
 * const program = Effect.gen(function*() {
 *   const server = yield* LocalProviderServer.LocalProviderServer
 *   const tokens = yield* Hydrosat.make({ ...server.credentials.hydrosat, tokenUrl: server.urls.hydrosat.tokenUrl })
 *   yield* tokens.get
 *   return yield* server.requestCount("hydrosat") // 1
 * })
 *
 * program.pipe(
 *   Effect.provide(LocalProviderServer.layer().pipe(
 *     Layer.provide(NodeHttpServer.layer(createServer, { port: 0, host: "127.0.0.1" })),
 *     Layer.merge(FetchHttpClient.layer)
 *   ))
 * )
 *
 * @since 4.0.0
 */
import type { Fault as WireFault, LocalProviderServer as Wire } from "@effect-bearer/local-provider-server"
import { Context, Duration, Layer } from "effect"
import type { Effect, Redacted } from "effect"
import type { HttpServer } from "effect/http"
import * as internal from "./internal/localProviderServer.js"

export {
  /** Every provider id, in a stable order. */
  providerIds
} from "@effect-bearer/local-provider-server/LocalProviderServer"

export {
  /** A 5xx (default 503) with an RFC 6749 §5.2 body. */
  serverError,
  /** Any status with an RFC 6749 §5.2 body, e.g. `status(415)`. */
  status,
  /** A 200 with an HTML page. */
  html,
  /** A 200 with JSON cut in the middle. */
  truncatedJson,
  /** A 200 with an empty body. */
  emptyBody,
  /** A 200 JSON body without `access_token` (or, for discovery, without `token_endpoint`). */
  missingAccessToken,
  /** A token response whose `token_type` is `mac`. */
  unsupportedTokenType,
  /** A valid opaque token with no `expires_in`. */
  opaqueToken,
  /** A UP42 project token response with the token only at the top-level `accessToken`. */
  topLevelAccessToken
} from "@effect-bearer/local-provider-server/Fault"

export type {
  /** The providers the server speaks for, by their records' ids. */
  ProviderId,
  /** The endpoints of a provider: token, API, OpenID discovery, RFC 7009 revocation. */
  Endpoint,
  /** One request as the server received it, with the status it answered. */
  RecordedRequest,
  /** The server's URLs, per provider. */
  Urls
} from "@effect-bearer/local-provider-server/LocalProviderServer"

/**
 * A fault the server injects on an endpoint, its times as `Duration`s.
 *
 * @since 4.0.0
 * @category faults
 */
export type Fault = WireFault.Fault<Duration.Duration>

/**
 * A 429 with `Retry-After` (in whole seconds).
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3
 * @since 4.0.0
 * @category faults
 */
export const rateLimited = (retryAfter: Duration.Input): Fault => ({
  _tag: "Status",
  status: 429,
  retryAfter: Duration.fromInputUnsafe(retryAfter)
})

/**
 * A response delayed on the server's `Clock`.
 *
 * @since 4.0.0
 * @category faults
 */
export const slow = (delay: Duration.Input): Fault => ({ _tag: "Slow", delay: Duration.fromInputUnsafe(delay) })

/**
 * The credentials the server accepts, secrets `Redacted`.
 *
 * @since 4.0.0
 * @category models
 */
export type Credentials = Wire.Credentials<Redacted.Redacted<string>>

/**
 * What the running server offers to tests and demos.
 *
 * @since 4.0.0
 * @category models
 */
export interface Service {
  /** `http://127.0.0.1:PORT` */
  readonly origin: string
  readonly urls: Wire.Urls
  readonly credentials: Credentials
  /** The variables that point each provider's `layerConfig` at this server; secrets in plain text (test credentials). */
  readonly environment: Readonly<Record<string, string>>
  /** The HMAC key of the JWTs it issues. */
  readonly signingSecret: Redacted.Redacted<string>
  /** Injects a fault on an endpoint (default: token) for the next `times` requests (default: until cleared). */
  readonly setFault: (
    provider: Wire.ProviderId,
    fault: Fault | undefined,
    options?: { readonly endpoint?: Wire.Endpoint | undefined; readonly times?: number | undefined }
  ) => Effect.Effect<void>
  readonly clearFaults: Effect.Effect<void>
  /** The lifetime of the access tokens issued from now on. */
  readonly setLifetime: (provider: Wire.ProviderId, lifetime: Duration.Input) => Effect.Effect<void>
  /** The lifetime of the refresh tokens (the session) started from now on. */
  readonly setRefreshLifetime: (provider: Wire.SessionProviderId, lifetime: Duration.Input) => Effect.Effect<void>
  /** How many requests an endpoint (default: token) received. */
  readonly requestCount: (provider: Wire.ProviderId, endpoint?: Wire.Endpoint) => Effect.Effect<number>
  /** The most recent requests of an endpoint (default: token), oldest first. */
  readonly requests: (provider: Wire.ProviderId, endpoint?: Wire.Endpoint) => Effect.Effect<ReadonlyArray<Wire.RecordedRequest>>
  /** Revokes every token issued so far (of one provider, or of all). */
  readonly revokeTokens: (provider?: Wire.ProviderId) => Effect.Effect<void>
}

/**
 * The local provider server.
 *
 * @since 4.0.0
 * @category services
 */
export class LocalProviderServer extends Context.Service<LocalProviderServer, Service>()(
  "@effect-bearer/providers/LocalProviderServer"
) {}

/**
 * Options of {@link layer}.
 *
 * @since 4.0.0
 * @category models
 */
export interface Options {
  /** Replaces the default credentials of the providers given. */
  readonly credentials?: Partial<Credentials> | undefined
  /** Access token lifetimes; defaults: UP42 300 s, Bitquery 2627999 s, Hydrosat and OAuth2 3600 s. */
  readonly lifetimes?: Partial<Record<Wire.ProviderId, Duration.Input>> | undefined
  /** Refresh token (session) lifetimes; defaults: UP42 account 1800 s, OAuth2 1 day. */
  readonly refreshLifetimes?: Partial<Record<Wire.SessionProviderId, Duration.Input>> | undefined
  /** How many requests per endpoint {@link Service.requests} keeps. Default: 1000. */
  readonly recordedRequests?: number | undefined
}

/**
 * The default credentials.
 *
 * @since 4.0.0
 * @category constants
 */
export const defaultCredentials: Credentials = internal.defaultCredentials

/**
 * Serves the local provider server on the `HttpServer` provided, for as long as the layer lives.
 *
 * @since 4.0.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<LocalProviderServer, never, HttpServer.HttpServer> =>
  Layer.effect(LocalProviderServer, internal.make(options))
