/**
 * `TokenEndpoint`'s own cases, written once for both lines: what `requestToken` sends for each
 * grant and client authentication (RFC 6749 §2.3.1, §4.3, §4.4, §6), what it reads of a token
 * response (§5.1, a JWT's claims, the configured default and maximum lifetimes), what each of
 * `TokenEndpointAnswers.failures` must carry besides its fields, and which options `make` refuses
 * or accepts. Each line's `test/TokenEndpoint.test.ts` builds the endpoint on its own test server
 * and hands what the server saw, the token or the error here.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5
 */
import type { Expect } from "./Expect.js"
import type { Failure } from "./TokenEndpointAnswers.js"
import { awkwardBasicCredentials, awkwardPasswordBody, awkwardSecret } from "./TokenEndpointAnswers.js"

export type { Expect } from "./Expect.js"

/** A client authentication (RFC 6749 §2.3.1), or a public client's id only. */
export interface Authentication {
  readonly method: "client_secret_basic" | "client_secret_post" | "public"
  readonly clientId: string
  readonly clientSecret: string
}

/** A grant: client credentials (§4.4), the resource owner's password (§4.3), or a refresh (§6). */
export type GrantSpec =
  | { readonly type: "client_credentials" }
  | { readonly type: "password"; readonly username: string; readonly password: string }
  | { readonly type: "refresh_token"; readonly refreshToken: string }

/** `TokenEndpoint.Options` as plain data; lifetimes in milliseconds. */
export interface EndpointOptions {
  readonly authentication: Authentication
  readonly scope?: string | ReadonlyArray<string>
  readonly parameters?: Readonly<Record<string, string>>
  readonly defaultLifetimeMillis?: number
  readonly maximumLifetimeMillis?: number
}

/** A request as the test server saw it. */
export interface SentRequest {
  readonly method: string
  readonly path: string
  readonly headers: Readonly<Record<string, string | undefined>>
  readonly body: string
  readonly form: Iterable<readonly [string, string]>
}

/** `client_secret_basic` with `clientId` and `clientSecret`. */
export const basic = (clientId: string, clientSecret: string): Authentication => ({ method: "client_secret_basic", clientId, clientSecret })
/** `client_secret_post` with `clientId` and `clientSecret`. */
export const post = (clientId: string, clientSecret: string): Authentication => ({ method: "client_secret_post", clientId, clientSecret })

const clientCredentials: GrantSpec = { type: "client_credentials" }
const formOf = (request: SentRequest | undefined) => Object.fromEntries(request?.form ?? [])

/** One request `requestToken` makes, and what the server must have received. */
export interface SendCase {
  readonly name: string
  readonly options: EndpointOptions
  readonly grant: GrantSpec
  /** The token URL's path and query on the test server. */
  readonly path: string
  readonly check: (requests: ReadonlyArray<SentRequest>, expect: Expect) => void
}

