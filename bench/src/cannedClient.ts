/**
 * An `HttpClient` that answers in process, without I/O: a token response (RFC 6749 §5.1)
 * to a POST, with the headers undici and fetch deliver (Content-Length included), an
 * empty 200 to anything else. The in-process measures run the library's
 * own code over it, so only the library's CPU, allocation and Effect operations show.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { ClientAuthentication, Grant, TokenEndpoint, TokenProvider } from "@effect-bearer/core"
import { Duration, Effect, Exit, Redacted, Scope } from "effect"
import { tokenResponse } from "./inProcess.js"
import { credentials } from "./protocol.js"

/** How the canned token endpoint behaves; mutable so a measure can change it between phases. */
export interface CannedEndpoint {
  /** `expires_in` of the tokens it issues, in seconds. */
  lifetimeSeconds: number
  /** How long a token request takes (a sleep, no CPU), as a real server's latency. */
  latency: Duration.Duration
  /** Token requests answered so far. */
  tokenRequests: number
}

export const cannedEndpoint = (settings: Partial<Omit<CannedEndpoint, "tokenRequests">> = {}): CannedEndpoint => ({
  lifetimeSeconds: settings.lifetimeSeconds ?? 3600,
  latency: settings.latency ?? Duration.zero,
  tokenRequests: 0
})

/** The canned client: token responses from `endpoint`, empty 200s for the rest. */
export const cannedClient = (endpoint: CannedEndpoint = cannedEndpoint()): HttpClient.HttpClient =>
  HttpClient.make((request) => {
    if (request.method !== "POST") {
      return Effect.sync(() => HttpClientResponse.fromWeb(request, new Response(null, { status: 200 })))
    }
    const answer = Effect.sync(() => {
      endpoint.tokenRequests++
      return HttpClientResponse.fromWeb(request, tokenResponse(endpoint.lifetimeSeconds))
    })
    return Duration.toMillis(endpoint.latency) === 0 ? answer : Effect.zipRight(Effect.sleep(endpoint.latency), answer)
  })

const clientAuthentication = ClientAuthentication.clientSecretBasic({
  clientId: credentials.clientId,
  clientSecret: Redacted.make(credentials.clientSecret)
})

/** The canned token endpoint's URL (never reached: the canned client answers). */
export const cannedTokenUrl = "https://auth.bench.invalid/token"

/** The API origin the canned client answers for. */
export const cannedApiOrigin = "https://api.bench.invalid"

/** A `TokenProvider.fromEndpoint` (client_credentials, its defaults) over the canned client. */
export const cannedProvider = (endpoint: CannedEndpoint, options: Partial<TokenProvider.Options> = {}) =>
  TokenProvider.fromEndpoint({
    url: cannedTokenUrl,
    grant: Grant.clientCredentials,
    clientAuthentication,
    name: "bench",
    ...options
  }).pipe(Effect.provideService(HttpClient.HttpClient, cannedClient(endpoint)))

/** The canned endpoint's `TokenEndpoint`, for requests without a provider. */
export const cannedTokenEndpoint = TokenEndpoint.make({ url: cannedTokenUrl, clientAuthentication })

/** Runs `effect` in a new scope; returns its value and the scope's closing. */
export const scoped = async <A, E>(effect: Effect.Effect<A, E, Scope.Scope>) => {
  const scope = Effect.runSync(Scope.make())
  const value = await Effect.runPromise(Scope.extend(effect, scope))
  return { value, close: () => Effect.runPromise(Scope.close(scope, Exit.void)) }
}
