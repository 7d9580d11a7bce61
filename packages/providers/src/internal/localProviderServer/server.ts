import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServer from "@effect/platform/HttpServer"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Clock, Duration, Effect, Encoding, Either, Option, Redacted } from "effect"
import type { Scope } from "effect"
import type * as Api from "../../LocalProviderServer.js"
import { randomString, randomUuid, sign } from "./jwt.js"
import type { Algorithm } from "./jwt.js"

/** @internal */
export const defaultCredentials: Api.Credentials = {
  up42Projects: [
    { projectId: "0f4c52d2-7b0e-4d16-9a7b-5f2a2b1c0001", projectApiKey: Redacted.make("local-project-api-key-1") },
    { projectId: "0f4c52d2-7b0e-4d16-9a7b-5f2a2b1c0002", projectApiKey: Redacted.make("local-project-api-key-2") }
  ],
  up42Account: { username: "user@example.com", password: Redacted.make("local-password"), clientId: "up42-api" },
  bitquery: {
    clientId: "local-bitquery-client",
    clientSecret: Redacted.make("local-bitquery-secret"),
    accessToken: Redacted.make("ory_at_local-console-token")
  },
  hydrosat: { clientId: "local-hydrosat-client", clientSecret: Redacted.make("local-hydrosat-secret") },
  oauth2: {
    clientId: "local-client",
    clientSecret: Redacted.make("s3cr3t:+% ü/&="),
    username: "user@example.com",
    password: Redacted.make("local-password")
  }
}

const defaultLifetimes: Record<Api.ProviderId, Duration.DurationInput> = {
  up42Project: "300 seconds",
  up42Account: "300 seconds",
  bitquery: "2627999 seconds",
  hydrosat: "3600 seconds",
  oauth2: "3600 seconds"
}

const defaultRefreshLifetimes: Record<"up42Account" | "oauth2", Duration.DurationInput> = {
  up42Account: "1800 seconds",
  oauth2: "1 day"
}

/** Where each provider lives on the server, and how its API names itself in challenges. */
const prefixes: Record<Api.ProviderId, string> = {
  up42Project: "/up42",
  up42Account: "/up42-account",
  bitquery: "/bitquery",
  hydrosat: "/hydrosat",
  oauth2: "/oauth2"
}

const realms: Record<Api.ProviderId, string> = {
  up42Project: "up42",
  up42Account: "up42-account",
  bitquery: "bitquery",
  hydrosat: "hydrosat",
  oauth2: "oauth2"
}

const paths = {
  up42Project: { token: "/up42/oauth/token", api: "/up42/api/projects" },
  up42Account: {
    token: "/up42-account/realms/public/protocol/openid-connect/token",
    api: "/up42-account/api/accounts/me",
    issuer: "/up42-account/realms/public",
    discovery: "/up42-account/realms/public/.well-known/openid-configuration"
  },
  bitquery: { token: "/bitquery/oauth2/token", api: "/bitquery/graphql" },
  hydrosat: { token: "/hydrosat/oauth2/token", api: "/hydrosat/stac/collections" },
  oauth2: {
    token: "/oauth2/token",
    api: "/oauth2/api/resource",
    issuer: "/oauth2",
    discovery: "/oauth2/.well-known/openid-configuration",
    revocation: "/oauth2/revoke"
  }
} as const

/** An access token the server issued; mutable because revocation flips it in place. */
interface IssuedToken {
  readonly provider: Api.ProviderId
  readonly subject: string
  readonly clientId: string
  readonly scope: string | undefined
  readonly expiresAt: number
  readonly sessionId: string | undefined
  revoked: boolean
}

/** What a refresh token stands for: a login, which ends at `expiresAt` whatever is refreshed. */
interface Session {
  readonly id: string
  readonly provider: Api.ProviderId
  readonly subject: string
  readonly clientId: string
  readonly scope: string | undefined
  readonly expiresAt: number
  revoked: boolean
}

interface Incoming {
  readonly method: string
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  readonly form: URLSearchParams
  readonly now: number
}

type Response = HttpServerResponse.HttpServerResponse

/** Token responses are never cached (RFC 6749 §5.1). */
const noStore = { "cache-control": "no-store", pragma: "no-cache" }

const json = (body: unknown, status = 200, headers: Record<string, string> = {}): Response =>
  HttpServerResponse.unsafeJson(body, { status, headers })

/** An RFC 6749 §5.2 error response. */
const oauthError = (status: number, error: string, description: string, headers: Record<string, string> = {}) =>
  json({ error, error_description: description }, status, { ...noStore, ...headers })

