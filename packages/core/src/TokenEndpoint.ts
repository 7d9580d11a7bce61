/**
 * The token endpoint (RFC 6749 §3.2): the one module that speaks HTTP to the
 * authorization server. It builds the form request, never follows redirects, times
 * out, reads at most a bounded body, validates the response and maps every failure
 * to the `TokenError` union.
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { Clock, Duration, Effect, Either, Option, Record, Redacted } from "effect"
import * as AccessToken from "./AccessToken.js"
import * as ClientAuthentication from "./ClientAuthentication.js"
import * as Grant from "./Grant.js"
import { displayUrl, isLoopback, parseRetryAfter, readBody, withoutRedirects } from "./internal/http.js"
import * as UntracedRequest from "./internal/untracedRequest.js"
import * as Jwt from "./Jwt.js"
import * as TokenError from "./TokenError.js"
import * as TokenMetrics from "./TokenMetrics.js"
import * as TokenResponse from "./TokenResponse.js"

/**
 * Provider-specific advice appended to an error's message, by error tag; e.g. UP42's
 * "tokens come from auth.sa.up42.com, not api.sa.up42.com" on a 404.
 *
 * @since 0.1.0
 * @category models
 */
export type Hints = Partial<Record<TokenError.TokenError["_tag"], string>>

/**
 * A validated token endpoint: where to send token requests and how.
 *
 * @since 0.1.0
 * @category models
 */
export interface TokenEndpoint {
  /** The URL requests go to (never with userinfo; errors show it without query). */
  readonly url: string
  readonly clientAuthentication: ClientAuthentication.ClientAuthentication
  /** Extra form parameters on every token request, e.g. `scope`, `audience`. */
  readonly parameters: Readonly<Record<string, string>>
  /** The RFC 7009 revocation endpoint, when the server has one. */
  readonly revocationUrl: Option.Option<string>
  /** How long one request (connection, headers and body) may take. */
  readonly timeout: Duration.Duration
  /** The lifetime assumed when neither `expires_in` nor a JWT `exp` says. */
  readonly defaultLifetime: Duration.Duration
  /** The longest lifetime believed, whatever the server says. */
  readonly maximumLifetime: Duration.Duration
  /** Responses larger than this are refused as `InvalidTokenResponse` (`TooLarge`). */
  readonly maximumResponseBytes: number
  /** Maps a provider's own success body to RFC 6749 §5.1 before validation. */
  readonly toStandardResponse: (body: unknown) => unknown
  readonly hints: Hints
}

/**
 * Options of {@link make}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly url: string
  /** The RFC 7009 revocation endpoint; needed for `TokenProvider`'s `revokeOnClose`. */
  readonly revocationUrl?: string | undefined
  readonly clientAuthentication: ClientAuthentication.ClientAuthentication
  readonly scope?: string | ReadonlyArray<string> | undefined
  readonly parameters?: Readonly<Record<string, string | undefined>> | undefined
  /** Default: 10 seconds. */
  readonly timeout?: Duration.DurationInput | undefined
  /** Default: 5 minutes, the shortest lifetime among the documented providers. */
  readonly defaultLifetime?: Duration.DurationInput | undefined
  /** Default: 365 days. */
  readonly maximumLifetime?: Duration.DurationInput | undefined
  /** Default: 1 MiB. */
  readonly maximumResponseBytes?: number | undefined
  readonly toStandardResponse?: ((body: unknown) => unknown) | undefined
  readonly hints?: Hints | undefined
}

const blank = (s: string) => s.trim() === ""

const withoutFragment = (url: URL) => {
  const copy = new URL(url)
  copy.hash = ""
  return copy.href
}

