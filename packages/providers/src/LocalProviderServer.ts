/**
 * A local provider server: one real HTTP server that speaks the documented wire
 * contracts of UP42 (project and account credentials), Bitquery, Hydrosat and a generic
 * OAuth2 server with OpenID discovery and RFC 7009 revocation, each under its own path
 * prefix, with a protected API route per provider. For your tests and for demos.
 *
 * It is built on `@effect/platform`'s `HttpRouter` and `HttpServer`, so it runs wherever
 * they do: provide an `HttpServer` (e.g. `NodeHttpServer.layer(createServer, { port: 0,
 * host: "127.0.0.1" })`). Time comes only from `Clock` (so `TestClock` drives token
 * expiry and slow responses) and randomness from `Random`.
 *
 * | provider | token endpoint | API route |
 * |---|---|---|
 * | UP42 project | `POST /up42/oauth/token` (HTTP Basic) | `GET /up42/api/projects` |
 * | UP42 account | `POST /up42-account/realms/public/protocol/openid-connect/token` | `GET /up42-account/api/accounts/me` (and `GET /up42-account/api/collections`, public: no token needed) |
 * | Bitquery | `POST /bitquery/oauth2/token` (`scope=api`) | `POST /bitquery/graphql` |
 * | Hydrosat | `POST /hydrosat/oauth2/token` | `GET /hydrosat/stac/collections` |
 * | OAuth2 | `POST /oauth2/token`, `POST /oauth2/revoke`, `GET /oauth2/.well-known/openid-configuration` | `GET /oauth2/api/resource` |
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
 * (Over 300 lines: the public surface of the server, its routes table, fault constructors
 * and service documentation; the handlers are one module per provider under `internal/`.)
 *
 * @since 0.1.0
 */
import type * as HttpServer from "@effect/platform/HttpServer"
import { Context, Duration, Layer } from "effect"
import type { Effect, Redacted } from "effect"
import * as internal from "./internal/localProviderServer/server.js"

/**
 * The providers the server speaks for, by the ids of their records (`Providers.up42Project.id`
 * is `up42-project`): the same ids as on the command line and in logs, spans and metrics.
 *
 * @since 0.1.0
 * @category models
 */
export type ProviderId = "up42-project" | "up42-account" | "bitquery" | "hydrosat" | "oauth2"

/**
 * Every provider id, in a stable order.
 *
 * @since 0.1.0
 * @category models
 */
export const providerIds: ReadonlyArray<ProviderId> = ["up42-project", "up42-account", "bitquery", "hydrosat", "oauth2"]

/**
 * The endpoints of a provider: the token endpoint, the protected API route, the OpenID
 * discovery document (UP42 account and OAuth2) and RFC 7009 revocation (OAuth2).
 *
 * @since 0.1.0
 * @category models
 */
export type Endpoint = "token" | "api" | "discovery" | "revocation"

/**
 * A fault the server injects on an endpoint.
 *
 * - `Status`: answer with that status and an RFC 6749 §5.2 body (and `Retry-After` when
 *   given): 5xx, 429, or any status such as 415 or 404.
 * - `Slow`: sleep this long on the server's `Clock`, then answer normally.
 * - `Html`, `TruncatedJson`, `EmptyBody`: a 200 whose body is an HTML page, cut JSON, or nothing.
 * - `MissingAccessToken`: a 200 JSON body without its essential field (`access_token`;
 *   `token_endpoint` in a discovery document).
 * - `UnsupportedTokenType`: a token response with `token_type: "mac"`.
 * - `OpaqueToken`: a valid token that is not a JWT, with no `expires_in`: the client
 *   must fall back to the provider's documented lifetime.
 * - `TopLevelAccessToken`: a UP42 project token response with the token only at the
 *   top-level `accessToken`, not at `data.accessToken` (the older shape UP42's Postman
 *   guide shows beside it).
 *
 * @since 0.1.0
 * @category faults
 */
export type Fault =
  | { readonly _tag: "Status"; readonly status: number; readonly retryAfter?: Duration.Duration | undefined }
  | { readonly _tag: "Slow"; readonly delay: Duration.Duration }
  | { readonly _tag: "Html" }
  | { readonly _tag: "TruncatedJson" }
  | { readonly _tag: "EmptyBody" }
  | { readonly _tag: "MissingAccessToken" }
  | { readonly _tag: "UnsupportedTokenType" }
  | { readonly _tag: "OpaqueToken" }
  | { readonly _tag: "TopLevelAccessToken" }

/**
 * A 5xx (default 503) with an RFC 6749 §5.2 `server_error`/`temporarily_unavailable` body.
 *
 * @since 0.1.0
 * @category faults
 */
export const serverError = (status = 503): Fault => ({ _tag: "Status", status })

/**
 * A 429 with `Retry-After` (in whole seconds).
 *
 * @since 0.1.0
 * @category faults
 */
export const rateLimited = (retryAfter: Duration.DurationInput): Fault => ({
  _tag: "Status",
  status: 429,
  retryAfter: Duration.decode(retryAfter)
})

/**
 * Any status with an RFC 6749 §5.2 body, e.g. `status(415)`.
 *
 * @since 0.1.0
 * @category faults
 */
export const status = (code: number): Fault => ({ _tag: "Status", status: code })

/**
 * A response delayed on the server's `Clock`.
 *
 * @since 0.1.0
 * @category faults
 */
export const slow = (delay: Duration.DurationInput): Fault => ({ _tag: "Slow", delay: Duration.decode(delay) })