const unsupportedMediaType = oauthError(
  415,
  "invalid_request",
  "Content-Type must be application/x-www-form-urlencoded, with grant_type in the body"
)

const isForm = (headers: Readonly<Record<string, string>>) =>
  (headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() === "application/x-www-form-urlencoded"

/** Decodes `application/x-www-form-urlencoded` text: `+` is a space (RFC 6749 Appendix B). */
const formDecode = (value: string): string | undefined => {
  try {
    return decodeURIComponent(value.replace(/\+/g, " "))
  } catch {
    return undefined
  }
}

/** HTTP Basic client credentials, form-decoded as RFC 6749 §2.3.1 requires. */
const parseBasic = (header: string | undefined): { readonly id: string; readonly secret: string } | undefined => {
  const match = header === undefined ? null : /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header)
  if (match === null || match[1] === undefined) return undefined
  const decoded = Encoding.decodeBase64String(match[1])
  if (Either.isLeft(decoded)) return undefined
  const colon = decoded.right.indexOf(":")
  if (colon < 0) return undefined
  const id = formDecode(decoded.right.slice(0, colon))
  const secret = formDecode(decoded.right.slice(colon + 1))
  return id === undefined || secret === undefined ? undefined : { id, secret }
}

/** A lifetime as the wire carries it: whole seconds, at least one. */
const wholeSeconds = (millis: number) => Math.max(1, Math.floor(millis / 1000))

const readIncoming: Effect.Effect<Incoming, never, HttpServerRequest.HttpServerRequest> = Effect.gen(function*() {
  const request = yield* HttpServerRequest.HttpServerRequest
  const body = yield* Effect.orElseSucceed(request.text, () => "")
  const now = yield* Clock.currentTimeMillis
  return {
    method: request.method,
    url: request.url,
    headers: { ...request.headers },
    body,
    form: new URLSearchParams(body),
    now
  }
})

