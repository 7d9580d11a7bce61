/**
 * The token endpoint's implementation: checking its options, the token request and the
 * revocation through the one door (`authorizationServer.ts`), and the lifetime rules that
 * turn a valid response into an `AccessToken`.
 */
import * as Url from "@effect-bearer/kernel/Url"
import * as HttpClient from "@effect/platform/HttpClient"
import { Clock, Duration, Effect, Either, Option, Redacted } from "effect"
import * as AccessToken from "../AccessToken.js"
import * as ClientAuthentication from "../ClientAuthentication.js"
import * as Grant from "../Grant.js"
import * as Jwt from "../Jwt.js"
import type { Options, TokenEndpoint } from "../TokenEndpoint.js"
import * as TokenError from "../TokenError.js"
import * as TokenMetrics from "../TokenMetrics.js"
import * as TokenResponse from "../TokenResponse.js"
import * as AuthorizationServer from "./authorizationServer.js"

const blank = (s: string) => s.trim() === ""

/** @internal */
export const make = (
  options: Options
): Effect.Effect<TokenEndpoint, TokenError.InvalidConfiguration | TokenError.WrongHost> =>
  Effect.gen(function*() {
    const url = yield* parseEndpointUrl(options.url)
    const revocationUrl = options.revocationUrl === undefined
      ? Option.none<string>()
      : Option.some(Url.withoutFragment(yield* parseEndpointUrl(options.revocationUrl)))
    yield* validateClientAuthentication(options.clientAuthentication)
    const timeout = Duration.decode(options.timeout ?? AuthorizationServer.defaultTimeout)
    if (!Duration.greaterThan(timeout, Duration.zero)) {
      return yield* new TokenError.InvalidConfiguration({ setting: "timeout", problem: "must be longer than zero" })
    }
    const defaultLifetime = Duration.decode(options.defaultLifetime ?? "5 minutes")
    const maximumLifetime = Duration.decode(options.maximumLifetime ?? "365 days")
    for (const [setting, lifetime] of [["defaultLifetime", defaultLifetime], ["maximumLifetime", maximumLifetime]] as const) {
      if (!Duration.greaterThan(lifetime, Duration.zero)) {
        return yield* new TokenError.InvalidConfiguration({ setting, problem: "must be longer than zero" })
      }
    }
    const maximumResponseBytes = options.maximumResponseBytes ?? AuthorizationServer.defaultMaximumResponseBytes
    if (!(maximumResponseBytes > 0)) {
      return yield* new TokenError.InvalidConfiguration({
        setting: "maximumResponseBytes",
        problem: "must be a positive number of bytes"
      })
    }
    const scope = typeof options.scope === "string" ? options.scope : options.scope?.join(" ")
    const parameters: Record<string, string> = {}
    for (const [name, value] of Object.entries({ ...options.parameters, scope })) {
      if (value !== undefined) parameters[name] = value
    }
    return {
      url: Url.withoutFragment(url),
      clientAuthentication: options.clientAuthentication,
      parameters,
      revocationUrl,
      timeout,
      defaultLifetime,
      maximumLifetime,
      maximumResponseBytes,
      toStandardResponse: options.toStandardResponse ?? ((body) => body),
      hints: options.hints ?? {}
    }
  })

const parseEndpointUrl = (raw: string): Effect.Effect<URL, TokenError.WrongHost | TokenError.InvalidConfiguration> =>
  AuthorizationServer.acceptedUrl(Url.checkEndpoint(raw), {
    placeholder: "(the configured URL)",
    setting: "url",
    problem: "the token endpoint URL carries credentials; pass them as client authentication instead"
  })

const validateClientAuthentication = (
  auth: ClientAuthentication.ClientAuthentication
): Effect.Effect<void, TokenError.InvalidConfiguration> => {
  if (auth._tag === "none") {
    return auth.clientId !== undefined && blank(auth.clientId)
      ? Effect.fail(new TokenError.InvalidConfiguration({ setting: "clientId", problem: "is empty" }))
      : Effect.void
  }
  if (blank(auth.clientId)) {
    return Effect.fail(new TokenError.InvalidConfiguration({ setting: "clientId", problem: "is empty" }))
  }
  if (blank(Redacted.value(auth.clientSecret))) {
    return Effect.fail(new TokenError.InvalidConfiguration({ setting: "clientSecret", problem: "is empty" }))
  }
  return Effect.void
}

