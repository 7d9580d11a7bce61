/**
 * The tokens the local provider server issued: access tokens, the login sessions refresh
 * tokens stand for, their lifetimes, and revocation.
 *
 * @internal
 */
import { Duration, Effect } from "effect"
import type { Option } from "effect"
import type * as Api from "../../LocalProviderServer.js"
import { isFault } from "./faults.js"
import { randomString, randomUuid, sign } from "./jwt.js"
import type { Algorithm } from "./jwt.js"
import { wholeSeconds } from "./wire.js"

/** The providers whose logins end: they issue refresh tokens. */
export type SessionProvider = "up42-account" | "oauth2"

/** An access token the server issued; mutable because revocation flips it in place. */
export interface IssuedToken {
  readonly provider: Api.ProviderId
  readonly subject: string
  readonly clientId: string
  readonly scope: string | undefined
  readonly expiresAt: number
  readonly sessionId: string | undefined
  revoked: boolean
}

/** What a refresh token stands for: a login, which ends at `expiresAt` whatever is refreshed. */
export interface Session {
  readonly id: string
  readonly provider: Api.ProviderId
  readonly subject: string
  readonly clientId: string
  readonly scope: string | undefined
  readonly expiresAt: number
  revoked: boolean
}

/** What a handler asks for when it issues an access token. */
export interface IssueRequest {
  readonly provider: Api.ProviderId
  readonly subject: string
  readonly clientId: string
  readonly scope?: string | undefined
  readonly now: number
  /** Default: the provider's current lifetime. */
  readonly lifetime?: number | undefined
  /** Default: HS256. */
  readonly algorithm?: Algorithm | undefined
  readonly sessionId?: string | undefined
  readonly fault: Option.Option<Api.Fault>
}

/** The server's tokens and sessions, and the lifetimes of those it issues next. */
export interface IssuedTokens {
  /** An access token: a signed JWT, Bitquery's opaque `ory_at_…`, or (fault) an opaque one. */
  readonly issue: (request: IssueRequest) => Effect.Effect<{ readonly value: string; readonly expiresIn: number | undefined }>
  /** Starts a login session, which ends after the provider's refresh lifetime. */
  readonly startSession: (
    provider: SessionProvider,
    subject: string,
    clientId: string,
    scope: string | undefined,
    now: number
  ) => Effect.Effect<Session>
  /** A new refresh token of a session. */
  readonly refreshTokenFor: (session: Session) => Effect.Effect<string>
  /** The live session of a refresh token, if it has one for at least another second. */
  readonly sessionOf: (refreshToken: string | null, provider: Api.ProviderId, now: number) => Effect.Effect<Session | undefined>
  /** The access token with this value, revoked or not. */
  readonly accessToken: (value: string) => IssuedToken | undefined
  /** RFC 7009 for one client: revokes the access token, or the refresh token's whole grant (§2.1). */
  readonly revokeOfClient: (provider: Api.ProviderId, clientId: string, value: string) => void
  /** Revokes every token and session, of one provider or of all. */
  readonly revokeAll: (provider: Api.ProviderId | undefined) => void
  /** The access token lifetime of a provider, in milliseconds. */
  readonly lifetime: (provider: Api.ProviderId) => number
  readonly setLifetime: (provider: Api.ProviderId, lifetime: Duration.DurationInput) => void
  readonly setRefreshLifetime: (provider: SessionProvider, lifetime: Duration.DurationInput) => void
}

const millis = (lifetime: Duration.DurationInput) => Duration.toMillis(Duration.decode(lifetime))

/**
 * The tokens of a new server. Handlers run one step at a time on one thread, and every
 * read and write happens inside `Effect.sync` (or from one), so plain maps are enough.
 */