/** @internal */
export const make = (
  options: Api.Options
): Effect.Effect<Api.Service, never, HttpServer.HttpServer | Scope.Scope> =>
  Effect.gen(function*() {
    const server = yield* HttpServer.HttpServer
    // A server listening on every interface is reached from this machine at 127.0.0.1,
    // the address the token endpoint accepts plain http for.
    const origin = server.address._tag === "TcpAddress" && ["0.0.0.0", "::", ""].includes(server.address.hostname)
      ? `http://127.0.0.1:${server.address.port}`
      : HttpServer.formatAddress(server.address)
    const credentials: Api.Credentials = { ...defaultCredentials, ...options.credentials }
    const signingSecret = `local-provider-server-${yield* randomString(32)}`
    const keep = options.recordedRequests ?? 1000
    const lifetimes = new Map<Api.ProviderId, number>()
    for (const provider of Object.keys(defaultLifetimes) as Array<Api.ProviderId>) {
      lifetimes.set(provider, Duration.toMillis(Duration.decode(options.lifetimes?.[provider] ?? defaultLifetimes[provider])))
    }
    const refreshLifetimes = new Map<"up42Account" | "oauth2", number>([
      ["up42Account", Duration.toMillis(options.refreshLifetimes?.up42Account ?? defaultRefreshLifetimes.up42Account)],
      ["oauth2", Duration.toMillis(options.refreshLifetimes?.oauth2 ?? defaultRefreshLifetimes.oauth2)]
    ])

    // The server's state. Handlers run one step at a time on one thread, and every read
    // and write below happens inside Effect.sync, so plain maps are enough.
    const tokens = new Map<string, IssuedToken>()
    const sessions = new Map<string, Session>()
    const refreshTokens = new Map<string, string>()
    const faults = new Map<string, { fault: Api.Fault; remaining: number | undefined }>()
    const counts = new Map<string, number>()
    const records = new Map<string, Array<Api.RecordedRequest>>()
    const keyOf = (provider: Api.ProviderId, endpoint: Api.Endpoint) => `${provider}/${endpoint}`

    tokens.set(Redacted.value(credentials.bitquery.accessToken), {
      provider: "bitquery",
      subject: "console",
      clientId: "console",
      scope: "api",
      expiresAt: Number.POSITIVE_INFINITY,
      sessionId: undefined,
      revoked: false
    })

    const urls: Api.Urls = {
      up42Project: { tokenUrl: origin + paths.up42Project.token, apiUrl: origin + paths.up42Project.api },
      up42Account: {
        tokenUrl: origin + paths.up42Account.token,
        apiUrl: origin + paths.up42Account.api,
        issuer: origin + paths.up42Account.issuer,
        discoveryUrl: origin + paths.up42Account.discovery
      },
      bitquery: { tokenUrl: origin + paths.bitquery.token, apiUrl: origin + paths.bitquery.api },
      hydrosat: { tokenUrl: origin + paths.hydrosat.token, apiUrl: origin + paths.hydrosat.api },
      oauth2: {
        tokenUrl: origin + paths.oauth2.token,
        apiUrl: origin + paths.oauth2.api,
        issuer: origin + paths.oauth2.issuer,
        discoveryUrl: origin + paths.oauth2.discovery,
        revocationUrl: origin + paths.oauth2.revocation
      }
    }

    /** Forgets tokens and sessions that expired over an hour ago, so a long soak stays small. */
    const prune = (now: number) => {
      if (tokens.size < 10_000 && sessions.size < 10_000) return
      for (const [value, token] of tokens) if (token.expiresAt + 3_600_000 < now) tokens.delete(value)
      for (const [id, session] of sessions) if (session.expiresAt + 3_600_000 < now) sessions.delete(id)
      for (const [value, id] of refreshTokens) if (!sessions.has(id)) refreshTokens.delete(value)
    }

    const takeFault = (key: string): Option.Option<Api.Fault> => {
      const entry = faults.get(key)
      if (entry === undefined) return Option.none()
      if (entry.remaining !== undefined) {
        entry.remaining -= 1
        if (entry.remaining <= 0) faults.delete(key)
      }
      return Option.some(entry.fault)
    }

    const faultResponse = (fault: Extract<Api.Fault, { _tag: "Status" }>): Response => {
      const error = fault.status === 429 || fault.status === 503
        ? "temporarily_unavailable"
        : fault.status >= 500
        ? "server_error"
        : fault.status === 401
        ? "invalid_client"
        : fault.status === 404
        ? "not_found"
        : "invalid_request"
      return oauthError(
        fault.status,
        error,
        `Injected fault: HTTP ${fault.status}`,
        fault.retryAfter === undefined ? {} : { "retry-after": String(Math.ceil(Duration.toSeconds(fault.retryAfter))) }
      )
    }

    /** A 200 whose body is broken in the way the fault says; other responses pass. */
    const breakBody = (response: Response, fault: Option.Option<Api.Fault>): Response => {
      if (response.status !== 200 || Option.isNone(fault)) return response
      switch (fault.value._tag) {
        case "Html":
          return HttpServerResponse.text("<!DOCTYPE html><html><body><h1>Sign in</h1></body></html>", {
            status: 200,
            contentType: "text/html; charset=utf-8"
          })
        case "TruncatedJson":
          return HttpServerResponse.text("{\"access_token\":\"eyJhbGciOiJIUzI1NiJ9.eyJ", {
            status: 200,
            contentType: "application/json"
          })
        case "EmptyBody":
          return HttpServerResponse.empty({ status: 200 })
        default:
          return response
      }
    }

    /**
     * One endpoint: count and record the request, inject the endpoint's fault, and let
     * `handle` answer (it sees the fault, for the ones that change what it issues).
     */
    const endpoint = (
      provider: Api.ProviderId,
      name: Api.Endpoint,
      handle: (incoming: Incoming, fault: Option.Option<Api.Fault>) => Effect.Effect<Response>
    ): Effect.Effect<Response, never, HttpServerRequest.HttpServerRequest> =>
      Effect.gen(function*() {
        const incoming = yield* readIncoming
        const key = keyOf(provider, name)
        const fault = yield* Effect.sync(() => {
          counts.set(key, (counts.get(key) ?? 0) + 1)
          return takeFault(key)
        })
        let response: Response
        if (Option.isSome(fault) && fault.value._tag === "Status") {
          response = faultResponse(fault.value)
        } else {
          if (Option.isSome(fault) && fault.value._tag === "Slow") yield* Effect.sleep(fault.value.delay)
          response = breakBody(yield* handle(incoming, fault), fault)
        }
        const { body, form, headers, method, now, url } = incoming
        yield* Effect.sync(() => {
          const list = records.get(key) ?? []
          list.push({ method, url, headers, body, form: Object.fromEntries(form), receivedAt: now, status: response.status })
          if (list.length > keep) list.splice(0, list.length - keep)
          records.set(key, list)
        })
        return response
      })

    const isFault = (fault: Option.Option<Api.Fault>, tag: Api.Fault["_tag"]) =>
      Option.isSome(fault) && fault.value._tag === tag

    /** Issues an access token: a signed JWT, Bitquery's opaque `ory_at_…`, or (fault) an opaque one. */
    const issue = (request: {
      readonly provider: Api.ProviderId
      readonly subject: string
      readonly clientId: string
      readonly scope: string | undefined
      readonly now: number
      readonly lifetime: number
      readonly algorithm: Algorithm
      readonly sessionId?: string | undefined
      readonly fault: Option.Option<Api.Fault>
    }) =>
      Effect.gen(function*() {
        const { now, provider } = request
        const id = yield* randomString(16)
        // The wire speaks whole seconds: a token lives exactly expires_in (and exp - iat)
        // seconds, never a fraction more than it says.
        const seconds = wholeSeconds(request.lifetime)
        const expiresAt = now + seconds * 1000
        const value = isFault(request.fault, "OpaqueToken")
          ? `opaque_${id}`
          : provider === "bitquery"
          ? `ory_at_${yield* randomString(32)}.${yield* randomString(32)}`
          : yield* sign({
            iss: origin + prefixes[provider],
            sub: request.subject,
            aud: realms[provider],
            client_id: request.clientId,
            ...(request.scope !== undefined ? { scope: request.scope } : {}),
            ...(request.sessionId !== undefined ? { sid: request.sessionId } : {}),
            iat: Math.floor(now / 1000),
            exp: Math.floor(now / 1000) + seconds,
            jti: id
          }, request.algorithm, signingSecret)
        yield* Effect.sync(() => {
          prune(now)
          tokens.set(value, {
            provider,
            subject: request.subject,
            clientId: request.clientId,
            scope: request.scope,
            expiresAt,
            sessionId: request.sessionId,
            revoked: false
          })
        })
        return {
          value,
          // An opaque token under the fault comes without expires_in, like UP42's legacy tokens.
          expiresIn: isFault(request.fault, "OpaqueToken") ? undefined : seconds
        }
      })

    /** Starts a login session and its refresh token. */
    const startSession = (provider: "up42Account" | "oauth2", subject: string, clientId: string, scope: string | undefined, now: number) =>
      Effect.gen(function*() {
        const session: Session = {
          id: yield* randomUuid,
          provider,
          subject,
          clientId,
          scope,
          expiresAt: now + (refreshLifetimes.get(provider) ?? 0),
          revoked: false
        }
        yield* Effect.sync(() => sessions.set(session.id, session))
        return session
      })

    const refreshTokenFor = (session: Session) =>
      Effect.gen(function*() {
        const value = yield* sign({
          iss: origin + prefixes[session.provider],
          sub: session.subject,
          typ: "Refresh",
          sid: session.id,
          exp: Math.floor(session.expiresAt / 1000),
          jti: yield* randomString(16)
        }, "HS256", signingSecret)
        yield* Effect.sync(() => refreshTokens.set(value, session.id))
        return value
      })

    /** The live session of a refresh token, if it has one for at least another second. */
    const sessionOf = (refreshToken: string | null, provider: Api.ProviderId, now: number) =>
      Effect.sync(() => {
        const id = refreshToken === null ? undefined : refreshTokens.get(refreshToken)
        const session = id === undefined ? undefined : sessions.get(id)
        return session !== undefined && session.provider === provider && !session.revoked &&
            session.expiresAt - now >= 1000
          ? session
          : undefined
      })

    const tokenType = (fault: Option.Option<Api.Fault>, documented: string) =>
      isFault(fault, "UnsupportedTokenType") ? "mac" : documented

    /** Drops `access_token` under the MissingAccessToken fault. */
    const withoutAccessTokenIf = (fault: Option.Option<Api.Fault>, body: Record<string, unknown>) => {
      if (!isFault(fault, "MissingAccessToken")) return body
      const { access_token: _dropped, ...rest } = body
      return rest
    }

    const definedOnly = (body: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined))

    // ---- UP42, project credentials -------------------------------------------------------

    const up42ProjectToken = endpoint("up42Project", "token", (incoming, fault) =>
      Effect.gen(function*() {
        if (!isForm(incoming.headers)) return unsupportedMediaType
        const basic = parseBasic(incoming.headers["authorization"])
        const project = basic === undefined ? undefined : credentials.up42Projects.find((project) =>
          project.projectId === basic.id && Redacted.value(project.projectApiKey) === basic.secret
        )
        if (project === undefined) {
          return oauthError(401, "invalid_client", "Bad project ID or project API key", {
            "www-authenticate": "Basic realm=\"up42\""
          })
        }
        const grantType = incoming.form.get("grant_type")
        if (grantType === null) return oauthError(401, "invalid_request", "Missing grant_type")
        if (grantType !== "client_credentials") {
          return oauthError(400, "unsupported_grant_type", "Only client_credentials is supported")
        }
        const token = yield* issue({
          provider: "up42Project",
          subject: project.projectId,
          clientId: project.projectId,
          scope: undefined,
          now: incoming.now,
          lifetime: lifetimes.get("up42Project") ?? 0,
          algorithm: "HS512",
          fault
        })
        // The legacy shape: the token twice, no expires_in, lower-case bearer.
        return json(
          isFault(fault, "MissingAccessToken")
            ? { data: {}, token_type: "bearer" }
            : { data: { accessToken: token.value }, accessToken: token.value, token_type: tokenType(fault, "bearer") },
          200,
          noStore
        )
      }))

    // ---- UP42, account credentials (Keycloak) --------------------------------------------

    const up42AccountToken = endpoint("up42Account", "token", (incoming, fault) =>
      Effect.gen(function*() {
        if (!isForm(incoming.headers)) return unsupportedMediaType
        const { form, now } = incoming
        const account = credentials.up42Account
        const clientId = form.get("client_id")
        if (clientId === null) return oauthError(401, "invalid_client", "Missing parameter: client_id")
        if (clientId !== account.clientId) {
          return oauthError(401, "invalid_client", "Invalid client or Invalid client credentials")
        }
        const grantType = form.get("grant_type")
        if (grantType === null) return oauthError(401, "invalid_request", "Missing form parameter: grant_type")
        let session: Session
        if (grantType === "password") {
          if (form.get("username") !== account.username || form.get("password") !== Redacted.value(account.password)) {
            return oauthError(401, "invalid_grant", "Invalid user credentials")
          }
          session = yield* startSession("up42Account", account.username, clientId, "ACCOUNT_ADMIN USER", now)
        } else if (grantType === "refresh_token") {
          const live = yield* sessionOf(form.get("refresh_token"), "up42Account", now)
          if (live === undefined) return oauthError(400, "invalid_grant", "Token is not active")
          if (live.clientId !== clientId) {
            return oauthError(400, "invalid_grant", "Invalid refresh token. Token client and authorized client don't match")
          }
          session = live
        } else {
          return oauthError(400, "unsupported_grant_type", "Unsupported grant_type")
        }
        // Keycloak never lets an access token outlive its session.
        const remaining = session.expiresAt - now
        const token = yield* issue({
          provider: "up42Account",
          subject: session.subject,
          clientId,
          scope: session.scope,
          now,
          lifetime: Math.min(lifetimes.get("up42Account") ?? 0, remaining),
          algorithm: "HS256",
          sessionId: session.id,
          fault
        })
        return json(
          withoutAccessTokenIf(
            fault,
            definedOnly({
              access_token: token.value,
              expires_in: token.expiresIn,
              refresh_expires_in: Math.floor(remaining / 1000),
              refresh_token: yield* refreshTokenFor(session),
              token_type: tokenType(fault, "Bearer"),
              "not-before-policy": 0,
              session_state: session.id,
              scope: session.scope
            })
          ),
          200,
          noStore
        )
      }))

    // ---- Bitquery (Ory Hydra) and Hydrosat: client_secret_post ---------------------------

    /** Client authentication by `client_id` and `client_secret` in the body, nothing else. */
    const postClient = (
      incoming: Incoming,
      expected: { readonly clientId: string; readonly clientSecret: Redacted.Redacted<string> }
    ): Response | undefined => {
      const clientId = incoming.form.get("client_id")
      const clientSecret = incoming.form.get("client_secret")
      if (clientId === expected.clientId && clientSecret === Redacted.value(expected.clientSecret)) return undefined
      return oauthError(
        401,
        "invalid_client",
        incoming.headers["authorization"] !== undefined && clientId === null
          ? "Client authentication failed: this client authenticates with client_secret_post (client_id and client_secret in the body)"
          : "Client authentication failed (e.g., unknown client, no client authentication included, or unsupported authentication method)."
      )
    }

    const clientCredentialsOnly = (incoming: Incoming): Response | undefined => {
      const grantType = incoming.form.get("grant_type")
      if (grantType === null) return oauthError(401, "invalid_request", "The request is missing grant_type")
      if (grantType !== "client_credentials") {
        return oauthError(400, "unsupported_grant_type", "Only client_credentials is supported")
      }
      return undefined
    }

    const bitqueryToken = endpoint("bitquery", "token", (incoming, fault) =>
      Effect.gen(function*() {
        if (!isForm(incoming.headers)) return unsupportedMediaType
        const refused = postClient(incoming, credentials.bitquery) ?? clientCredentialsOnly(incoming)
        if (refused !== undefined) return refused
        const scopes = (incoming.form.get("scope") ?? "").split(" ").filter((scope) => scope !== "")
        if (!scopes.includes("api") || scopes.some((scope) => scope !== "api")) {
          return oauthError(400, "invalid_scope", "The requested scope is invalid, unknown, or malformed: scope=api is required")
        }
        const token = yield* issue({
          provider: "bitquery",
          subject: credentials.bitquery.clientId,
          clientId: credentials.bitquery.clientId,
          scope: "api",
          now: incoming.now,
          lifetime: lifetimes.get("bitquery") ?? 0,
          algorithm: "HS256",
          fault
        })
        return json(
          withoutAccessTokenIf(
            fault,
            definedOnly({
              access_token: token.value,
              expires_in: token.expiresIn,
              scope: "api",
              token_type: tokenType(fault, "bearer")
            })
          ),
          200,
          noStore
        )
      }))

    const hydrosatToken = endpoint("hydrosat", "token", (incoming, fault) =>
      Effect.gen(function*() {
        if (!isForm(incoming.headers)) return unsupportedMediaType
        const refused = postClient(incoming, credentials.hydrosat) ?? clientCredentialsOnly(incoming)
        if (refused !== undefined) return refused
        const token = yield* issue({
          provider: "hydrosat",
          subject: credentials.hydrosat.clientId,
          clientId: credentials.hydrosat.clientId,
          scope: undefined,
          now: incoming.now,
          lifetime: lifetimes.get("hydrosat") ?? 0,
          algorithm: "HS256",
          fault
        })
        return json(
          withoutAccessTokenIf(
            fault,
            definedOnly({ access_token: token.value, expires_in: token.expiresIn, token_type: tokenType(fault, "Bearer") })
          ),
          200,
          noStore
        )
      }))

    // ---- Generic OAuth2: either client authentication, any grant ------------------------

    /** `client_secret_basic` or `client_secret_post`, never both (RFC 6749 §2.3). */
    const authenticateClient = (incoming: Incoming): Either.Either<string, Response> => {
      const expected = credentials.oauth2
      const header = incoming.headers["authorization"]
      const basic = parseBasic(header)
      const postId = incoming.form.get("client_id")
      const postSecret = incoming.form.get("client_secret")
      if (basic !== undefined && postSecret !== null) {
        return Either.left(oauthError(400, "invalid_request", "Use one client authentication method, not two"))
      }
      const client = basic ?? (postId !== null && postSecret !== null ? { id: postId, secret: postSecret } : undefined)
      if (client === undefined || client.id !== expected.clientId || client.secret !== Redacted.value(expected.clientSecret)) {
        return Either.left(
          oauthError(
            401,
            "invalid_client",
            "Client authentication failed",
            header !== undefined ? { "www-authenticate": "Basic realm=\"oauth2\"" } : {}
          )
        )
      }
      return Either.right(client.id)
    }

    const oauth2Token = endpoint("oauth2", "token", (incoming, fault) =>
      Effect.gen(function*() {
        if (!isForm(incoming.headers)) return unsupportedMediaType
        const client = authenticateClient(incoming)
        if (Either.isLeft(client)) return client.left
        const clientId = client.right
        const { form, now } = incoming
        const grantType = form.get("grant_type")
        if (grantType === null) return oauthError(401, "invalid_request", "Missing grant_type")
        const requested = form.get("scope") ?? undefined
        let subject = clientId
        let scope = requested
        let session: Session | undefined
        if (grantType === "password") {
          const expected = credentials.oauth2
          if (form.get("username") !== expected.username || form.get("password") !== Redacted.value(expected.password)) {
            return oauthError(400, "invalid_grant", "Invalid resource owner credentials")
          }
          subject = expected.username
          session = yield* startSession("oauth2", subject, clientId, requested, now)
        } else if (grantType === "refresh_token") {
          const live = yield* sessionOf(form.get("refresh_token"), "oauth2", now)
          if (live === undefined || live.clientId !== clientId) {
            return oauthError(400, "invalid_grant", "The refresh token is invalid, expired or revoked")
          }
          session = live
          subject = live.subject
          scope = live.scope
        } else if (grantType !== "client_credentials") {
          return oauthError(400, "unsupported_grant_type", "Unsupported grant_type")
        }
        const token = yield* issue({
          provider: "oauth2",
          subject,
          clientId,
          scope,
          now,
          lifetime: lifetimes.get("oauth2") ?? 0,
          algorithm: "HS256",
          sessionId: session?.id,
          fault
        })
        return json(
          withoutAccessTokenIf(
            fault,
            definedOnly({
              access_token: token.value,
              token_type: tokenType(fault, "Bearer"),
              expires_in: token.expiresIn,
              scope,
              refresh_token: session === undefined ? undefined : yield* refreshTokenFor(session)
            })
          ),
          200,
          noStore
        )
      }))

    /** RFC 7009: revoke an access or refresh token of this client; unknown tokens are fine. */
    const oauth2Revoke = endpoint("oauth2", "revocation", (incoming) =>
      Effect.sync(() => {
        if (!isForm(incoming.headers)) return unsupportedMediaType
        const client = authenticateClient(incoming)
        if (Either.isLeft(client)) return client.left
        const value = incoming.form.get("token")
        if (value === null) return oauthError(400, "invalid_request", "Missing token")
        const access = tokens.get(value)
        if (access !== undefined && access.provider === "oauth2" && access.clientId === client.right) access.revoked = true
        const sessionId = refreshTokens.get(value)
        const session = sessionId === undefined ? undefined : sessions.get(sessionId)
        if (session !== undefined && session.clientId === client.right) {
          // Revoking a refresh token ends its grant, access tokens included (RFC 7009 §2.1).
          session.revoked = true
          for (const token of tokens.values()) if (token.sessionId === session.id) token.revoked = true
        }
        return HttpServerResponse.empty({ status: 200, headers: noStore })
      }))

    // ---- OpenID discovery ------------------------------------------------------------------

    const discovery = (provider: "up42Account" | "oauth2", document: () => Record<string, unknown>) =>
      endpoint(provider, "discovery", (_, fault) =>
        Effect.sync(() => {
          const body = document()
          if (!isFault(fault, "MissingAccessToken")) return json(body)
          const { token_endpoint: _dropped, ...rest } = body
          return json(rest)
        }))

    const oauth2Discovery = discovery("oauth2", () => ({
      issuer: urls.oauth2.issuer,
      token_endpoint: urls.oauth2.tokenUrl,
      revocation_endpoint: urls.oauth2.revocationUrl,
      token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
      revocation_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
      grant_types_supported: ["client_credentials", "password", "refresh_token"],
      response_types_supported: ["token"],
      scopes_supported: ["api", "read", "write"]
    }))

    const up42AccountDiscovery = discovery("up42Account", () => ({
      issuer: urls.up42Account.issuer,
      token_endpoint: urls.up42Account.tokenUrl,
      token_endpoint_auth_methods_supported: ["none", "client_secret_basic", "client_secret_post"],
      grant_types_supported: ["password", "refresh_token", "client_credentials"],
      response_types_supported: ["code", "token"],
      scopes_supported: ["openid", "profile", "email"]
    }))

    // ---- Protected APIs ------------------------------------------------------------------

    /** 401 with a bearer challenge (RFC 6750 §3): no error code when no token was sent. */
    const unauthorized = (provider: Api.ProviderId, description: string | undefined): Response => {
      const challenge = `Bearer realm="${realms[provider]}"` +
        (description === undefined ? "" : `, error="invalid_token", error_description="${description}"`)
      const headers = { "www-authenticate": challenge }
      return provider === "bitquery"
        ? HttpServerResponse.text("Unauthorized", { status: 401, headers })
        : json({ error: description === undefined ? "unauthorized" : "invalid_token", error_description: description ?? "A bearer token is required" }, 401, headers)
    }

    const api = (provider: Api.ProviderId, respond: (token: IssuedToken) => unknown) =>
      endpoint(provider, "api", (incoming) =>
        Effect.sync(() => {
          const match = /^Bearer\s+(\S+)\s*$/i.exec(incoming.headers["authorization"] ?? "")
          if (match === null || match[1] === undefined) return unauthorized(provider, undefined)
          const token = tokens.get(match[1])
          if (token === undefined || token.provider !== provider) return unauthorized(provider, "The access token is unknown")
          if (token.revoked) return unauthorized(provider, "The access token was revoked")
          if (incoming.now >= token.expiresAt) return unauthorized(provider, "The access token expired")
          return json(respond(token))
        }))

    const app = HttpRouter.empty.pipe(
      HttpRouter.post(paths.up42Project.token, up42ProjectToken),
      HttpRouter.get(paths.up42Project.api, api("up42Project", (token) => ({
        data: [{ id: token.subject, name: "Local project" }],
        error: null
      }))),
      HttpRouter.post(paths.up42Account.token, up42AccountToken),
      HttpRouter.get(paths.up42Account.discovery, up42AccountDiscovery),
      HttpRouter.get(paths.up42Account.api, api("up42Account", (token) => ({ email: token.subject }))),
      HttpRouter.post(paths.bitquery.token, bitqueryToken),
      HttpRouter.post(paths.bitquery.api, api("bitquery", () => ({ data: { EVM: { Blocks: [{ Block: { Number: "1" } }] } } }))),
      HttpRouter.post(paths.hydrosat.token, hydrosatToken),
      HttpRouter.get(paths.hydrosat.api, api("hydrosat", () => ({
        collections: [{
          id: "local-collection",
          type: "Collection",
          stac_version: "1.0.0",
          description: "A collection served by the local provider server",
          license: "proprietary",
          links: []
        }],
        links: []
      }))),
      HttpRouter.post(paths.oauth2.token, oauth2Token),
      HttpRouter.post(paths.oauth2.revocation, oauth2Revoke),
      HttpRouter.get(paths.oauth2.discovery, oauth2Discovery),
      HttpRouter.get(paths.oauth2.api, api("oauth2", (token) => ({
        subject: token.subject,
        client_id: token.clientId,
        ...(token.scope !== undefined ? { scope: token.scope } : {})
      })))
    )
    yield* HttpServer.serveEffect(
      Effect.catchTag(app, "RouteNotFound", (error) =>
        Effect.succeed(oauthError(404, "not_found", `No route for ${error.request.method} ${error.request.url}`)))
    )

    const environment: Record<string, string> = {
      UP42_PROJECT_ID: credentials.up42Projects[0]?.projectId ?? "",
      UP42_PROJECT_API_KEY: credentials.up42Projects[0] === undefined
        ? ""
        : Redacted.value(credentials.up42Projects[0].projectApiKey),
      UP42_PROJECT_TOKEN_URL: urls.up42Project.tokenUrl,
      UP42_USERNAME: credentials.up42Account.username,
      UP42_PASSWORD: Redacted.value(credentials.up42Account.password),
      UP42_TOKEN_URL: urls.up42Account.tokenUrl,
      BITQUERY_CLIENT_ID: credentials.bitquery.clientId,
      BITQUERY_CLIENT_SECRET: Redacted.value(credentials.bitquery.clientSecret),
      BITQUERY_TOKEN_URL: urls.bitquery.tokenUrl,
      HYDROSAT_CLIENT_ID: credentials.hydrosat.clientId,
      HYDROSAT_CLIENT_SECRET: Redacted.value(credentials.hydrosat.clientSecret),
      HYDROSAT_TOKEN_URL: urls.hydrosat.tokenUrl,
      OAUTH2_ISSUER: urls.oauth2.issuer,
      OAUTH2_CLIENT_ID: credentials.oauth2.clientId,
      OAUTH2_CLIENT_SECRET: Redacted.value(credentials.oauth2.clientSecret)
    }

    return {
      origin,
      urls,
      credentials,
      environment,
      signingSecret: Redacted.make(signingSecret),
      setFault: (provider, fault, faultOptions) =>
        Effect.sync(() => {
          const key = keyOf(provider, faultOptions?.endpoint ?? "token")
          if (fault === undefined) faults.delete(key)
          else faults.set(key, { fault, remaining: faultOptions?.times })
        }),
      clearFaults: Effect.sync(() => faults.clear()),
      setLifetime: (provider, lifetime) =>
        Effect.sync(() => lifetimes.set(provider, Duration.toMillis(Duration.decode(lifetime)))),
      setRefreshLifetime: (provider, lifetime) =>
        Effect.sync(() => refreshLifetimes.set(provider, Duration.toMillis(Duration.decode(lifetime)))),
      requestCount: (provider, name = "token") => Effect.sync(() => counts.get(keyOf(provider, name)) ?? 0),
      requests: (provider, name = "token") => Effect.sync(() => [...(records.get(keyOf(provider, name)) ?? [])]),
      revokeTokens: (provider) =>
        Effect.sync(() => {
          for (const token of tokens.values()) if (provider === undefined || token.provider === provider) token.revoked = true
          for (const session of sessions.values()) {
            if (provider === undefined || session.provider === provider) session.revoked = true
          }
        })
    } satisfies Api.Service
  })
