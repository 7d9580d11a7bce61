/**
 * The oidc-provider 8.8.1 conformance suite, written once for both lines: client credentials with
 * both client authentication methods, scope, reserved characters in id and secret, expiry and
 * re-acquisition, RFC 7009 revocation when the scope closes (checked with RFC 7662 introspection),
 * and OpenID discovery. Each line runs the cases through {@link Library}, a promise view of its
 * own `TokenEndpoint`, `TokenProvider`, `OpenIdDiscovery` and `OAuth2`, against a server from
 * `OidcServer`.
 */
import type { Client, OidcServer } from "./OidcServer.js"
import { lifetimeSeconds, reservedCharacterClients, shortLifetimeSeconds } from "./OidcServer.js"
import type { Expect } from "./Expect.js"
import type { Token } from "./Token.js"

export type { Expect } from "./Expect.js"
export type { Token } from "./Token.js"


/** A client and how it authenticates. */
export interface Authentication {
  readonly method: "client_secret_basic" | "client_secret_post"
  readonly client: Client
}

/** A token provider, until closed (its scope closing: `revokeOnClose` acts then). */
export interface Provider {
  readonly get: () => Promise<Token>
  readonly close: () => Promise<void>
}

/** What the cases use of a line's library; a failure rejects with the library's typed error. */
export interface Library {
  /** `TokenEndpoint.make` + `requestToken` with the client_credentials grant. */
  readonly requestToken: (options: {
    readonly url: string
    readonly authentication: Authentication
    readonly scope?: string | ReadonlyArray<string>
  }) => Promise<Token>
  /** `TokenEndpoint.revokeToken` of an access token. */
  readonly revokeToken: (options: { readonly url: string; readonly revocationUrl: string; readonly authentication: Authentication }, token: string) => Promise<void>
  /** `TokenProvider.fromEndpoint` with the client_credentials grant. */
  readonly provider: (options: {
    readonly url: string
    readonly authentication: Authentication
    readonly revocationUrl?: string
    readonly revokeOnClose?: boolean
    readonly backgroundRefresh?: false
  }) => Promise<Provider>
  /** `OpenIdDiscovery.discover`. */
  readonly discover: (issuer: string) => Promise<{
    readonly issuer: string
    readonly tokenEndpoint: string
    readonly revocationEndpoint: string | undefined
    readonly tokenEndpointAuthMethodsSupported: ReadonlyArray<string>
  }>
  /** `OAuth2.make` with client credentials. */
  readonly oauth2: (options: {
    readonly issuer: string
    readonly clientId: string
    readonly clientSecret: string
    readonly scope?: string
    readonly revokeOnClose?: boolean
  }) => Promise<Provider>
  /** Moves the clock the library runs on (`TestClock.adjust`); only in the cases on the test clock. */
  readonly adjustClock: (millis: number) => Promise<void>
}

/** One case; `clock: "test"` runs on the test clock, `"live"` on the real one. */
export interface Case {
  readonly name: string
  readonly clock: "test" | "live"
  /** Whether the case needs a server of its own (it counts requests, or waits for expiry). */
  readonly ownServer: boolean
  readonly run: (library: Library, server: OidcServer, expect: Expect) => Promise<void>
}

const basic = (client: Client): Authentication => ({ method: "client_secret_basic", client })
const post = (client: Client): Authentication => ({ method: "client_secret_post", client })
const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis))

/** Runs `use` with a provider, closed afterwards. */
const withProvider = async <A>(make: Promise<Provider>, use: (provider: Provider) => Promise<A>): Promise<A> => {
  const provider = await make
  try {
    return await use(provider)
  } finally {
    await provider.close()
  }
}

const failureOf = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error)

