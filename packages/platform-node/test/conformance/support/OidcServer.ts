/**
 * A real, third-party authorization server for the conformance suite: oidc-provider 8
 * (panva), started on 127.0.0.1 port 0 with client credentials, introspection and
 * revocation enabled, and configured completely (keys, cookies, storage, lifetimes) so
 * that it prints none of its development warnings.
 */
import { Context, Effect, Layer } from "effect"
import { generateKeyPairSync, randomBytes } from "node:crypto"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import Provider from "oidc-provider"

/** A client registered at the server. */
export interface Client {
  readonly clientId: string
  readonly clientSecret: string
}

export class OidcServer extends Context.Tag("conformance/OidcServer")<OidcServer, {
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
  /** `client_secret_basic`, whose tokens live 2 seconds. */
  readonly shortLivedClient: Client
  /** Token requests (POST /token) received so far. */
  readonly tokenRequests: Effect.Effect<number>
  /** RFC 7662 introspection of a token (any client's), as the `client_secret_post` client. */
  readonly introspect: (token: string) => Effect.Effect<Introspection>
}>() {}

/** What RFC 7662 introspection says about a token. */
export interface Introspection {
  readonly active: boolean
  readonly client_id?: string
  readonly scope?: string
  readonly exp?: number
}

// RFC 6749 Appendix A allows only VSCHAR (printable ASCII) in ids and secrets, and
// oidc-provider enforces it: every reserved character of form encoding, but no ü.
const reservedSecret = "s e:c+r%t/=&?#;"

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

const client = (clientId: string, clientSecret: string, method: "client_secret_basic" | "client_secret_post") => ({
  client_id: clientId,
  client_secret: clientSecret,
  grant_types: ["client_credentials"],
  response_types: [],
  redirect_uris: [],
  token_endpoint_auth_method: method,
  // The server signs with an EC key (fast to generate): say so, as the default is RS256.
  id_token_signed_response_alg: "ES256",
  scope: "api:read api:write"
})

const make = Effect.gen(function*() {
  const basicClient = { clientId: "conformance-basic", clientSecret: "basic-secret" }
  const postClient = { clientId: "conformance-post", clientSecret: "post-secret" }
  const reservedBasicClient = { clientId: "reserved:id+ %&=", clientSecret: reservedSecret }
  const reservedPostClient = { clientId: "reserved-post:id+ %&=", clientSecret: reservedSecret }
  const shortLivedClient = { clientId: "conformance-short", clientSecret: "short-secret" }
  let tokenRequests = 0

  const server = yield* Effect.acquireRelease(
    Effect.async<ReturnType<typeof createServer>>((resume) => {
      const server = createServer()
      server.listen(0, "127.0.0.1", () => resume(Effect.succeed(server)))
    }),
    (server) =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  )
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const signingKey = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "jwk" })
  const provider = new Provider(issuer, {
    adapter: memoryAdapter(),
    clients: [
      client(basicClient.clientId, basicClient.clientSecret, "client_secret_basic"),
      client(postClient.clientId, postClient.clientSecret, "client_secret_post"),
      client(reservedBasicClient.clientId, reservedBasicClient.clientSecret, "client_secret_basic"),
      client(reservedPostClient.clientId, reservedPostClient.clientSecret, "client_secret_post"),
      client(shortLivedClient.clientId, shortLivedClient.clientSecret, "client_secret_basic")
    ],
    scopes: ["api:read", "api:write", "admin"],
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true, allowedPolicy: async () => true },
      revocation: { enabled: true }
    },
    ttl: {
      ClientCredentials: (_context: unknown, _token: unknown, registered: { readonly clientId: string }) =>
        registered.clientId === shortLivedClient.clientId ? 2 : 600
    },
    cookies: { keys: [randomBytes(32).toString("hex")] },
    jwks: { keys: [{ ...signingKey, alg: "ES256", use: "sig", kid: "conformance" }] }
  })
  const callback = provider.callback()
  server.on("request", (request, response) => {
    if (request.method === "POST" && request.url === "/token") tokenRequests++
    callback(request, response)
  })

  const introspect = (token: string) =>
    Effect.promise(async () => {
      const response = await fetch(`${issuer}/token/introspection`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ token, client_id: postClient.clientId, client_secret: postClient.clientSecret })
      })
      return await response.json() as Introspection
    })

  return OidcServer.of({
    issuer,
    tokenUrl: `${issuer}/token`,
    revocationUrl: `${issuer}/token/revocation`,
    basicClient,
    postClient,
    reservedBasicClient,
    reservedPostClient,
    shortLivedClient,
    tokenRequests: Effect.sync(() => tokenRequests),
    introspect
  })
})

/** A fresh oidc-provider for each use of the layer. */
export const layer: Layer.Layer<OidcServer> = Layer.scoped(OidcServer, make)