/**
 * What every request to one endpoint shares, derived once per endpoint rather than per
 * request: its URL as errors and spans show it, the client's authentication as sent, and
 * the client's credentials as a server's text must never repeat them (the secret, and the
 * Basic header as sent, whole and without its scheme).
 */
interface Shared {
  readonly display: string
  readonly authentication: AuthorizationServer.Authentication
  readonly clientSecrets: ReadonlyArray<Redacted.Redacted<string>>
}

const sharedByEndpoint = new WeakMap<TokenEndpoint, Shared>()

const sharedOf = (endpoint: TokenEndpoint): Shared => {
  let shared = sharedByEndpoint.get(endpoint)
  if (shared === undefined) {
    const authentication = ClientAuthentication.toRequestParts(endpoint.clientAuthentication)
    const headers = Object.values(authentication.headers)
    shared = {
      display: Url.display(new URL(endpoint.url)),
      authentication,
      clientSecrets: [
        ...(endpoint.clientAuthentication._tag === "none" ? [] : [endpoint.clientAuthentication.clientSecret]),
        ...headers,
        ...headers.map((value) => Redacted.make(Redacted.value(value).replace(/^\S+\s+/, "")))
      ]
    }
    sharedByEndpoint.set(endpoint, shared)
  }
  return shared
}

/** The door's view of this endpoint for one request; `grantSecrets` are what else the server must not repeat. */
const targetOf = (
  endpoint: TokenEndpoint,
  url: string,
  grantType: string,
  grantSecrets: ReadonlyArray<Redacted.Redacted<string>>
): AuthorizationServer.Target => {
  const shared = sharedOf(endpoint)
  return {
    url,
    endpoint: url === endpoint.url ? shared.display : Url.display(new URL(url)),
    hint: (tag) => endpoint.hints[tag],
    grantType,
    clientId: ClientAuthentication.clientId(endpoint.clientAuthentication),
    secrets: grantSecrets.length === 0 ? shared.clientSecrets : [...shared.clientSecrets, ...grantSecrets],
    timeout: endpoint.timeout,
    maximumResponseBytes: endpoint.maximumResponseBytes
  }
}

/** The grant's own credentials: a password or a refresh token. */
const grantSecrets = (grant: Grant.Grant): ReadonlyArray<Redacted.Redacted<string>> =>
  grant._tag === "Password" ? [grant.password] : grant._tag === "RefreshToken" ? [grant.refreshToken] : []

/** @internal */
export const requestToken = (
  endpoint: TokenEndpoint,
  grant: Grant.Grant
): Effect.Effect<AccessToken.AccessToken, TokenError.TokenError, HttpClient.HttpClient> =>
  Effect.flatMap(HttpClient.HttpClient, (client) => requestTokenWith(client, endpoint, grant))

/**
 * A token request sent with `client` (a source holds its client: no context to provide per request).
 * @internal
 */
export const requestTokenWith = (
  client: HttpClient.HttpClient,
  endpoint: TokenEndpoint,
  grant: Grant.Grant
): Effect.Effect<AccessToken.AccessToken, TokenError.TokenError> =>
  Effect.gen(function*() {
    const target = targetOf(endpoint, endpoint.url, Grant.grantType(grant), grantSecrets(grant))
    const issuedAt = yield* Clock.currentTimeMillis
    const answer = yield* AuthorizationServer.postForm(client, target, sharedOf(endpoint).authentication, {
      ...endpoint.parameters,
      ...Grant.toParameters(grant)
    })
    const body = yield* AuthorizationServer.tokenEndpointBody(target, answer)
    const valid = TokenResponse.validate(endpoint.toStandardResponse(body))
    if (Either.isLeft(valid)) {
      // A detail may quote the server (token_type): never with a credential of this request.
      const detail = TokenError.sanitizeServerText(valid.left.detail, target.secrets, Number.POSITIVE_INFINITY)
      return yield* AuthorizationServer.invalidBody(target, answer.status, valid.left.reason, detail)
    }
    return yield* toAccessToken(endpoint, target, valid.right, issuedAt)
  }).pipe(
    Effect.tapBoth({
      onFailure: (error) => TokenMetrics.recordTokenRequest(Grant.grantType(grant), error._tag),
      onSuccess: () => TokenMetrics.recordTokenRequest(Grant.grantType(grant), "Success")
    }),
    Effect.withSpan("TokenEndpoint.requestToken", {
      captureStackTrace: false,
      kind: "client",
      attributes: { "oauth.grant_type": Grant.grantType(grant), "oauth.token_endpoint": sharedOf(endpoint).display }
    })
  )

