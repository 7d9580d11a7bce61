/**
 * The bearer client's options, checked and normalised once when the client is made, so
 * that no request pays for them. The origins are the kernel's (`TokenDestination`), which
 * also words what is wrong with one, never repeating its value.
 */
import * as RetrySafety from "@effect-bearer/kernel/RetrySafety"
import * as TokenDestination from "@effect-bearer/kernel/TokenDestination"
import { Duration, Effect, Schedule } from "effect"
import type { HttpClientError, HttpClientRequest } from "effect/http"
import type { Options } from "../../BearerHttpClient.js"
import * as TokenError from "../../TokenError.js"
import * as TokenRetry from "../../TokenRetry.js"

/** Options, checked and normalised once when the client is made. */
export interface Settings {
  readonly destinations: TokenDestination.Destinations
  readonly onForeignOrigin: "sendWithoutToken" | "fail"
  readonly retry: Schedule.Schedule<unknown, HttpClientError.HttpClientError>
  readonly idempotent: (request: HttpClientRequest.HttpClientRequest) => boolean
  /** `undefined` for none: no fiber race per request. */
  readonly timeout: Duration.Duration | undefined
  readonly maximumRetryAfter: Duration.Duration
  /** Whether each call runs in its own `BearerHttpClient.execute` span. */
  readonly span: boolean
}

/** @internal */
export const defaultRetry: Schedule.Schedule<unknown, HttpClientError.HttpClientError> = Schedule.exponential(
  "200 millis"
).pipe(Schedule.jittered, Schedule.upTo({ times: 3 }))

const byMethod = (request: HttpClientRequest.HttpClientRequest) => RetrySafety.isIdempotentMethod(request.method)

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
  const timeout = options.timeout === undefined ? undefined : Duration.fromInputUnsafe(options.timeout)
  if (timeout !== undefined && !Duration.isGreaterThan(timeout, Duration.zero)) {
    return Effect.fail(new TokenError.InvalidConfiguration({ setting: "timeout", problem: "must be longer than zero" }))
  }
  return Effect.succeed({
    destinations: origins.destinations,
    onForeignOrigin: options.onForeignOrigin ?? "sendWithoutToken",
    retry: options.retry ?? defaultRetry,
    idempotent: options.idempotent ?? byMethod,
    timeout: timeout !== undefined && Duration.isFinite(timeout) ? timeout : undefined,
    maximumRetryAfter: Duration.fromInputUnsafe(options.maximumRetryAfter ?? TokenRetry.maximumRetryAfter),
    span: options.span ?? false
  })
}
