/**
 * The tokens the local provider server issued: access tokens, the login sessions refresh
 * tokens stand for, their lifetimes, and revocation.
 *
 * @internal
 */
import type { Fault } from "../Fault.js"
import type { ProviderId, SessionProviderId } from "../LocalProviderServer.js"
import { isFault } from "./faults.js"
import { randomString, randomUuid, sign } from "./jwt.js"
import type { Algorithm, RandomBytes } from "./jwt.js"
import { wholeSeconds } from "./wire.js"

/** An access token the server issued; mutable because revocation flips it in place. */
export interface IssuedToken {
  readonly provider: ProviderId
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
  readonly provider: ProviderId
  readonly subject: string
  readonly clientId: string
  readonly scope: string | undefined
  readonly expiresAt: number
  revoked: boolean
}

/** What a handler asks for when it issues an access token. */
export interface IssueRequest {
  readonly provider: ProviderId
  readonly subject: string
  readonly clientId: string
  readonly scope?: string | undefined
  readonly now: number
  /** Default: the provider's current lifetime (ms). */
  readonly lifetime?: number | undefined
  /** Default: HS256. */
  readonly algorithm?: Algorithm | undefined
  readonly sessionId?: string | undefined
  readonly fault: Fault | undefined
}

/** The server's tokens and sessions, and the lifetimes of those it issues next. */
export interface IssuedTokens {
  /** An access token: a signed JWT, Bitquery's opaque `ory_at_…`, or (fault) an opaque one. */
  readonly issue: (request: IssueRequest) => Promise<{ readonly value: string; readonly expiresIn: number | undefined }>
  /** Starts a login session, which ends after the provider's refresh lifetime. */
  readonly startSession: (
    provider: SessionProviderId,
    subject: string,
    clientId: string,
    scope: string | undefined,
    now: number
  ) => Session
  /** A new refresh token of a session. */
  readonly refreshTokenFor: (session: Session) => Promise<string>
  /** The live session of a refresh token, if it has one for at least another second. */
  readonly sessionOf: (refreshToken: string | null, provider: ProviderId, now: number) => Session | undefined
  /** The access token with this value, revoked or not. */
  readonly accessToken: (value: string) => IssuedToken | undefined
  /** RFC 7009 for one client: revokes the access token, or the refresh token's whole grant (§2.1). */
  readonly revokeOfClient: (provider: ProviderId, clientId: string, value: string) => void
  /** Revokes every token and session, of one provider or of all. */
  readonly revokeAll: (provider: ProviderId | undefined) => void
  /** The access token lifetime of a provider, in milliseconds. */
  readonly lifetime: (provider: ProviderId) => number
  readonly setLifetime: (provider: ProviderId, lifetime: number) => void
  readonly setRefreshLifetime: (provider: SessionProviderId, lifetime: number) => void
}

/**
 * The tokens of a new server. Requests are answered on one thread, and each read and write
 * happens between two awaits, so plain maps are enough.
 */
export const makeIssuedTokens = (options: {
  readonly origin: string
  readonly signingSecret: string
  readonly randomBytes: RandomBytes
  /** Where each provider lives (`/${realm}`, its tokens' `iss`) and its tokens' `aud`. */
  readonly realms: Readonly<Record<ProviderId, string>>
  /** Milliseconds. */
  readonly lifetimes: Readonly<Record<ProviderId, number>>
  /** Milliseconds. */
  readonly refreshLifetimes: Readonly<Record<SessionProviderId, number>>
  /** Tokens valid from the start, such as Bitquery's console token. */
  readonly initial: Iterable<readonly [string, IssuedToken]>
}): IssuedTokens => {
  const { origin, randomBytes, realms, signingSecret } = options
  const tokens = new Map<string, IssuedToken>(options.initial)
  const sessions = new Map<string, Session>()
  const refreshTokens = new Map<string, string>()
  const lifetimes = new Map(Object.entries(options.lifetimes) as Array<[ProviderId, number]>)
  const refreshLifetimes = new Map(Object.entries(options.refreshLifetimes) as Array<[SessionProviderId, number]>)
  const issuer = (provider: ProviderId) => `${origin}/${realms[provider]}`

  /** Forgets tokens and sessions that expired over an hour ago, so a long soak stays small. */
  const prune = (now: number) => {
    if (tokens.size < 10_000 && sessions.size < 10_000) return
    for (const [value, token] of tokens) if (token.expiresAt + 3_600_000 < now) tokens.delete(value)
    for (const [id, session] of sessions) if (session.expiresAt + 3_600_000 < now) sessions.delete(id)
    for (const [value, id] of refreshTokens) if (!sessions.has(id)) refreshTokens.delete(value)
  }

  const issue: IssuedTokens["issue"] = async (request) => {
    const { now, provider } = request
    // The wire speaks whole seconds: a token lives exactly expires_in (and exp - iat)
    // seconds, never a fraction more than it says.
    const seconds = wholeSeconds(request.lifetime ?? lifetimes.get(provider) ?? 0)
    const id = randomString(randomBytes, 16)
    const expiresAt = now + seconds * 1000
    const value = isFault(request.fault, "OpaqueToken")
      ? `opaque_${id}`
      : provider === "bitquery"
      ? `ory_at_${randomString(randomBytes, 32)}.${randomString(randomBytes, 32)}`
      : await sign({
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
    return {
      value,
      // An opaque token under the fault comes without expires_in, like UP42's legacy tokens.
      expiresIn: isFault(request.fault, "OpaqueToken") ? undefined : seconds
    }
  }

  const startSession: IssuedTokens["startSession"] = (provider, subject, clientId, scope, now) => {
    const session: Session = {
      id: randomUuid(randomBytes),
      provider,
      subject,
      clientId,
      scope,
      expiresAt: now + (refreshLifetimes.get(provider) ?? 0),
      revoked: false
    }
    sessions.set(session.id, session)
    return session
  }

  const refreshTokenFor: IssuedTokens["refreshTokenFor"] = async (session) => {
    const value = await sign({
      iss: issuer(session.provider),
      sub: session.subject,
      typ: "Refresh",
      sid: session.id,
      exp: Math.floor(session.expiresAt / 1000),
      jti: randomString(randomBytes, 16)
    }, "HS256", signingSecret)
    refreshTokens.set(value, session.id)
    return value
  }

  const sessionOf: IssuedTokens["sessionOf"] = (refreshToken, provider, now) => {
    const id = refreshToken === null ? undefined : refreshTokens.get(refreshToken)
    const session = id === undefined ? undefined : sessions.get(id)
    return session !== undefined && session.provider === provider && !session.revoked &&
        session.expiresAt - now >= 1000
      ? session
      : undefined
  }

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
    setLifetime: (provider, lifetime) => lifetimes.set(provider, lifetime),
    setRefreshLifetime: (provider, lifetime) => refreshLifetimes.set(provider, lifetime)
  }
}
