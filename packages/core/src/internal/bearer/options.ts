/**
 * The bearer client's options, checked and normalised once when the client is made, so
 * that no request pays for them. The origins are the kernel's (`TokenDestination`), which
 * also words what is wrong with one, never repeating its value.
 */
import * as RetrySafety from "@effect-bearer/kernel/RetrySafety"
import * as TokenDestination from "@effect-bearer/kernel/TokenDestination"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { Duration, Effect, Option, Schedule } from "effect"
import type { Options } from "../../BearerHttpClient.js"
import * as TokenError from "../../TokenError.js"
import * as TokenRetry from "../../TokenRetry.js"

/** Options, checked and normalised once when the client is made. */
export interface Settings {
  /** The origins the token is for (the kernel's `TokenDestination`). */
  readonly destinations: TokenDestination.Destinations
  readonly onForeignOrigin: "sendWithoutToken" | "fail"
  readonly retry: Schedule.Schedule<unknown, HttpClientError.HttpClientError>
  readonly idempotent: (request: HttpClientRequest.HttpClientRequest) => boolean
  readonly timeout: Option.Option<Duration.Duration>
  readonly maximumRetryAfter: Duration.Duration
  /** Whether each call runs in its own `BearerHttpClient.execute` span. */
  readonly span: boolean
}

/** @internal */
export const defaultRetry: Schedule.Schedule<unknown, HttpClientError.HttpClientError> = Schedule.exponential(
  "200 millis"
).pipe(Schedule.jittered, Schedule.intersect(Schedule.recurs(3)))

/** RFC 9110 §9.2.2: requests with these methods may be sent again without a new effect (the kernel's `RetrySafety`). */
const isIdempotentMethod = (request: HttpClientRequest.HttpClientRequest) => RetrySafety.isIdempotentMethod(request.method)

/** @internal */
export const validate = (
  options: Options
): Effect.Effect<Settings, TokenError.InvalidConfiguration | TokenError.WrongHost> => {
  const origins = TokenDestination.checkOrigins(options.origins)
  if (origins._tag === "InvalidConfiguration") {
    return Effect.fail(new TokenError.InvalidConfiguration({ setting: origins.setting, problem: origins.problem }))
  }
  if (origins._tag === "Insecure") {
    return Effect.fail(new TokenError.WrongHost({ endpoint: origins.origin, reason: "InsecureEndpoint" }))
  }
  const timeout = Duration.decode(options.timeout ?? Duration.infinity)
  if (!Duration.greaterThan(timeout, Duration.zero)) {
    return Effect.fail(new TokenError.InvalidConfiguration({ setting: "timeout", problem: "must be longer than zero" }))
  }
  return Effect.succeed({
    destinations: origins.destinations,
    onForeignOrigin: options.onForeignOrigin ?? "sendWithoutToken",
    retry: options.retry ?? defaultRetry,
    idempotent: options.idempotent ?? isIdempotentMethod,
    timeout: Duration.isFinite(timeout) ? Option.some(timeout) : Option.none(),
    maximumRetryAfter: Duration.decode(options.maximumRetryAfter ?? TokenRetry.maximumRetryAfter),
    span: options.span ?? false
  })
}
