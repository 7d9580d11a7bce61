/**
 * A local provider server: one real HTTP server that speaks the documented wire
 * contracts of UP42 (project and account credentials), Bitquery, Hydrosat and a generic
 * OAuth2 server with OpenID discovery and RFC 7009 revocation, each under its own path
 * prefix, with a protected API route per provider. For your tests and for demos.
 *
 * The wire behaviour (routes, credentials, issued tokens, faults, recording) is
 * `@effect-bearer/local-provider-server`'s, shared by every Effect line; its module
 * documentation lists the routes. This module puts it on `@effect/platform`'s
 * `HttpServer`, so it runs wherever that does: provide an `HttpServer` (e.g.
 * `NodeHttpServer.layer(createServer, { port: 0, host: "127.0.0.1" })`). Time comes only
 * from `Clock` (so `TestClock` drives token expiry and slow responses) and randomness
 * from `Random`.
 *
 * @example
 * import { NodeHttpClient, NodeHttpServer } from "@effect/platform-node"
 * import { Effect, Layer } from "effect"
 * import { createServer } from "node:http"
 * import { TokenProvider } from "@effect-bearer/core"
 * import { Hydrosat, LocalProviderServer } from "@effect-bearer/providers"
 *
 * const program = Effect.gen(function*() {
 *   const server = yield* LocalProviderServer.LocalProviderServer
 *   const tokens = yield* Hydrosat.make({ ...server.credentials.hydrosat, tokenUrl: server.urls.hydrosat.tokenUrl })
 *   const token = yield* tokens.get
 *   return yield* server.requestCount("hydrosat") // 1
 * })
 *
 * program.pipe(
 *   Effect.scoped,
 *   Effect.provide(LocalProviderServer.layer().pipe(
 *     Layer.provide(NodeHttpServer.layer(createServer, { port: 0, host: "127.0.0.1" })),
 *     Layer.merge(NodeHttpClient.layerUndici)
 *   ))
 * )
 *
 * @since 0.1.0
 */
import type * as HttpServer from "@effect/platform/HttpServer"
import type { Fault as WireFault, LocalProviderServer as Wire } from "@effect-bearer/local-provider-server"
import { Context, Duration, Layer } from "effect"
import type { Effect, Redacted } from "effect"
import * as internal from "./internal/localProviderServer/server.js"

export {
  /** Every provider id, in a stable order. */
  providerIds
} from "@effect-bearer/local-provider-server/LocalProviderServer"

export {
  /** A 5xx (default 503) with an RFC 6749 §5.2 `server_error`/`temporarily_unavailable` body. */
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
  /** The providers the server speaks for, by the ids of their records (`up42-project`, …). */
  ProviderId,
  /** The endpoints of a provider: token, API, OpenID discovery, RFC 7009 revocation. */
  Endpoint,
  /** One request as the server received it, with the status it answered. */
  RecordedRequest,
  /** The server's URLs, per provider. */
  Urls
} from "@effect-bearer/local-provider-server/LocalProviderServer"

/**
 * A fault the server injects on an endpoint (its kinds are described at the version-free
 * `Fault`), with its times as `Duration`s.
 *
 * @since 0.1.0
 * @category faults
 */
export type Fault = WireFault.Fault<Duration.Duration>

/**
 * A 429 with `Retry-After` (in whole seconds).
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3
 * @since 0.1.0
 * @category faults
 */
export const rateLimited = (retryAfter: Duration.DurationInput): Fault => ({
  _tag: "Status",
  status: 429,
  retryAfter: Duration.decode(retryAfter)
})

/**
 * A response delayed on the server's `Clock`.
 *
 * @since 0.1.0
 * @category faults
 */
export const slow = (delay: Duration.DurationInput): Fault => ({ _tag: "Slow", delay: Duration.decode(delay) })

/**
 * The credentials the server accepts, secrets `Redacted`. Use them as they are, or pass
 * your own to {@link layer}.
 *
 * @since 0.1.0
 * @category models
 */
export type Credentials = Wire.Credentials<Redacted.Redacted<string>>

/**
 * What the running server offers to tests and demos.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** `http://127.0.0.1:PORT` */
  readonly origin: string
  readonly urls: Wire.Urls
  readonly credentials: Credentials
  /**
   * The environment variables that point each provider's `layerConfig` at this server
   * (`UP42_PROJECT_ID`, `UP42_PROJECT_TOKEN_URL`, `HYDROSAT_CLIENT_SECRET`, …), e.g. for
   * a child process. Secrets in plain text: these are the server's test credentials.
   */
  readonly environment: Readonly<Record<string, string>>
  /** The HMAC key of the JWTs it issues, to verify their signatures in tests. */
  readonly signingSecret: Redacted.Redacted<string>
  /**
   * Injects a fault on an endpoint (default: the token endpoint), for the next `times`
   * requests (default: until cleared); `undefined` clears it.
   */
  readonly setFault: (
    provider: Wire.ProviderId,
    fault: Fault | undefined,
    options?: { readonly endpoint?: Wire.Endpoint | undefined; readonly times?: number | undefined }
  ) => Effect.Effect<void>
  readonly clearFaults: Effect.Effect<void>
  /** The lifetime of the access tokens issued from now on. */
  readonly setLifetime: (provider: Wire.ProviderId, lifetime: Duration.DurationInput) => Effect.Effect<void>
  /** The lifetime of the refresh tokens (the session) started from now on. */
  readonly setRefreshLifetime: (provider: Wire.SessionProviderId, lifetime: Duration.DurationInput) => Effect.Effect<void>
  /** How many requests an endpoint (default: the token endpoint) received. */
  readonly requestCount: (provider: Wire.ProviderId, endpoint?: Wire.Endpoint) => Effect.Effect<number>
  /** The most recent requests of an endpoint (default: the token endpoint), oldest first. */
  readonly requests: (
    provider: Wire.ProviderId,
    endpoint?: Wire.Endpoint
  ) => Effect.Effect<ReadonlyArray<Wire.RecordedRequest>>
  /**
   * Revokes every access token, refresh token and console token issued so far (of one
   * provider, or of all): the APIs answer 401 to them, refresh grants fail.
   */
  readonly revokeTokens: (provider?: Wire.ProviderId) => Effect.Effect<void>
}

/**
 * The local provider server.
 *
 * @since 0.1.0
 * @category tags
 */
export class LocalProviderServer extends Context.Tag("@effect-bearer/providers/LocalProviderServer")<
  LocalProviderServer,
  Service
>() {}

/**
 * Options of {@link layer}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Replaces the default credentials of the providers given. */
  readonly credentials?: Partial<Credentials> | undefined
  /** Access token lifetimes; defaults: UP42 300 s, Bitquery 2627999 s, Hydrosat and OAuth2 3600 s. */
  readonly lifetimes?: Partial<Record<Wire.ProviderId, Duration.DurationInput>> | undefined
  /** Refresh token (session) lifetimes; defaults: UP42 account 1800 s, OAuth2 1 day. */
  readonly refreshLifetimes?: Partial<Record<Wire.SessionProviderId, Duration.DurationInput>> | undefined
  /** How many requests per endpoint {@link Service.requests} keeps. Default: 1000. */
  readonly recordedRequests?: number | undefined
}

/**
 * The default credentials.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultCredentials: Credentials = internal.defaultCredentials

/**
 * Serves the local provider server on the `HttpServer` provided, for as long as the
 * layer lives.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<LocalProviderServer, never, HttpServer.HttpServer> =>
  Layer.scoped(LocalProviderServer, internal.make(options))
