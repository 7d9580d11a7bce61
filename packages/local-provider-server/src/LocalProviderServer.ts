/**
 * The local provider server's wire behaviour as plain TypeScript: the documented wire
 * contracts of UP42 (project and account credentials), Bitquery, Hydrosat and a generic
 * OAuth2 server with OpenID discovery and RFC 7009 revocation, each under its own path
 * prefix, with a protected API route per provider.
 *
 * It is a function from a request record to a promise of a response record, and the
 * state the tests look at and change. No HTTP server, no Effect: each Effect line puts
 * it on its own `HttpServer` and passes its `Clock` and `Random` in as {@link Options}
 * `now`, `sleep` and `randomBytes` (so `TestClock` drives token expiry and slow responses).
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
 * import { LocalProviderServer } from "@effect-bearer/local-provider-server"
 *
 * const server = LocalProviderServer.make({ origin: "http://127.0.0.1:8080" })
 * const response = await server.handle({
 *   method: "POST",
 *   url: "/hydrosat/oauth2/token",
 *   headers: { "content-type": "application/x-www-form-urlencoded" },
 *   body: "grant_type=client_credentials&client_id=local-hydrosat-client&client_secret=local-hydrosat-secret"
 * })
 * response.status // 200
 * server.requestCount("hydrosat") // 1
 *
 * @since 0.1.0
 */
import type { Fault } from "./Fault.js"
import * as internal from "./internal/server.js"

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
 * The providers whose logins end: they issue refresh tokens (RFC 6749 §6).
 *
 * @since 0.1.0
 * @category models
 */
export type SessionProviderId = "up42-account" | "oauth2"

/**
 * The endpoints of a provider: the token endpoint, the protected API route, the OpenID
 * discovery document (UP42 account and OAuth2) and RFC 7009 revocation (OAuth2).
 *
 * @since 0.1.0
 * @category models
 */
export type Endpoint = "token" | "api" | "discovery" | "revocation"

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
  /** When the server received it, from the server's clock (epoch ms). */
  readonly receivedAt: number
  readonly status: number
}

/**
 * The credentials the server accepts, their secrets of type `Secret` (plain strings here;
 * an Effect line's public type has them `Redacted`, see {@link mapSecrets}).
 *
 * @since 0.1.0
 * @category models
 */
export interface Credentials<Secret = string> {
  /** Two projects by default, to exercise several projects side by side. */
  readonly up42Projects: ReadonlyArray<{ readonly projectId: string; readonly projectApiKey: Secret }>
  readonly up42Account: { readonly username: string; readonly password: Secret; readonly clientId: string }
  readonly bitquery: {
    readonly clientId: string
    readonly clientSecret: Secret
    /** A console token: opaque, never expires, accepted by the API until revoked. */
    readonly accessToken: Secret
  }
  readonly hydrosat: { readonly clientId: string; readonly clientSecret: Secret }
  /** The default secret has reserved characters (`:`, `+`, `%`, space, non-ASCII) on purpose. */
  readonly oauth2: {
    readonly clientId: string
    readonly clientSecret: Secret
    readonly username: string
    readonly password: Secret
  }
}

/**
 * The default credentials.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultCredentials: Credentials = internal.defaultCredentials

/**
 * The same credentials with every secret passed through `f` (e.g. `Redacted.make` one way,
 * `Redacted.value` the other).
 *
 * @since 0.1.0
 * @category models
 */
export const mapSecrets: <A, B>(credentials: Credentials<A>, f: (secret: A) => B) => Credentials<B> = internal.mapSecrets

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
 * An HTTP request as the server takes it: header names in any case.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-9
 * @since 0.1.0
 * @category models
 */
export interface WireRequest {
  readonly method: string
  /** Path and query (`/oauth2/token?x=1`), or an absolute URL. */
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  /** The body as text; `""` when there is none. */
  readonly body: string
}

