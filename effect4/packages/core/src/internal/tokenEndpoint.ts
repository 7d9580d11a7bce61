/**
 * The token endpoint: option checks, the token request and revocation through the door
 * (`authorizationServer.ts`), and the lifetime rules that make a response an `AccessToken`.
 */
import * as Url from "@effect-bearer/kernel/Url"
import { Clock, Duration, Effect, Option, Redacted, Result } from "effect"
import type { HttpClient } from "effect/http"
import * as AccessToken from "../AccessToken.js"
import * as ClientAuthentication from "../ClientAuthentication.js"
import * as Grant from "../Grant.js"
import * as Jwt from "../Jwt.js"
import type { Options, TokenEndpoint } from "../TokenEndpoint.js"
import * as TokenError from "../TokenError.js"
import * as TokenMetrics from "../TokenMetrics.js"
import * as TokenResponse from "../TokenResponse.js"
import * as AuthorizationServer from "./authorizationServer.js"

const isBlank = (text: string) => text.trim() === ""
const mustBePositive = (setting: string) => new TokenError.InvalidConfiguration({ setting, problem: "must be longer than zero" })

/** @internal */
export const make = (options: Options): Effect.Effect<TokenEndpoint, TokenError.InvalidConfiguration | TokenError.WrongHost> =>
  Effect.gen(function*() {
    const url = Url.withoutFragment(yield* endpointUrl(options.url))
    const revocationUrl = options.revocationUrl === undefined
      ? Option.none<string>()
      : Option.some(Url.withoutFragment(yield* endpointUrl(options.revocationUrl)))
    yield* checkCredentials(options.clientAuthentication)
    const timeout = Duration.fromInputUnsafe(options.timeout ?? AuthorizationServer.defaultTimeout)
    const defaultLifetime = Duration.fromInputUnsafe(options.defaultLifetime ?? "5 minutes")
    const maximumLifetime = Duration.fromInputUnsafe(options.maximumLifetime ?? "365 days")
    if (!Duration.isPositive(timeout)) return yield* mustBePositive("timeout")
    if (!Duration.isPositive(defaultLifetime)) return yield* mustBePositive("defaultLifetime")
    if (!Duration.isPositive(maximumLifetime)) return yield* mustBePositive("maximumLifetime")
    const maximumResponseBytes = options.maximumResponseBytes ?? AuthorizationServer.defaultMaximumResponseBytes
    if (!(maximumResponseBytes > 0)) {
      return yield* new TokenError.InvalidConfiguration({
        setting: "maximumResponseBytes",
        problem: "must be a positive number of bytes"
      })
    }
    const scope = typeof options.scope === "string" ? options.scope : options.scope?.join(" ")
    const parameters = Object.fromEntries(
      Object.entries({ ...options.parameters, scope }).filter((entry): entry is [string, string] => entry[1] !== undefined)
    )
    return {
      url,
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

const endpointUrl = (raw: string) =>
  AuthorizationServer.acceptedUrl(Url.checkEndpoint(raw), {
    placeholder: "(the configured URL)",
    setting: "url",
    problem: "the token endpoint URL carries credentials; pass them as client authentication instead"
  })

const checkCredentials = (
  authentication: ClientAuthentication.ClientAuthentication
): Effect.Effect<void, TokenError.InvalidConfiguration> => {
  const empty = (setting: string) => Effect.fail(new TokenError.InvalidConfiguration({ setting, problem: "is empty" }))
  if (authentication.clientId !== undefined && isBlank(authentication.clientId)) return empty("clientId")
  if (authentication._tag !== "none" && isBlank(Redacted.value(authentication.clientSecret))) return empty("clientSecret")
  return Effect.void
}

/** What every request to an endpoint shares, worked out once per endpoint rather than per request. */
interface Shared {
  /** The client's authentication as request parts. */
  readonly authentication: ReturnType<typeof ClientAuthentication.toRequestParts>
  /** The credentials a server's text must never repeat: the secret, the Basic header (whole and without its scheme). */
  readonly secrets: ReadonlyArray<Redacted.Redacted<string>>
  /** The token endpoint's URL as errors and spans show it. */
  readonly endpoint: string
  readonly hint: (tag: TokenError.TokenError["_tag"]) => string | undefined
}

const shared = new WeakMap<TokenEndpoint, Shared>()

const sharedOf = (endpoint: TokenEndpoint): Shared => {
  let known = shared.get(endpoint)
  if (known === undefined) {
    const authentication = ClientAuthentication.toRequestParts(endpoint.clientAuthentication)
    const headers = Object.values(authentication.headers)
    known = {
      authentication,
      secrets: [
        ...(endpoint.clientAuthentication._tag === "none" ? [] : [endpoint.clientAuthentication.clientSecret]),
        ...headers,
        ...headers.map((header) => Redacted.make(Redacted.value(header).replace(/^\S+\s+/, "")))
      ],
      endpoint: Url.display(new URL(endpoint.url)),
      hint: (tag) => endpoint.hints[tag]
    }
    shared.set(endpoint, known)
  }
  return known
}

const targetOf = (
  endpoint: TokenEndpoint,
  url: string,
  grantType: string,
  others: ReadonlyArray<Redacted.Redacted<string>>
): AuthorizationServer.Target => {
  const known = sharedOf(endpoint)
  return {
    url,
    endpoint: url === endpoint.url ? known.endpoint : Url.display(new URL(url)),
    hint: known.hint,
    grantType,
    clientId: ClientAuthentication.clientId(endpoint.clientAuthentication),
    secrets: others.length === 0 ? known.secrets : [...known.secrets, ...others],
    timeout: endpoint.timeout,
    maximumResponseBytes: endpoint.maximumResponseBytes
  }
}

const credentialsOf = (grant: Grant.Grant) =>
  grant._tag === "Password" ? [grant.password] : grant._tag === "RefreshToken" ? [grant.refreshToken] : []

/** @internal */
export const requestToken = (
  endpoint: TokenEndpoint,
  grant: Grant.Grant
): Effect.Effect<AccessToken.AccessToken, TokenError.TokenError, HttpClient.HttpClient> => {
  const grantType = Grant.grantType(grant)
  return Effect.gen(function*() {
    const target = targetOf(endpoint, endpoint.url, grantType, credentialsOf(grant))
    const issuedAt = yield* Clock.currentTimeMillis
    const answer = yield* AuthorizationServer.postForm(target, sharedOf(endpoint).authentication, {
      ...endpoint.parameters,
      ...Grant.toParameters(grant)
    })
    const body = yield* Effect.fromResult(AuthorizationServer.tokenEndpointBody(target, answer))
    const valid = TokenResponse.validate(endpoint.toStandardResponse(body))
    if (Result.isFailure(valid)) {
      const detail = TokenError.sanitizeServerText(valid.failure.detail, target.secrets, Number.POSITIVE_INFINITY)
      return yield* AuthorizationServer.invalidBody(target, answer.status, valid.failure.reason, detail)
    }
    return yield* toAccessToken(endpoint, target, valid.success, issuedAt)
  }).pipe(
    Effect.tap(() => TokenMetrics.recordTokenRequest(grantType, "Success")),
    Effect.tapError((error) => TokenMetrics.recordTokenRequest(grantType, error._tag)),
    Effect.withSpan("TokenEndpoint.requestToken", {
      kind: "client",
      attributes: { "oauth.grant_type": grantType, "oauth.token_endpoint": sharedOf(endpoint).endpoint }
    })
  )
}

/** @internal */
export const revokeToken = (
  endpoint: TokenEndpoint,
  token: Redacted.Redacted<string>,
  tokenTypeHint: "access_token" | "refresh_token"
): Effect.Effect<void, TokenError.TokenError | TokenError.InvalidConfiguration, HttpClient.HttpClient> => {
  if (Option.isNone(endpoint.revocationUrl)) {
    return Effect.fail(new TokenError.InvalidConfiguration({ setting: "revocationUrl", problem: "is needed to revoke tokens" }))
  }
  const target = targetOf(endpoint, endpoint.revocationUrl.value, "revocation", [token])
  return AuthorizationServer.postForm(target, sharedOf(endpoint).authentication, {
    token: Redacted.value(token),
    token_type_hint: tokenTypeHint
  }).pipe(
    // RFC 7009 §2.2: 200 is revoked, or already invalid, which is the same.
    Effect.flatMap((answer) => answer.status === 200 ? Effect.void : Effect.fail(AuthorizationServer.tokenEndpointFailure(target, answer))),
    Effect.withSpan("TokenEndpoint.revokeToken", { kind: "client", attributes: { "oauth.token_type_hint": tokenTypeHint } })
  )
}

/** `expires_in`, else JWT `exp`, else the default; capped at the maximum; refused below `AccessToken.minimumLifetime`. */
const toAccessToken = (
  endpoint: TokenEndpoint,
  target: AuthorizationServer.Target,
  response: TokenResponse.TokenResponse,
  issuedAt: number
): Effect.Effect<AccessToken.AccessToken, TokenError.InvalidTokenResponse> => {
  const fromExpiresIn = Option.map(response.expires_in, (seconds) => ({ lifetime: Duration.seconds(seconds), source: "expires_in" as const }))
  const { lifetime, source } = fromExpiresIn.pipe(
    Option.orElse(() =>
      Jwt.decodeClaims(response.access_token).pipe(
        Option.flatMap((claims) => Jwt.lifetime(claims, issuedAt)),
        Option.map((lifetime) => ({ lifetime, source: "jwt" as const }))
      )
    ),
    Option.getOrElse(() => ({ lifetime: endpoint.defaultLifetime, source: "default" as const }))
  )
  if (Duration.isLessThan(lifetime, AccessToken.minimumLifetime)) {
    const from = source === "default" ? "the default lifetime" : source
    return Effect.fail(AuthorizationServer.invalidBody(
      target,
      undefined,
      source === "expires_in" ? "InvalidExpiresIn" : "InvalidField",
      `the token's lifetime (from ${from}) is shorter than ${Duration.format(AccessToken.minimumLifetime)}, too short to use`
    ))
  }
  const refreshToken = Option.map(response.refresh_token, (value) =>
    new AccessToken.RefreshToken({
      value: Redacted.make(value),
      expiresAt: Option.map(response.refresh_expires_in, (seconds) => issuedAt + seconds * 1000)
    }))
  return Effect.succeed(AccessToken.make({
    value: Redacted.make(response.access_token),
    issuedAt,
    lifetime: Duration.min(lifetime, endpoint.maximumLifetime),
    lifetimeSource: source,
    scope: Option.getOrUndefined(response.scope),
    refreshToken: Option.getOrUndefined(refreshToken)
  }))
}