export const makeIssuedTokens = (options: {
  readonly origin: string
  readonly signingSecret: string
  /** Where each provider lives (`/${realm}`, its tokens' `iss`) and its tokens' `aud`. */
  readonly realms: Readonly<Record<Api.ProviderId, string>>
  readonly lifetimes: Readonly<Record<Api.ProviderId, Duration.DurationInput>>
  readonly refreshLifetimes: Readonly<Record<SessionProvider, Duration.DurationInput>>
  /** Tokens valid from the start, such as Bitquery's console token. */
  readonly initial: Iterable<readonly [string, IssuedToken]>
}): IssuedTokens => {
  const { origin, realms, signingSecret } = options
  const tokens = new Map<string, IssuedToken>(options.initial)
  const sessions = new Map<string, Session>()
  const refreshTokens = new Map<string, string>()
  const lifetimes = new Map<Api.ProviderId, number>()
  for (const [provider, lifetime] of Object.entries(options.lifetimes)) lifetimes.set(provider as Api.ProviderId, millis(lifetime))
  const refreshLifetimes = new Map<SessionProvider, number>()
  for (const [provider, lifetime] of Object.entries(options.refreshLifetimes)) {
    refreshLifetimes.set(provider as SessionProvider, millis(lifetime))
  }
  const issuer = (provider: Api.ProviderId) => `${origin}/${realms[provider]}`

  /** Forgets tokens and sessions that expired over an hour ago, so a long soak stays small. */
  const prune = (now: number) => {
    if (tokens.size < 10_000 && sessions.size < 10_000) return
    for (const [value, token] of tokens) if (token.expiresAt + 3_600_000 < now) tokens.delete(value)
    for (const [id, session] of sessions) if (session.expiresAt + 3_600_000 < now) sessions.delete(id)
    for (const [value, id] of refreshTokens) if (!sessions.has(id)) refreshTokens.delete(value)
  }

  const issue: IssuedTokens["issue"] = (request) =>
    Effect.gen(function*() {
      const { now, provider } = request
      // The wire speaks whole seconds: a token lives exactly expires_in (and exp - iat)
      // seconds, never a fraction more than it says.
      const seconds = wholeSeconds(request.lifetime ?? lifetimes.get(provider) ?? 0)
      const id = yield* randomString(16)
      const expiresAt = now + seconds * 1000
      const value = isFault(request.fault, "OpaqueToken")
        ? `opaque_${id}`
        : provider === "bitquery"
        ? `ory_at_${yield* randomString(32)}.${yield* randomString(32)}`
        : yield* sign({
          iss: issuer(provider),
          sub: request.subject,
          aud: realms[provider],
          client_id: request.clientId,
          ...(request.scope !== undefined ? { scope: request.scope } : {}),
          ...(request.sessionId !== undefined ? { sid: request.sessionId } : {}),
          iat: Math.floor(now / 1000),
          exp: Math.floor(now / 1000) + seconds,
          jti: id
        }, request.algorithm ?? "HS256", signingSecret)
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

  const startSession: IssuedTokens["startSession"] = (provider, subject, clientId, scope, now) =>
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

  const refreshTokenFor: IssuedTokens["refreshTokenFor"] = (session) =>
    Effect.gen(function*() {
      const value = yield* sign({
        iss: issuer(session.provider),
        sub: session.subject,
        typ: "Refresh",
        sid: session.id,
        exp: Math.floor(session.expiresAt / 1000),
        jti: yield* randomString(16)
      }, "HS256", signingSecret)
      yield* Effect.sync(() => refreshTokens.set(value, session.id))
      return value
    })

  const sessionOf: IssuedTokens["sessionOf"] = (refreshToken, provider, now) =>
    Effect.sync(() => {
      const id = refreshToken === null ? undefined : refreshTokens.get(refreshToken)
      const session = id === undefined ? undefined : sessions.get(id)
      return session !== undefined && session.provider === provider && !session.revoked &&
          session.expiresAt - now >= 1000
        ? session
        : undefined
    })

  return {
    issue,
    startSession,
    refreshTokenFor,
    sessionOf,
    accessToken: (value) => tokens.get(value),
    revokeOfClient: (provider, clientId, value) => {
      const access = tokens.get(value)
      if (access !== undefined && access.provider === provider && access.clientId === clientId) access.revoked = true
      const sessionId = refreshTokens.get(value)
      const session = sessionId === undefined ? undefined : sessions.get(sessionId)
      if (session !== undefined && session.clientId === clientId) {
        // Revoking a refresh token ends its grant, access tokens included (RFC 7009 §2.1).
        session.revoked = true
        for (const token of tokens.values()) if (token.sessionId === session.id) token.revoked = true
      }
    },
    revokeAll: (provider) => {
      for (const token of tokens.values()) if (provider === undefined || token.provider === provider) token.revoked = true
      for (const session of sessions.values()) {
        if (provider === undefined || session.provider === provider) session.revoked = true
      }
    },
    lifetime: (provider) => lifetimes.get(provider) ?? 0,
    setLifetime: (provider, lifetime) => lifetimes.set(provider, millis(lifetime)),
    setRefreshLifetime: (provider, lifetime) => refreshLifetimes.set(provider, millis(lifetime))
  }
}