/** @internal */
export const revokeToken = (
  endpoint: TokenEndpoint,
  token: Redacted.Redacted<string>,
  tokenTypeHint: "access_token" | "refresh_token"
): Effect.Effect<void, TokenError.TokenError | TokenError.InvalidConfiguration, HttpClient.HttpClient> =>
  Effect.flatMap(HttpClient.HttpClient, (client) => revokeTokenWith(client, endpoint, token, tokenTypeHint))

/**
 * An RFC 7009 revocation sent with `client`.
 * @internal
 */
export const revokeTokenWith = (
  client: HttpClient.HttpClient,
  endpoint: TokenEndpoint,
  token: Redacted.Redacted<string>,
  tokenTypeHint: "access_token" | "refresh_token"
): Effect.Effect<void, TokenError.TokenError | TokenError.InvalidConfiguration> =>
  Option.match(endpoint.revocationUrl, {
    onNone: () =>
      Effect.fail(
        new TokenError.InvalidConfiguration({ setting: "revocationUrl", problem: "is needed to revoke tokens" })
      ),
    onSome: (url) =>
      Effect.gen(function*() {
        const target = targetOf(endpoint, url, "revocation", [token])
        const answer = yield* AuthorizationServer.postForm(client, target, sharedOf(endpoint).authentication, {
          token: Redacted.value(token),
          token_type_hint: tokenTypeHint
        })
        // RFC 7009 §2.2: 200 means revoked, or already invalid, which is the same.
        if (answer.status !== 200) return yield* Effect.fail(AuthorizationServer.tokenEndpointFailure(target, answer))
      }).pipe(
        Effect.withSpan("TokenEndpoint.revokeToken", {
          kind: "client",
          captureStackTrace: false,
          attributes: { "oauth.token_type_hint": tokenTypeHint }
        })
      )
  })

/**
 * Lifetime: `expires_in`, else the JWT `exp` claim, else the endpoint's default; capped
 * at the maximum, and refused when shorter than `AccessToken.minimumLifetime`.
 */
const toAccessToken = (
  endpoint: TokenEndpoint,
  target: AuthorizationServer.Target,
  response: TokenResponse.TokenResponse,
  issuedAt: number
): Effect.Effect<AccessToken.AccessToken, TokenError.InvalidTokenResponse> => {
  const fromResponse = Option.map(response.expires_in, (seconds) => ({
    lifetime: Duration.seconds(seconds),
    source: "expires_in" as const
  }))
  const known = Option.orElse(fromResponse, () =>
    Jwt.decodeClaims(response.access_token).pipe(
      Option.flatMap((claims) => Jwt.lifetime(claims, issuedAt)),
      Option.map((lifetime) => ({ lifetime, source: "jwt" as const }))
    ))
  const { lifetime, source } = Option.getOrElse(known, () => ({
    lifetime: endpoint.defaultLifetime,
    source: "default" as const
  }))
  // Too short to be served even once after the margin (e.g. `expires_in: 0.0001`): refuse it.
  if (Duration.lessThan(lifetime, AccessToken.minimumLifetime)) {
    return Effect.fail(
      AuthorizationServer.invalidBody(
        target,
        undefined,
        source === "expires_in" ? "InvalidExpiresIn" : "InvalidField",
        `the token's lifetime (from ${source === "default" ? "the default lifetime" : source}) is shorter than ${
          Duration.format(AccessToken.minimumLifetime)
        }, too short to use`
      )
    )
  }
  const refreshToken = Option.map(response.refresh_token, (value) =>
    new AccessToken.RefreshToken({
      value: Redacted.make(value),
      expiresAt: Option.map(response.refresh_expires_in, (seconds) => issuedAt + seconds * 1000)
    }))
  return Effect.succeed(
    AccessToken.make({
      value: Redacted.make(response.access_token),
      issuedAt,
      lifetime: Duration.min(lifetime, endpoint.maximumLifetime),
      lifetimeSource: source,
      scope: Option.getOrUndefined(response.scope),
      refreshToken: Option.getOrUndefined(refreshToken)
    })
  )
}
