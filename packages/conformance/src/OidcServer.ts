/**
 * A real, third-party authorization server for both lines' conformance suites: oidc-provider 8
 * (panva), started on 127.0.0.1 port 0 with client credentials, introspection and revocation
 * enabled, and configured completely (keys, cookies, storage, lifetimes) so that it prints none
 * of its development warnings. Plain Node and promises: each line wraps it in its own Effect
 * layer. The suite passes oidc-provider's class in (this package has no dependencies; the test
 * packages have oidc-provider 8.8.1 as a devDependency).
 */
import { generateKeyPairSync, randomBytes } from "node:crypto"
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"

/** The part of oidc-provider 8's `Provider` class (it ships no declarations) that the server uses. */
export type OidcProviderClass = new(issuer: string, configuration: Readonly<Record<string, unknown>>) => {
  callback(): (request: IncomingMessage, response: ServerResponse) => void
}

/** A client registered at the server. */
export interface Client {
  readonly clientId: string
  readonly clientSecret: string
}

/** What RFC 7662 introspection says about a token. */
export interface Introspection {
  readonly active: boolean
  readonly client_id?: string
  readonly scope?: string
  readonly exp?: number
}

/** A running oidc-provider. */
export interface OidcServer {
  /** `http://127.0.0.1:PORT`, which is also its OpenID issuer. */
  readonly issuer: string
  readonly tokenUrl: string
  readonly revocationUrl: string
  /** Registered with `client_secret_basic`, scopes `api:read api:write` (not `admin`). */
  readonly basicClient: Client
  /** Registered with `client_secret_post`. */
  readonly postClient: Client
  /** `client_secret_basic`, with `:`, `+`, `%`, `&`, `=` and spaces in its id and secret. */
  readonly reservedBasicClient: Client
  /** The same characters, with `client_secret_post`. */
  readonly reservedPostClient: Client
  /** `client_secret_basic`, whose tokens live {@link shortLifetimeSeconds} seconds. */
  readonly shortLivedClient: Client
  /** Token requests (POST /token) received so far. */
  readonly tokenRequests: () => number
  /** RFC 7662 introspection of a token (any client's), as the `client_secret_post` client. */
  readonly introspect: (token: string) => Promise<Introspection>
  /** Stops listening, closing every connection. */
  readonly close: () => Promise<void>
}

/** The lifetime of the tokens of every client but the short-lived one, in seconds. */
export const lifetimeSeconds = 600

/** The lifetime of the short-lived client's tokens, in seconds. */
export const shortLifetimeSeconds = 2

/** The scopes every client may ask for; `admin` exists at the server but no client may have it. */
export const clientScopes = ["api:read", "api:write"] as const

// RFC 6749 Appendix A allows only VSCHAR (printable ASCII) in ids and secrets, and
// oidc-provider enforces it: every reserved character of form encoding, but no ü.
const reservedSecret = "s e:c+r%t/=&?#;"

/** The reserved-character scenarios: each client authentication method with the client registered for it. */
export const reservedCharacterClients = [
  { method: "client_secret_basic", client: "reservedBasicClient" },
  { method: "client_secret_post", client: "reservedPostClient" }
] as const satisfies ReadonlyArray<{ readonly method: string; readonly client: keyof OidcServer }>

/** oidc-provider's storage interface, in memory, one store per server. */
const memoryAdapter = () => {
  const store = new Map<string, Record<string, unknown>>()
  return class MemoryAdapter {
    constructor(readonly model: string) {}
    key(id: string) {
      return `${this.model}:${id}`
    }
    async upsert(id: string, payload: Record<string, unknown>) {
      store.set(this.key(id), payload)
    }
    async find(id: string) {
      return store.get(this.key(id))
    }
    async findByUid(uid: string) {
      return [...store.values()].find((payload) => payload["uid"] === uid)
    }
    async findByUserCode(userCode: string) {
      return [...store.values()].find((payload) => payload["userCode"] === userCode)
    }
    async consume(id: string) {
      const payload = store.get(this.key(id))
      if (payload !== undefined) payload["consumed"] = Math.floor(Date.now() / 1000)
    }
    async destroy(id: string) {
      store.delete(this.key(id))
    }
    async revokeByGrantId(grantId: string) {
      for (const [key, payload] of store) if (payload["grantId"] === grantId) store.delete(key)
    }
  }
}

const client = (registered: Client, method: "client_secret_basic" | "client_secret_post") => ({
  client_id: registered.clientId,
  client_secret: registered.clientSecret,
  grant_types: ["client_credentials"],
  response_types: [],
  redirect_uris: [],
  token_endpoint_auth_method: method,
  // The server signs with an EC key (fast to generate): say so, as the default is RS256.
  id_token_signed_response_alg: "ES256",
  scope: clientScopes.join(" ")
})

/** Starts a fresh oidc-provider on 127.0.0.1 and a port the system picks. */
export const startOidcServer = async (Provider: OidcProviderClass): Promise<OidcServer> => {
  const basicClient = { clientId: "conformance-basic", clientSecret: "basic-secret" }
  const postClient = { clientId: "conformance-post", clientSecret: "post-secret" }
  const reservedBasicClient = { clientId: "reserved:id+ %&=", clientSecret: reservedSecret }
  const reservedPostClient = { clientId: "reserved-post:id+ %&=", clientSecret: reservedSecret }
  const shortLivedClient = { clientId: "conformance-short", clientSecret: "short-secret" }
  let tokenRequests = 0

  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const signingKey = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "jwk" })
  const provider = new Provider(issuer, {
    adapter: memoryAdapter(),
    clients: [
      client(basicClient, "client_secret_basic"),
      client(postClient, "client_secret_post"),
      client(reservedBasicClient, "client_secret_basic"),
      client(reservedPostClient, "client_secret_post"),
      client(shortLivedClient, "client_secret_basic")
    ],
    scopes: [...clientScopes, "admin"],
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true, allowedPolicy: async () => true },
      revocation: { enabled: true }
    },
    ttl: {
      ClientCredentials: (_context: unknown, _token: unknown, registered: { readonly clientId: string }) =>
        registered.clientId === shortLivedClient.clientId ? shortLifetimeSeconds : lifetimeSeconds
    },
    cookies: { keys: [randomBytes(32).toString("hex")] },
    jwks: { keys: [{ ...signingKey, alg: "ES256", use: "sig", kid: "conformance" }] }
  })
  const callback = provider.callback()
  server.on("request", (request, response) => {
    if (request.method === "POST" && request.url === "/token") tokenRequests++
    callback(request, response)
  })

  const introspect = async (token: string) => {
    const response = await fetch(`${issuer}/token/introspection`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token, client_id: postClient.clientId, client_secret: postClient.clientSecret })
    })
    return await response.json() as Introspection
  }

  return {
    issuer,
    tokenUrl: `${issuer}/token`,
    revocationUrl: `${issuer}/token/revocation`,
    basicClient,
    postClient,
    reservedBasicClient,
    reservedPostClient,
    shortLivedClient,
    tokenRequests: () => tokenRequests,
    introspect,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