/**
 * Validates the options and builds a token endpoint. Fails when the configuration
 * cannot work: a URL that is not absolute, not https (loopback aside) or carries
 * credentials; an empty client id or secret; a non-positive timeout.
 *
 * @example
 * import { Effect, Redacted } from "effect"
 * import { ClientAuthentication, TokenEndpoint } from "@effect-bearer/core"
 *
 * const endpoint = TokenEndpoint.make({
 *   url: "https://auth.hydrosat.com/oauth2/token",
 *   clientAuthentication: ClientAuthentication.clientSecretPost({
 *     clientId: "my-client",
 *     clientSecret: Redacted.make("my-secret")
 *   })
 * })
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: Options
): Effect.Effect<TokenEndpoint, TokenError.InvalidConfiguration | TokenError.WrongHost> =>
  Effect.gen(function*() {
    const url = yield* parseEndpointUrl(options.url)
    const revocationUrl = options.revocationUrl === undefined
      ? Option.none<string>()
      : Option.some(withoutFragment(yield* parseEndpointUrl(options.revocationUrl)))
    yield* validateClientAuthentication(options.clientAuthentication)
    const timeout = Duration.decode(options.timeout ?? "10 seconds")
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
    const maximumResponseBytes = options.maximumResponseBytes ?? 1024 * 1024
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
      url: withoutFragment(url),
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

const parseEndpointUrl = (raw: string): Effect.Effect<URL, TokenError.WrongHost | TokenError.InvalidConfiguration> => {
  const url = URL.canParse(raw) ? new URL(raw) : undefined
  if (url === undefined || (url.protocol !== "https:" && url.protocol !== "http:")) {
    // The value is not repeated: a mistyped URL may hold a pasted secret.
    return Effect.fail(new TokenError.WrongHost({ endpoint: "(the configured URL)", reason: "InvalidUrl" }))
  }
  if (url.username !== "" || url.password !== "") {
    return Effect.fail(
      new TokenError.InvalidConfiguration({
        setting: "url",
        problem: "the token endpoint URL carries credentials; pass them as client authentication instead"
      })
    )
  }
  if (url.protocol === "http:" && !isLoopback(url.hostname)) {
    return Effect.fail(new TokenError.WrongHost({ endpoint: displayUrl(url), reason: "InsecureEndpoint" }))
  }
  return Effect.succeed(url)
}

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
 * Sends one token request for `grant` and returns the token, or the typed reason it
 * could not. Never retries: retrying is the caller's decision (see `TokenProvider`).
 *
 * The request is `POST` with an `application/x-www-form-urlencoded` body (RFC 6749
 * §4.3.2, §4.4.2, §6), client authentication per RFC 6749 §2.3.1, and
 * `Accept: application/json`. The lifetime comes from `expires_in`, else the JWT `exp`
 * claim, else the endpoint's default lifetime; all times come from `Clock`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5
 * @since 0.1.0
 * @category requests
 */
export const requestToken = (
  endpoint: TokenEndpoint,
  grant: Grant.Grant
): Effect.Effect<AccessToken.AccessToken, TokenError.TokenError, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const context: Context = { endpoint, grantType: Grant.grantType(grant), secrets: secretsOf(endpoint, grantSecrets(grant)) }
    const issuedAt = yield* Clock.currentTimeMillis
    const { body, json, now, response } = yield* exchange(context, endpoint.url, {
      ...endpoint.parameters,
      ...Grant.toParameters(grant)
    })
    const status = response.status
    if (status >= 200 && status < 300) {
      if (Either.isLeft(json)) {
        return yield* new TokenError.InvalidTokenResponse({
          ...fieldsOf(context, "InvalidTokenResponse", status, {}),
          reason: json.left === "TooLarge" ? "TooLarge" : "NotJson",
          detail: json.left === "TooLarge"
            ? `the body is larger than ${endpoint.maximumResponseBytes} bytes`
            : looksLikeHtml(body, response)
            ? "the body is an HTML page, not JSON"
            : "the body is not valid JSON"
        })
      }
      // Some servers answer 200 with an RFC 6749 §5.2 error body: believe the body.
      const errorResponse = TokenResponse.decodeErrorResponse(json.right)
      if (Option.isSome(errorResponse) && !hasAccessToken(json.right)) {
        return yield* Effect.fail(fromErrorResponse(context, status, errorResponse.value, now, response))
      }
      const valid = TokenResponse.validate(endpoint.toStandardResponse(json.right))
      if (Either.isLeft(valid)) {
        return yield* new TokenError.InvalidTokenResponse({
          ...fieldsOf(context, "InvalidTokenResponse", status, {}),
          reason: valid.left.reason,
          // A detail may quote the server (token_type): never with a credential of this request.
          detail: TokenError.sanitizeServerText(valid.left.detail, context.secrets, Number.POSITIVE_INFINITY)
        })
      }
      return yield* toAccessToken(context, valid.right, issuedAt)
    }
    return yield* Effect.fail(fromFailedResponse(context, json, now, response))
  }).pipe(
    Effect.tapBoth({
      onFailure: (error) => TokenMetrics.recordTokenRequest(Grant.grantType(grant), error._tag),
      onSuccess: () => TokenMetrics.recordTokenRequest(Grant.grantType(grant), "Success")
    }),
    Effect.withSpan("TokenEndpoint.requestToken", {
      captureStackTrace: false,
      kind: "client",
      attributes: { "oauth.grant_type": Grant.grantType(grant), "oauth.token_endpoint": displayUrl(new URL(endpoint.url)) }
    })
  )