/** The cases. */
export const cases: ReadonlyArray<Case> = [
  {
    name: "client credentials: client_secret_basic: a token that the server introspects as active, for that client",
    clock: "test",
    ownServer: false,
    run: async (library, server, expect) => {
      const token = await library.requestToken({ url: server.tokenUrl, authentication: basic(server.basicClient) })
      expect(token.lifetimeSource).toBe("expires_in")
      expect(token.expiresAt - token.issuedAt).toBe(lifetimeSeconds * 1000)
      expect(await server.introspect(token.value)).toMatchObject({ active: true, client_id: server.basicClient.clientId })
    }
  },
  {
    name: "client credentials: client_secret_post: a token that the server introspects as active, for that client",
    clock: "test",
    ownServer: false,
    run: async (library, server, expect) => {
      const token = await library.requestToken({ url: server.tokenUrl, authentication: post(server.postClient) })
      expect(await server.introspect(token.value)).toMatchObject({ active: true, client_id: server.postClient.clientId })
    }
  },
  ...reservedCharacterClients.map((scenario): Case => ({
    name: `client credentials: ${scenario.method}: an id and secret with ':', '+', '%', '&', '=', '/', '?', '#' and spaces are accepted`,
    clock: "test",
    ownServer: false,
    run: async (library, server, expect) => {
      const client = server[scenario.client]
      const token = await library.requestToken({ url: server.tokenUrl, authentication: { method: scenario.method, client } })
      expect(await server.introspect(token.value)).toMatchObject({ active: true, client_id: client.clientId })
    }
  })),
  {
    name: "client credentials: a wrong secret → InvalidCredentials (401 invalid_client) naming the client",
    clock: "test",
    ownServer: false,
    run: async (library, server, expect) => {
      const error = await failureOf(library.requestToken({ url: server.tokenUrl, authentication: basic({ ...server.basicClient, clientSecret: "wrong" }) }))
      expect(error).toMatchObject({
        _tag: "InvalidCredentials",
        status: 401,
        error: "invalid_client",
        clientId: server.basicClient.clientId,
        grantType: "client_credentials",
        endpoint: server.tokenUrl
      })
    }
  },
  {
    name: "client credentials: scope: the granted scope comes back on the token and in introspection",
    clock: "test",
    ownServer: false,
    run: async (library, server, expect) => {
      const token = await library.requestToken({ url: server.tokenUrl, authentication: basic(server.basicClient), scope: ["api:read"] })
      expect(token.scope).toBe("api:read")
      expect(await server.introspect(token.value)).toMatchObject({ active: true, scope: "api:read" })
    }
  },
  {
    name: "client credentials: a scope the client may not have → InvalidRequest (400 invalid_scope)",
    clock: "test",
    ownServer: false,
    run: async (library, server, expect) => {
      const error = await failureOf(library.requestToken({ url: server.tokenUrl, authentication: basic(server.basicClient), scope: "admin" }))
      expect(error).toMatchObject({ _tag: "InvalidRequest", status: 400, error: "invalid_scope" })
    }
  },
  {
    name: "expiry: a 2-second token is renewed in the background before it expires; the old one expires at the server",
    clock: "live",
    ownServer: true,
    run: (library, server, expect) =>
      withProvider(library.provider({ url: server.tokenUrl, authentication: basic(server.shortLivedClient) }), async (provider) => {
        const first = await provider.get()
        expect(first.expiresAt - first.issuedAt).toBe(shortLifetimeSeconds * 1000)
        // The background refresh runs at 80-90 % of the lifetime (1.6-1.8 s).
        await sleep(2_100)
        const second = await provider.get()
        expect(second.value).not.toBe(first.value)
        expect(server.tokenRequests()).toBeGreaterThanOrEqual(2)
        expect((await server.introspect(first.value)).active).toBe(false)
        expect((await server.introspect(second.value)).active).toBe(true)
      })
  },
  {
    name: "expiry: on the test clock, after the token's lifetime, the next get fetches a new token from the server",
    clock: "test",
    ownServer: true,
    run: (library, server, expect) =>
      withProvider(
        library.provider({ url: server.tokenUrl, authentication: post(server.postClient), backgroundRefresh: false }),
        async (provider) => {
          const first = await provider.get()
          expect((await provider.get()).value).toBe(first.value)
          expect(server.tokenRequests()).toBe(1)
          // 600 s token, 20 s margin: no longer handed out from 580 s.
          await library.adjustClock(579_000)
          expect((await provider.get()).value).toBe(first.value)
          await library.adjustClock(1_000)
          const second = await provider.get()
          expect(second.value).not.toBe(first.value)
          expect(server.tokenRequests()).toBe(2)
          expect((await server.introspect(second.value)).active).toBe(true)
        }
      )
  },
  ...[true, false].map((revokeOnClose): Case => ({
    name: revokeOnClose
      ? "revocation: closing the provider's scope with revokeOnClose revokes its token at the server"
      : "revocation: without revokeOnClose the token stays active after the scope closes",
    clock: "test",
    ownServer: false,
    run: async (library, server, expect) => {
      const token = await withProvider(
        library.provider({ url: server.tokenUrl, revocationUrl: server.revocationUrl, authentication: basic(server.basicClient), revokeOnClose }),
        (provider) => provider.get()
      )
      const introspection = await server.introspect(token.value)
      if (revokeOnClose) expect(introspection).toEqual({ active: false })
      else expect(introspection.active).toBe(true)
    }
  })),
  {
    name: "revocation: TokenEndpoint.revokeToken revokes a token; revoking it again is still a success (RFC 7009 §2.2)",
    clock: "test",
    ownServer: false,
    run: async (library, server, expect) => {
      const endpoint = { url: server.tokenUrl, revocationUrl: server.revocationUrl, authentication: post(server.postClient) }
      const token = await library.requestToken(endpoint)
      await library.revokeToken(endpoint, token.value)
      expect(await server.introspect(token.value)).toEqual({ active: false })
      await library.revokeToken(endpoint, token.value)
    }
  },
  {
    name: "discovery: OpenIdDiscovery.discover reads the token and revocation endpoints and the authentication methods",
    clock: "live",
    ownServer: false,
    run: async (library, server, expect) => {
      const metadata = await library.discover(server.issuer)
      expect(metadata.issuer).toBe(server.issuer)
      expect(metadata.tokenEndpoint).toBe(server.tokenUrl)
      expect(metadata.revocationEndpoint).toBe(server.revocationUrl)
      expect(metadata.tokenEndpointAuthMethodsSupported).toContain("client_secret_basic")
      expect(metadata.tokenEndpointAuthMethodsSupported).toContain("client_secret_post")
    }
  },
  {
    name: "discovery: OAuth2.make with only the issuer discovers the token endpoint, gets a token, and revokes it on close",
    clock: "live",
    ownServer: true,
    run: async (library, server, expect) => {
      const token = await withProvider(
        library.oauth2({
          issuer: server.issuer,
          clientId: server.basicClient.clientId,
          clientSecret: server.basicClient.clientSecret,
          scope: "api:write",
          revokeOnClose: true
        }),
        async (provider) => {
          const token = await provider.get()
          expect(token.scope).toBe("api:write")
          expect(await server.introspect(token.value)).toMatchObject({ active: true, client_id: server.basicClient.clientId })
          return token
        }
      )
      expect(server.tokenRequests()).toBe(1)
      expect(await server.introspect(token.value)).toEqual({ active: false })
    }
  },
  {
    name: "discovery: OAuth2.make with an issuer that is not this server's fails, typed, with no token request",
    clock: "live",
    ownServer: true,
    run: async (library, server, expect) => {
      const error = await failureOf(withProvider(
        library.oauth2({ issuer: `${server.issuer}/other-realm`, clientId: server.basicClient.clientId, clientSecret: server.basicClient.clientSecret }),
        (provider) => provider.get()
      ))
      expect(typeof (error as { readonly _tag?: unknown } | undefined)?._tag).toBe("string")
      expect(server.tokenRequests()).toBe(0)
    }
  }
]