/**
 * An HTTP response as the server gives it: header names in lower case, `content-type`
 * among them whenever `body` is not empty.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-15
 * @since 0.1.0
 * @category models
 */
export interface WireResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  /** The body as text; `""` for none. */
  readonly body: string
}

/**
 * Options of {@link make}. Times are milliseconds.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Where clients reach the server, e.g. `http://127.0.0.1:8080` (see {@link originOf}). */
  readonly origin: string
  /** Replaces the default credentials of the providers given. */
  readonly credentials?: Partial<Credentials> | undefined
  /** Access token lifetimes; defaults: UP42 300 s, Bitquery 2627999 s, Hydrosat and OAuth2 3600 s. */
  readonly lifetimes?: Partial<Record<ProviderId, number>> | undefined
  /** Refresh token (session) lifetimes; defaults: UP42 account 1800 s, OAuth2 1 day. */
  readonly refreshLifetimes?: Partial<Record<SessionProviderId, number>> | undefined
  /** How many requests per endpoint {@link LocalProviderServer.requests} keeps. Default: 1000. */
  readonly recordedRequests?: number | undefined
  /** The time (epoch ms) on the server's clock. Default: `Date.now`. */
  readonly now?: (() => number) | undefined
  /** Waits on the server's clock; rejects once `signal` aborts. Default: `setTimeout`. */
  readonly sleep?: ((millis: number, signal: AbortSignal | undefined) => Promise<void>) | undefined
  /** `size` random bytes. Default: `crypto.getRandomValues`. */
  readonly randomBytes?: ((size: number) => Uint8Array) | undefined
}

/**
 * The running server: its handler, and what it offers to tests and demos.
 *
 * @since 0.1.0
 * @category models
 */
export interface LocalProviderServer {
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
  readonly signingSecret: string
  /**
   * Answers one request; an aborted `signal` (the client went away) ends a `Slow` fault's
   * wait, and the promise rejects.
   */
  readonly handle: (request: WireRequest, signal?: AbortSignal | undefined) => Promise<WireResponse>
  /**
   * Injects a fault on an endpoint (default: the token endpoint), for the next `times`
   * requests (default: until cleared); `undefined` clears it.
   */
  readonly setFault: (
    provider: ProviderId,
    fault: Fault | undefined,
    options?: { readonly endpoint?: Endpoint | undefined; readonly times?: number | undefined }
  ) => void
  readonly clearFaults: () => void
  /** The lifetime (ms) of the access tokens issued from now on. */
  readonly setLifetime: (provider: ProviderId, lifetime: number) => void
  /** The lifetime (ms) of the refresh tokens (the session) started from now on. */
  readonly setRefreshLifetime: (provider: SessionProviderId, lifetime: number) => void
  /** How many requests an endpoint (default: the token endpoint) received. */
  readonly requestCount: (provider: ProviderId, endpoint?: Endpoint) => number
  /** The most recent requests of an endpoint (default: the token endpoint), oldest first. */
  readonly requests: (provider: ProviderId, endpoint?: Endpoint) => ReadonlyArray<RecordedRequest>
  /**
   * Revokes every access token, refresh token and console token issued so far (of one
   * provider, or of all): the APIs answer 401 to them, refresh grants fail.
   */
  readonly revokeTokens: (provider?: ProviderId) => void
}

/**
 * A new server answering for `origin`, with no token issued, no fault set, nothing recorded.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: (options: Options) => LocalProviderServer = internal.make

/**
 * The origin of a server listening on `hostname:port`: one listening on every interface
 * is reached from this machine at 127.0.0.1, the address the token endpoint accepts plain
 * http for.
 *
 * @since 0.1.0
 * @category constructors
 */
export const originOf = (hostname: string, port: number): string =>
  ["0.0.0.0", "::", ""].includes(hostname) ? `http://127.0.0.1:${port}` : `http://${hostname}:${port}`