/**
 * Revokes a token at the endpoint's revocation endpoint (RFC 7009), authenticating the
 * client as for token requests. A 200 means revoked (or already invalid, which RFC 7009
 * §2.2 treats the same). Fails with `InvalidConfiguration` when the endpoint has no
 * `revocationUrl`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2
 * @since 0.1.0
 * @category requests
 */
export const revokeToken = (
  endpoint: TokenEndpoint,
  token: Redacted.Redacted<string>,
  tokenTypeHint: "access_token" | "refresh_token"
): Effect.Effect<void, TokenError.TokenError | TokenError.InvalidConfiguration, HttpClient.HttpClient> =>
  Option.match(endpoint.revocationUrl, {
    onNone: () =>
      Effect.fail(
        new TokenError.InvalidConfiguration({ setting: "revocationUrl", problem: "is needed to revoke tokens" })
      ),
    onSome: (url) =>
      Effect.gen(function*() {
        const context: Context = { endpoint: { ...endpoint, url }, grantType: "revocation", secrets: secretsOf(endpoint, [token]) }
        const { json, now, response } = yield* exchange(context, url, {
          token: Redacted.value(token),
          token_type_hint: tokenTypeHint
        })
        if (response.status !== 200) return yield* Effect.fail(fromFailedResponse(context, json, now, response))
      }).pipe(Effect.withSpan("TokenEndpoint.revokeToken", { kind: "client", captureStackTrace: false, attributes: { "oauth.token_type_hint": tokenTypeHint } }))
  })

/**
 * One form POST to the authorization server with the client's authentication: no
 * redirects followed, a timeout over the whole exchange, the body read up to the limit,
 * and no platform span (which would record the URL's query): the caller's span has it all.
 */
const exchange = (context: Context, url: string, parameters: Record<string, string>) =>
  Effect.gen(function*() {
    const { endpoint } = context
    const authentication = ClientAuthentication.toRequestParts(endpoint.clientAuthentication)
    // The grant's own parameters come last so that nothing configured can override them.
    const request = HttpClientRequest.post(url).pipe(
      HttpClientRequest.bodyUrlParams({ ...authentication.parameters, ...parameters }),
      HttpClientRequest.acceptJson,
      HttpClientRequest.setHeaders(Record.map(authentication.headers, Redacted.value))
    )
    const unavailable = (reason: "Transport" | "Timeout", status?: number) =>
      new TokenError.TemporarilyUnavailable({ ...fieldsOf(context, "TemporarilyUnavailable", status, {}), reason })
    const { body, response } = yield* UntracedRequest.execute(request).pipe(
      Effect.flatMap((response) =>
        readBody(response, endpoint.maximumResponseBytes).pipe(Effect.map((body) => ({ response, body })))
      ),
      withoutRedirects,
      Effect.timeoutFail({ duration: endpoint.timeout, onTimeout: () => unavailable("Timeout") }),
      Effect.catchTags({
        RequestError: () => Effect.fail(unavailable("Transport")),
        ResponseError: (error) => Effect.fail(unavailable("Transport", error.response.status))
      })
    )
    const now = yield* Clock.currentTimeMillis
    return { body, json: parseJson(body), now, response }
  })

