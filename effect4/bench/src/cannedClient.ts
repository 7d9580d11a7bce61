/**
 * The Effect 4 line's canned `HttpClient`, the twin of bench/src/cannedClient.ts: a token
 * response (RFC 6749 §5.1) to a POST, with the headers undici and fetch deliver, an empty 200
 * to anything else, without I/O; so the in-process measures see only the library's CPU,
 * allocation and Effect operations.
 */
import { ClientAuthentication, Grant, TokenEndpoint, TokenProvider } from "@effect-bearer/core"
import { Duration, Effect, Exit, Redacted, Scope } from "effect"
import { HttpClient, HttpClientResponse } from "effect/http"
import { tokenResponse } from "../../../bench/src/inProcess.js"
import { credentials } from "../../../bench/src/protocol.js"

/** How the canned token endpoint behaves; mutable so a measure can change it between phases. */
export interface CannedEndpoint {
  /** How long a token request takes (a sleep, no CPU), as a real server's latency. */
  latency: Duration.Duration
  /** Token requests answered so far. */
  tokenRequests: number
}

export const cannedEndpoint = (latency: Duration.Duration = Duration.zero): CannedEndpoint => ({ latency, tokenRequests: 0 })

/** The canned client: token responses from `endpoint`, empty 200s for the rest. */
export const cannedClient = (endpoint: CannedEndpoint = cannedEndpoint()): HttpClient.HttpClient =>
  HttpClient.make((request) => {
    if (request.method !== "POST") {
      return Effect.sync(() => HttpClientResponse.fromWeb(request, new Response(null, { status: 200 })))
    }
    const answer = Effect.sync(() => {
      endpoint.tokenRequests++
      return HttpClientResponse.fromWeb(request, tokenResponse())
    })
    return Duration.toMillis(endpoint.latency) === 0 ? answer : Effect.andThen(Effect.sleep(endpoint.latency), answer)
  })

/** The client of the bench's credentials, sent as HTTP Basic. */
export const clientAuthentication = ClientAuthentication.clientSecretBasic({
  clientId: credentials.clientId,
  clientSecret: Redacted.make(credentials.clientSecret)
})

/** The canned token endpoint's URL (never reached: the canned client answers). */
export const cannedTokenUrl = "https://auth.bench.invalid/token"

/** The API origin the canned client answers for. */
export const cannedApiOrigin = "https://api.bench.invalid"

/** A `TokenProvider.fromEndpoint` (client_credentials, its defaults) over the canned client. */
export const cannedProvider = (endpoint: CannedEndpoint) =>
  TokenProvider.fromEndpoint({ url: cannedTokenUrl, grant: Grant.clientCredentials, clientAuthentication, name: "bench" }).pipe(
    Effect.provideService(HttpClient.HttpClient, cannedClient(endpoint))
  )

/** The canned endpoint's `TokenEndpoint`, for requests without a provider. */
export const cannedTokenEndpoint = TokenEndpoint.make({ url: cannedTokenUrl, clientAuthentication })

/** Runs `effect` in a new scope; returns its value and the scope's closing. */
export const scoped = async <A, E>(effect: Effect.Effect<A, E, Scope.Scope>) => {
  const scope = Effect.runSync(Scope.make())
  const value = await Effect.runPromise(Scope.provide(scope)(effect))
  return { value, close: () => Effect.runPromise(Scope.close(scope, Exit.void)) }
}