/** What `requestToken` sends. */
export const sendCases: ReadonlyArray<SendCase> = [
  {
    name: "client_credentials with client_secret_basic: form-encoded id and secret in HTTP Basic (RFC 6749 §2.3.1)",
    options: { authentication: basic("my client", awkwardSecret) },
    grant: clientCredentials,
    path: "/token",
    check: (requests, expect) => {
      expect(requests.length).toBe(1)
      const [request] = requests
      expect(request?.method).toBe("POST")
      expect(request?.path).toBe("/token")
      expect(request?.headers["content-type"]).toBe("application/x-www-form-urlencoded")
      expect(request?.headers["accept"]).toBe("application/json")
      expect(request?.headers["authorization"]).toBe(`Basic ${Buffer.from(awkwardBasicCredentials).toString("base64")}`)
      expect(request?.body).toBe("grant_type=client_credentials")
    }
  },
  {
    name: "client_credentials with client_secret_post: id and secret in the form body",
    options: { authentication: post("my client", awkwardSecret), scope: "api" },
    grant: clientCredentials,
    path: "/token",
    check: (requests, expect) => {
      expect(requests[0]?.headers["authorization"]).toBeUndefined()
      expect(formOf(requests[0])).toEqual({ grant_type: "client_credentials", client_id: "my client", client_secret: awkwardSecret, scope: "api" })
    }
  },
  {
    name: "password grant from a public client: username, password and client_id in the body",
    options: { authentication: { method: "public", clientId: "up42-api", clientSecret: "" } },
    grant: { type: "password", username: "me@example.com", password: awkwardSecret },
    path: "/token",
    check: (requests, expect) => {
      expect(requests[0]?.headers["authorization"]).toBeUndefined()
      expect(requests[0]?.body).toBe(awkwardPasswordBody)
    }
  },
  {
    name: "refresh_token grant with the client's authentication",
    options: { authentication: post("c", "s") },
    grant: { type: "refresh_token", refreshToken: "refresh-1" },
    path: "/token",
    check: (requests, expect) =>
      expect(formOf(requests[0])).toEqual({ grant_type: "refresh_token", refresh_token: "refresh-1", client_id: "c", client_secret: "s" })
  },
  {
    name: "extra parameters (scope list, audience) without letting them override the grant",
    options: { authentication: basic("c", "s"), scope: ["read", "write"], parameters: { audience: "https://api.example", grant_type: "ignored" } },
    grant: clientCredentials,
    path: "/token",
    check: (requests, expect) =>
      expect(formOf(requests[0])).toEqual({ grant_type: "client_credentials", audience: "https://api.example", scope: "read write" })
  },
  {
    name: "the token URL's query string as configured",
    options: { authentication: basic("c", "s") },
    grant: clientCredentials,
    path: "/token?p=policy",
    check: (requests, expect) => expect(requests[0]?.path).toBe("/token?p=policy")
  }
]

/** What a line's `AccessToken` says, as plain data. */
export interface TokenView {
  readonly lifetimeSeconds: number
  readonly lifetimeSource: string
  readonly tokenType: string
  readonly scope: string | null
  readonly refreshToken: string | undefined
  /** The refresh token's expiry minus the access token's issue time. */
  readonly refreshLifetimeMillis: number | undefined
}

/** One token response (answered with 200) and what the token read from it must say. */
export interface ReadCase {
  readonly name: string
  readonly body: unknown
  readonly options?: Omit<EndpointOptions, "authentication">
  readonly check: (token: TokenView, expect: Expect) => void
}

const jwt = (claims: object) =>
  `${Buffer.from("{\"alg\":\"HS512\"}").toString("base64url")}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.sig`
const lifetime = (token: TokenView) => ({ seconds: token.lifetimeSeconds, source: token.lifetimeSource })