/** A response that is not a success: the §5.2 body when there is one, else the status. */
const fromFailedResponse = (
  context: Context,
  json: Either.Either<unknown, unknown>,
  now: number,
  response: HttpClientResponse.HttpClientResponse
): TokenError.TokenError => {
  const errorResponse = Either.isRight(json) ? TokenResponse.decodeErrorResponse(json.right) : Option.none()
  return Option.isSome(errorResponse)
    ? fromErrorResponse(context, response.status, errorResponse.value, now, response)
    : fromStatus(context, response.status, now, response, {})
}

/** What an error needs from the request that failed. */
interface Context {
  readonly endpoint: TokenEndpoint
  /** The grant type, or `revocation`, as errors report it. */
  readonly grantType: string
  /** Every credential the request carried, which the server's texts must not repeat. */
  readonly secrets: ReadonlyArray<Redacted.Redacted<string>>
}

/** The grant's own credentials: a password or a refresh token. */
const grantSecrets = (grant: Grant.Grant): ReadonlyArray<Redacted.Redacted<string>> =>
  grant._tag === "Password" ? [grant.password] : grant._tag === "RefreshToken" ? [grant.refreshToken] : []

/**
 * The client's credentials (the secret, and the Basic header as sent, whole and without
 * its scheme) and `others`: what a server's error text must never repeat.
 */
const secretsOf = (
  endpoint: TokenEndpoint,
  others: ReadonlyArray<Redacted.Redacted<string>>
): ReadonlyArray<Redacted.Redacted<string>> => {
  const authentication = endpoint.clientAuthentication
  const headers = Object.values(ClientAuthentication.toRequestParts(authentication).headers)
  return [
    ...(authentication._tag === "none" ? [] : [authentication.clientSecret]),
    ...headers,
    ...headers.map((value) => Redacted.make(Redacted.value(value).replace(/^\S+\s+/, ""))),
    ...others
  ]
}

const parseJson = (body: Option.Option<string>): Either.Either<unknown, "NotJson" | "TooLarge"> => {
  if (Option.isNone(body)) return Either.left("TooLarge")
  try {
    return Either.right(JSON.parse(body.value))
  } catch {
    return Either.left("NotJson")
  }
}

const looksLikeHtml = (body: Option.Option<string>, response: HttpClientResponse.HttpClientResponse) =>
  (response.headers["content-type"] ?? "").includes("html") ||
  Option.exists(body, (text) => text.trimStart().startsWith("<"))

const hasAccessToken = (body: unknown) =>
  typeof body === "object" && body !== null && "access_token" in body && body.access_token !== undefined

interface RfcFields {
  readonly error?: string
  readonly errorDescription?: string
  readonly errorUri?: string
}

/** The fields every endpoint error carries, with the provider's hint for that error. */
const fieldsOf = (context: Context, tag: TokenError.TokenError["_tag"], status: number | undefined, rfc: RfcFields) => {
  const hint = context.endpoint.hints[tag]
  return {
    endpoint: displayUrl(new URL(context.endpoint.url)),
    ...(status !== undefined ? { status } : {}),
    ...rfc,
    ...(hint !== undefined ? { hint } : {})
  }
}

/** RFC 6749 §5.2 codes refine the status: the code says whose fault it is. */
const fromErrorResponse = (
  context: Context,
  status: number,
  body: TokenResponse.ErrorResponse,
  now: number,
  response: HttpClientResponse.HttpClientResponse
): TokenError.TokenError => {
  // The server's texts are capped, stripped of control characters and of the credentials.
  const serverText = (text: string) => TokenError.sanitizeServerText(text, context.secrets)
  const rfc: RfcFields = {
    error: serverText(body.error),
    ...(body.error_description !== undefined ? { errorDescription: serverText(body.error_description) } : {}),
    ...(body.error_uri !== undefined ? { errorUri: serverText(body.error_uri) } : {})
  }
  switch (body.error) {
    case "invalid_client":
    case "invalid_grant":
    case "unauthorized_client":
    case "access_denied":
      return invalidCredentials(context, status, rfc)
    case "temporarily_unavailable":
    case "server_error":
      return new TokenError.TemporarilyUnavailable({
        ...fieldsOf(context, "TemporarilyUnavailable", status, rfc),
        reason: status === 429 ? "RateLimited" : "ServerError",
        ...retryAfter(response, now)
      })
    default:
      // A 2xx that carries an error code is a refusal, whatever its status says.
      return status >= 200 && status < 300
        ? new TokenError.InvalidRequest({ ...fieldsOf(context, "InvalidRequest", status, rfc), grantType: context.grantType })
        : fromStatus(context, status, now, response, rfc)
  }
}

