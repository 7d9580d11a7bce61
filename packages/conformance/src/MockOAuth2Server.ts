/**
 * oauth2-mock-server 7 on 127.0.0.1 port 0, for both lines' conformance suites: a third-party
 * token endpoint that supports the password and refresh_token grants (which oidc-provider does
 * not). Its `beforeResponse` hook records each token request and lets a test shape the answer:
 * the token lifetime, a refresh token's lifetime, or a refused refresh token. Plain Node and
 * promises: each line wraps it in its own Effect layer; the suite passes oauth2-mock-server's
 * class in (this package has no dependencies).
 */
import type { IncomingMessage } from "node:http"

/** The part of oauth2-mock-server 7's `MutableResponse` the hook shapes. */
interface MutableResponse {
  statusCode: number
  body: Record<string, unknown> | ""
}

/** The part of oauth2-mock-server 7's `OAuth2Server` class that the server uses. */
export type OAuth2ServerClass = new() => {
  readonly issuer: { readonly url: string | undefined; readonly keys: { generate(algorithm: string): Promise<unknown> } }
  readonly service: { on(event: "beforeResponse", listener: (response: MutableResponse, request: IncomingMessage) => void): unknown }
  start(port: number, host: string): Promise<unknown>
  stop(): Promise<unknown>
  address(): { readonly port: number }
}

/** One token request as the mock server received it. */
export interface TokenRequest {
  readonly form: Readonly<Record<string, string>>
  readonly authorization: string | undefined
}

/** How the next answers are shaped. */
export interface Behaviour {
  /** `expires_in` of the access tokens; default: the server's own ({@link defaultLifetimeSeconds}). */
  readonly expiresIn?: number
  /** Keycloak's `refresh_expires_in`, added when set. */
  readonly refreshExpiresIn?: number
  /** Answer refresh_token grants with 400 invalid_grant. */
  readonly refuseRefreshTokens?: boolean
}

/** The server's own `expires_in`, in seconds. */
export const defaultLifetimeSeconds = 3600

/** A running mock server. */
export interface MockOAuth2Server {
  readonly issuer: string
  readonly tokenUrl: string
  readonly requests: () => ReadonlyArray<TokenRequest>
  /** The grant types of the requests so far, in order. */
  readonly grantTypes: () => ReadonlyArray<string>
  /** The refresh tokens handed out so far, in order. */
  readonly refreshTokens: () => ReadonlyArray<string>
  readonly behave: (behaviour: Behaviour) => void
  /** Forgets the requests recorded and the behaviour set so far. */
  readonly reset: () => void
  readonly stop: () => Promise<void>
}

/** Starts a mock server with a fresh RS256 key on 127.0.0.1 and a port the system picks. */
export const startMockOAuth2Server = async (OAuth2Server: OAuth2ServerClass): Promise<MockOAuth2Server> => {
  let requests: Array<TokenRequest> = []
  let refreshTokens: Array<string> = []
  let behaviour: Behaviour = {}

  const server = new OAuth2Server()
  await server.issuer.keys.generate("RS256")
  await server.start(0, "127.0.0.1")
  server.service.on("beforeResponse", (response, request) => {
    const form = (request as IncomingMessage & { readonly body?: Record<string, string> }).body ?? {}
    requests.push({ form, authorization: request.headers.authorization })
    if (response.body === "") return
    if (form["grant_type"] === "refresh_token" && behaviour.refuseRefreshTokens === true) {
      response.statusCode = 400
      response.body = { error: "invalid_grant", error_description: "Token is not active" }
      return
    }
    if (behaviour.expiresIn !== undefined) response.body["expires_in"] = behaviour.expiresIn
    if (behaviour.refreshExpiresIn !== undefined) response.body["refresh_expires_in"] = behaviour.refreshExpiresIn
    const refreshToken = response.body["refresh_token"]
    if (typeof refreshToken === "string") refreshTokens.push(refreshToken)
  })
  const issuer = server.issuer.url ?? `http://127.0.0.1:${server.address().port}`
  return {
    issuer,
    tokenUrl: `${issuer}/token`,
    requests: () => [...requests],
    grantTypes: () => requests.map((request) => request.form["grant_type"] ?? ""),
    refreshTokens: () => [...refreshTokens],
    behave: (next) => {
      behaviour = next
    },
    reset: () => {
      requests = []
      refreshTokens = []
      behaviour = {}
    },
    stop: async () => {
      await server.stop()
    }
  }
}