/** What `requestToken` reads. */
export const readCases: ReadonlyArray<ReadCase> = [
  {
    name: "token_type in any case, normalised to Bearer",
    body: { access_token: "t", token_type: "bEaReR" },
    check: (token, expect) => expect(token.tokenType).toBe("Bearer")
  },
  {
    name: "expires_in as a number",
    body: { access_token: "t", token_type: "Bearer", expires_in: 3600 },
    check: (token, expect) => expect(lifetime(token)).toEqual({ seconds: 3600, source: "expires_in" })
  },
  {
    name: "expires_in as a numeric string",
    body: { access_token: "t", token_type: "Bearer", expires_in: "2627999" },
    check: (token, expect) => expect(lifetime(token)).toEqual({ seconds: 2627999, source: "expires_in" })
  },
  {
    name: "without expires_in, the JWT's exp - iat",
    body: { access_token: jwt({ iat: 1_000, exp: 1_300 }), token_type: "bearer" },
    check: (token, expect) => expect(lifetime(token)).toEqual({ seconds: 300, source: "jwt" })
  },
  {
    name: "without expires_in or JWT, the configured default lifetime",
    body: { access_token: "ory_at_opaque", token_type: "bearer" },
    options: { defaultLifetimeMillis: 3_600_000 },
    check: (token, expect) => expect(lifetime(token)).toEqual({ seconds: 3600, source: "default" })
  },
  {
    name: "scope, refresh_token and Keycloak's refresh_expires_in",
    body: { access_token: "t", token_type: "Bearer", expires_in: 300, refresh_token: "r", refresh_expires_in: 1800, scope: "ACCOUNT_ADMIN USER" },
    check: (token, expect) => {
      expect(token.scope).toBe("ACCOUNT_ADMIN USER")
      expect(token.refreshToken).toBe("r")
      expect(token.refreshLifetimeMillis).toBe(1_800_000)
    }
  },
  {
    name: "a lifetime capped at maximumLifetime",
    body: { access_token: "t", token_type: "Bearer", expires_in: 1e12 },
    options: { maximumLifetimeMillis: 30 * 86_400_000 },
    check: (token, expect) => expect(token.lifetimeSeconds / 86_400).toBe(30)
  }
]

/** A failed request's error, as plain data. */
export interface ErrorView {
  readonly _tag: string
  readonly endpoint: string
  readonly message: string
  readonly hint?: string | undefined
  /** `retryAfter` in seconds, where the error has one. */
  readonly retryAfterSeconds: number | undefined
}

/** What every row of `TokenEndpointAnswers.failures` must carry besides its `expected` fields (matched by the line). */
export const checkFailure = (row: Failure, error: ErrorView, expect: Expect): void => {
  if (row.retryAfterSeconds !== undefined) expect(error.retryAfterSeconds).toBe(row.retryAfterSeconds)
  expect(error.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/token$/)
  expect(error.message.length).toBeGreaterThan(20)
}

/** A 204 through fetch, which has no body at all. */
export const noContent = {
  name: "InvalidTokenResponse for a 204 through fetch, which has no body at all",
  answer: { status: 204 },
  expected: { _tag: "InvalidTokenResponse", reason: "NotJson", status: 204 }
} as const

/** A provider's hint for the error a 404 becomes. */
export const hinted = {
  name: "the provider's hint for that error appended to the message",
  answer: { status: 404 },
  hints: { WrongHost: "Tokens come from auth.example, not api.example." },
  check: (error: ErrorView, expect: Expect): void => {
    expect(error.hint).toBe("Tokens come from auth.example, not api.example.")
    expect(error.message).toContain("Tokens come from auth.example, not api.example.")
  }
} as const

/** A token URL where nothing listens. */
export const nothingListens = {
  name: "TemporarilyUnavailable (Transport) when nothing listens",
  url: "http://127.0.0.1:1/token",
  expected: { _tag: "TemporarilyUnavailable", reason: "Transport" }
} as const

/** One `make` a line must refuse, and what the refusal must say. */
export interface Refused {
  readonly url: string
  readonly options: EndpointOptions
  readonly check: (error: { readonly message: string }, expect: Expect) => void
}

/** A behaviour of `TokenEndpoint.make`'s checks: the options it refuses. */
export interface RefuseCase {
  readonly name: string
  readonly refused: ReadonlyArray<Refused>
}

const https = "https://auth.example/token"
const refusedWith = (url: string, options: EndpointOptions, expected: object, extra?: (error: { readonly message: string }, expect: Expect) => void): Refused => ({
  url,
  options,
  check: (error, expect) => {
    expect(error).toMatchObject(expected)
    extra?.(error, expect)
  }
})