const invalidCredentials = (context: Context, status: number, rfc: RfcFields) => {
  const clientId = ClientAuthentication.clientId(context.endpoint.clientAuthentication)
  return new TokenError.InvalidCredentials({
    ...fieldsOf(context, "InvalidCredentials", status, rfc),
    grantType: context.grantType,
    ...(clientId !== undefined ? { clientId } : {})
  })
}

const retryAfter = (response: HttpClientResponse.HttpClientResponse, now: number) =>
  Option.match(parseRetryAfter(response.headers["retry-after"], now), {
    onNone: () => ({}),
    onSome: (retryAfter) => ({ retryAfter })
  })

/** The status alone decides when the body says nothing more specific. */
const fromStatus = (
  context: Context,
  status: number,
  now: number,
  response: HttpClientResponse.HttpClientResponse,
  rfc: RfcFields
): TokenError.TokenError => {
  if (status === 401) return invalidCredentials(context, status, rfc)
  if (status === 404 || status === 405 || status === 410) {
    return new TokenError.WrongHost({ ...fieldsOf(context, "WrongHost", status, rfc), reason: "NotFound" })
  }
  if (status === 415) {
    return new TokenError.UnsupportedMediaType({
      ...fieldsOf(context, "UnsupportedMediaType", status, rfc),
      contentType: "application/x-www-form-urlencoded"
    })
  }
  if ((status >= 300 && status < 400) || status === 0) {
    const location = response.headers["location"]
    const target = location !== undefined && URL.canParse(location, context.endpoint.url)
      ? new URL(location, context.endpoint.url).origin
      : undefined
    return new TokenError.WrongHost({
      ...fieldsOf(context, "WrongHost", status, rfc),
      reason: "Redirect",
      ...(target !== undefined ? { location: target } : {})
    })
  }
  if (status === 429 || status === 408 || status >= 500) {
    return new TokenError.TemporarilyUnavailable({
      ...fieldsOf(context, "TemporarilyUnavailable", status, rfc),
      reason: status === 429 ? "RateLimited" : "ServerError",
      ...retryAfter(response, now)
    })
  }
  if (status >= 400) {
    return new TokenError.InvalidRequest({ ...fieldsOf(context, "InvalidRequest", status, rfc), grantType: context.grantType })
  }
  return new TokenError.InvalidTokenResponse({
    ...fieldsOf(context, "InvalidTokenResponse", status, rfc),
    reason: "InvalidField",
    detail: `HTTP ${status} is not a token response`
  })
}

/**
 * Lifetime: `expires_in`, else the JWT `exp` claim, else the endpoint's default; capped
 * at the maximum, and refused when shorter than `AccessToken.minimumLifetime`.
 */
const toAccessToken = (
  context: Context,
  response: TokenResponse.TokenResponse,
  issuedAt: number
): Effect.Effect<AccessToken.AccessToken, TokenError.InvalidTokenResponse> => {
  const { endpoint } = context
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
      new TokenError.InvalidTokenResponse({
        ...fieldsOf(context, "InvalidTokenResponse", undefined, {}),
        reason: source === "expires_in" ? "InvalidExpiresIn" : "InvalidField",
        detail: `the token's lifetime (from ${source === "default" ? "the default lifetime" : source}) is shorter than ${
          Duration.format(AccessToken.minimumLifetime)
        }, too short to use`
      })
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