/**
 * A 200 with an HTML page.
 *
 * @since 0.1.0
 * @category faults
 */
export const html: Fault = { _tag: "Html" }

/**
 * A 200 with JSON cut in the middle.
 *
 * @since 0.1.0
 * @category faults
 */
export const truncatedJson: Fault = { _tag: "TruncatedJson" }

/**
 * A 200 with an empty body.
 *
 * @since 0.1.0
 * @category faults
 */
export const emptyBody: Fault = { _tag: "EmptyBody" }

/**
 * A 200 JSON body without `access_token` (or, for discovery, without `token_endpoint`).
 *
 * @since 0.1.0
 * @category faults
 */
export const missingAccessToken: Fault = { _tag: "MissingAccessToken" }

/**
 * A token response whose `token_type` is `mac`.
 *
 * @since 0.1.0
 * @category faults
 */
export const unsupportedTokenType: Fault = { _tag: "UnsupportedTokenType" }

/**
 * A valid opaque token with no `expires_in`.
 *
 * @since 0.1.0
 * @category faults
 */
export const opaqueToken: Fault = { _tag: "OpaqueToken" }

/**
 * A UP42 project token response with the token only at the top-level `accessToken`.
 *
 * @since 0.1.0
 * @category faults
 */
export const topLevelAccessToken: Fault = { _tag: "TopLevelAccessToken" }

/**
 * One request as the server received it, with the status it answered. Headers include
 * `authorization`: this is a test server, and tests assert on exactly that.
 *
 * @since 0.1.0
 * @category models
 */
export interface RecordedRequest {
  readonly method: string
  /** Path and query, e.g. `/hydrosat/oauth2/token`. */
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  /** The body decoded as a form (last value wins for repeated names). */
  readonly form: Readonly<Record<string, string>>
  /** When the server received it, from the server's `Clock` (epoch ms). */
  readonly receivedAt: number
  readonly status: number
}

/**
 * The credentials the server accepts. Use them as they are, or pass your own to {@link layer}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Credentials {
  /** Two projects by default, to exercise several projects side by side. */
  readonly up42Projects: ReadonlyArray<{ readonly projectId: string; readonly projectApiKey: Redacted.Redacted<string> }>
  readonly up42Account: { readonly username: string; readonly password: Redacted.Redacted<string>; readonly clientId: string }
  readonly bitquery: {
    readonly clientId: string
    readonly clientSecret: Redacted.Redacted<string>
    /** A console token: opaque, never expires, accepted by the API until revoked. */
    readonly accessToken: Redacted.Redacted<string>
  }
  readonly hydrosat: { readonly clientId: string; readonly clientSecret: Redacted.Redacted<string> }
  /** The default secret has reserved characters (`:`, `+`, `%`, space, non-ASCII) on purpose. */
  readonly oauth2: {
    readonly clientId: string
    readonly clientSecret: Redacted.Redacted<string>
    readonly username: string
    readonly password: Redacted.Redacted<string>
  }
}

/**
 * The server's URLs, per provider.
 *
 * @since 0.1.0
 * @category models
 */
export interface Urls {
  readonly "up42-project": { readonly tokenUrl: string; readonly apiUrl: string }
  readonly "up42-account": {
    readonly tokenUrl: string
    readonly apiUrl: string
    /** A public endpoint (the list of all collections): it answers without a token, as UP42's page says some do. */
    readonly publicApiUrl: string
    readonly issuer: string
    readonly discoveryUrl: string
  }
  readonly bitquery: { readonly tokenUrl: string; readonly apiUrl: string }
  readonly hydrosat: { readonly tokenUrl: string; readonly apiUrl: string }
  readonly oauth2: {
    readonly tokenUrl: string
    readonly apiUrl: string
    readonly issuer: string
    readonly discoveryUrl: string
    readonly revocationUrl: string
  }
}

/**
 * What the running server offers to tests and demos.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** `http://127.0.0.1:PORT` */
  readonly origin: string
  readonly urls: Urls
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
    provider: ProviderId,
    fault: Fault | undefined,
    options?: { readonly endpoint?: Endpoint | undefined; readonly times?: number | undefined }
  ) => Effect.Effect<void>
  readonly clearFaults: Effect.Effect<void>
  /** The lifetime of the access tokens issued from now on. */
  readonly setLifetime: (provider: ProviderId, lifetime: Duration.DurationInput) => Effect.Effect<void>
  /** The lifetime of the refresh tokens (the session) started from now on. */
  readonly setRefreshLifetime: (
    provider: "up42-account" | "oauth2",
    lifetime: Duration.DurationInput
  ) => Effect.Effect<void>
  /** How many requests an endpoint (default: the token endpoint) received. */
  readonly requestCount: (provider: ProviderId, endpoint?: Endpoint) => Effect.Effect<number>
  /** The most recent requests of an endpoint (default: the token endpoint), oldest first. */
  readonly requests: (provider: ProviderId, endpoint?: Endpoint) => Effect.Effect<ReadonlyArray<RecordedRequest>>
  /**
   * Revokes every access token, refresh token and console token issued so far (of one
   * provider, or of all): the APIs answer 401 to them, refresh grants fail.
   */
  readonly revokeTokens: (provider?: ProviderId) => Effect.Effect<void>
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
  readonly lifetimes?: Partial<Record<ProviderId, Duration.DurationInput>> | undefined
  /** Refresh token (session) lifetimes; defaults: UP42 account 1800 s, OAuth2 1 day. */
  readonly refreshLifetimes?: Partial<Record<"up42-account" | "oauth2", Duration.DurationInput>> | undefined
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