/** What `TokenEndpoint.make` refuses. */
export const refuseCases: ReadonlyArray<RefuseCase> = [
  {
    name: "a URL that is not a URL, without repeating it (it may hold a pasted secret)",
    refused: [
      refusedWith("htps://client:pasted-secret@auth.example/token", { authentication: basic("c", "s") }, { _tag: "WrongHost", reason: "InvalidUrl" }, (error, expect) =>
        expect(`${error.message} ${JSON.stringify(error)}`).not.toContain("pasted-secret"))
    ]
  },
  {
    name: "a default or maximum lifetime that is not longer than zero",
    refused: [
      refusedWith(https, { authentication: basic("c", "s"), defaultLifetimeMillis: -300_000 }, { setting: "defaultLifetime" }),
      refusedWith(https, { authentication: basic("c", "s"), maximumLifetimeMillis: 0 }, { setting: "maximumLifetime" })
    ]
  },
  {
    name: "plain http to anything but loopback",
    refused: [refusedWith("http://auth.example/token", { authentication: basic("c", "s") }, { _tag: "WrongHost", reason: "InsecureEndpoint" })]
  },
  {
    name: "credentials inside the URL",
    refused: [
      refusedWith("https://id:secret@auth.example/token", { authentication: basic("c", "s") }, { _tag: "InvalidConfiguration", setting: "url" }, (error, expect) =>
        expect(error.message).not.toContain("secret@"))
    ]
  },
  {
    name: "an empty or blank client id or secret",
    refused: [
      refusedWith(https, { authentication: basic(" ", "s") }, { setting: "clientId" }),
      refusedWith(https, { authentication: post("c", "  ") }, { setting: "clientSecret" })
    ]
  }
]

/** The URLs `make` accepts (https anywhere, http on loopback); the endpoint's `url` is each one's `new URL(url).href`. */
export const acceptedUrls: ReadonlyArray<string> = ["https://auth.example/token", "http://127.0.0.1:8080/token", "http://localhost/token", "http://[::1]:9/t"]

/**
 * The parts of a line's `ClientAuthentication`, `Grant` and `Redacted` that {@link endpointOptions}
 * and {@link grantOf} build with (pass `{ ...ClientAuthentication, ...Grant, redact: Redacted.make }`).
 */
export interface Builders<Authentication, Grant, Secret> {
  readonly redact: (value: string) => Secret
  readonly clientSecretBasic: (options: { readonly clientId: string; readonly clientSecret: Secret }) => Authentication
  readonly clientSecretPost: (options: { readonly clientId: string; readonly clientSecret: Secret }) => Authentication
  readonly publicClient: (clientId: string) => Authentication
  readonly clientCredentials: Grant
  readonly password: (options: { readonly username: string; readonly password: Secret }) => Grant
  readonly refreshToken: (refreshToken: Secret) => Grant
}

/** A line's `TokenEndpoint.Options` for `url` from the plain-data `options`. */
export const endpointOptions = <A, G, S>(build: Builders<A, G, S>, url: string, options: EndpointOptions) => {
  const { clientId, clientSecret, method } = options.authentication
  const secret = { clientId, clientSecret: build.redact(clientSecret) }
  return {
    url,
    clientAuthentication: method === "public"
      ? build.publicClient(clientId)
      : method === "client_secret_basic"
      ? build.clientSecretBasic(secret)
      : build.clientSecretPost(secret),
    ...(options.scope === undefined ? {} : { scope: options.scope }),
    ...(options.parameters === undefined ? {} : { parameters: options.parameters }),
    ...(options.defaultLifetimeMillis === undefined ? {} : { defaultLifetime: options.defaultLifetimeMillis }),
    ...(options.maximumLifetimeMillis === undefined ? {} : { maximumLifetime: options.maximumLifetimeMillis })
  }
}

/** A line's `Grant` from the plain-data `grant`. */
export const grantOf = <A, G, S>(build: Builders<A, G, S>, grant: GrantSpec): G =>
  grant.type === "password"
    ? build.password({ username: grant.username, password: build.redact(grant.password) })
    : grant.type === "refresh_token"
    ? build.refreshToken(build.redact(grant.refreshToken))
    : build.clientCredentials
