/**
 * The one promise view of a line's token endpoint client that both conformance suites reach
 * the library through: each line builds a {@link Core} on its own runtime (its TestClock, its
 * HTTP client), and {@link forOidcProvider} and {@link forMockServer} make the suites'
 * `Library` views of it here, once, instead of two views per line.
 */
import * as MockOAuth2ServerCases from "./MockOAuth2ServerCases.js"
import type * as OidcProviderCases from "./OidcProviderCases.js"
import type { Token } from "./Token.js"

/** A token endpoint: its URL, how the client authenticates, and the optional revocation URL and scope. */
export interface Endpoint {
  readonly url: string
  readonly authentication: OidcProviderCases.Authentication
  readonly revocationUrl?: string | undefined
  readonly scope?: string | ReadonlyArray<string> | undefined
}

/** What a line gives of its library; a failure rejects with the library's typed error. */
export interface Core {
  /** `TokenEndpoint.make` + `requestToken`. */
  readonly requestToken: (endpoint: Endpoint, grant: MockOAuth2ServerCases.Grant) => Promise<Token>
  /** `TokenEndpoint.revokeToken` of an access token. */
  readonly revokeToken: (endpoint: Endpoint, token: string) => Promise<void>
  /** `TokenSource.fromEndpoint`: its `fetch`, given the previous token (or none). */
  readonly source: (endpoint: Endpoint, grant: MockOAuth2ServerCases.Grant) => Promise<{ readonly fetch: (previous: Token | undefined) => Promise<Token> }>
  /** `TokenProvider.fromEndpoint` in a scope of its own, closed by `close`. */
  readonly provider: (options: Endpoint & {
    readonly grant: MockOAuth2ServerCases.Grant
    readonly revokeOnClose?: boolean | undefined
    readonly backgroundRefresh?: false | { readonly at: number; readonly jitter: number } | undefined
  }) => Promise<OidcProviderCases.Provider>
  readonly discover: OidcProviderCases.Library["discover"]
  readonly oauth2: OidcProviderCases.Library["oauth2"]
  readonly adjustClock: (millis: number) => Promise<void>
}

/** The options without their `undefined` entries, for options under `exactOptionalPropertyTypes`. */
export const defined = <T extends Record<string, unknown>>(options: T): { [K in keyof T]?: Exclude<T[K], undefined> } =>
  Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as never

const clientCredentials: MockOAuth2ServerCases.Grant = { _tag: "ClientCredentials" }

/** The oidc-provider suite's view: every request with the client_credentials grant. */
export const forOidcProvider = (core: Core): OidcProviderCases.Library => ({
  requestToken: (options) => core.requestToken(options, clientCredentials),
  revokeToken: core.revokeToken,
  provider: (options) => core.provider({ ...options, grant: clientCredentials }),
  discover: core.discover,
  oauth2: core.oauth2,
  adjustClock: core.adjustClock
})

const mockAuthentication: OidcProviderCases.Authentication = { method: "client_secret_basic", client: MockOAuth2ServerCases.client }

/** The oauth2-mock-server suite's view: every request authenticates as its client, with client_secret_basic. */
export const forMockServer = (core: Core): MockOAuth2ServerCases.Library => ({
  requestToken: (options, grant) => core.requestToken({ ...options, authentication: mockAuthentication }, grant),
  source: (url, grant) => core.source({ url, authentication: mockAuthentication }, grant),
  provider: (options) =>
    core.provider({
      url: options.url,
      authentication: mockAuthentication,
      grant: options.grant,
      backgroundRefresh: { at: options.refreshAt, jitter: 0 }
    }),
  adjustClock: core.adjustClock
})
