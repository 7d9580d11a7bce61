/**
 * The bearer client's options, checked and normalised once when the client is made, so
 * that no request pays for them. The origin rules are the kernel's (`Origin.check`); the
 * messages name the setting, never its value (an origin may hold credentials).
 */
import * as Origin from "@effect-bearer/kernel/Origin"
import * as RetrySafety from "@effect-bearer/kernel/RetrySafety"
import { Duration, Effect, Schedule } from "effect"
import type { HttpClientError, HttpClientRequest } from "effect/http"
import type { Options } from "../../BearerHttpClient.js"
import * as TokenError from "../../TokenError.js"
import * as TokenRetry from "../../TokenRetry.js"

/** Options, checked and normalised once when the client is made. */
export interface Settings {
  /** The origins the token is for. */
  readonly allowList: Origin.AllowList
  /** Each allowed origin followed by `/`: a URL string that starts with one is for that origin. */
  readonly originPrefixes: ReadonlyArray<string>
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

const isIdempotentRequest = (request: HttpClientRequest.HttpClientRequest) => RetrySafety.isIdempotentMethod(request.method)

const invalidConfiguration = (setting: string, problem: string) =>
  Effect.fail(new TokenError.InvalidConfiguration({ setting, problem }))

/** One configured origin, by the kernel's rules; the value itself is never repeated. */
const checkOrigin = (
  origin: string,
  setting: string
): Effect.Effect<URL, TokenError.InvalidConfiguration | TokenError.WrongHost> => {
  const checked = Origin.check(origin)
  switch (checked._tag) {
    case "Accepted":
      return Effect.succeed(checked.url)
    case "InvalidUrl":
      return invalidConfiguration(setting, "is not an absolute URL; write an origin such as https://api.example.com")
    case "UnsupportedScheme":
      return invalidConfiguration(setting, `uses ${checked.url.protocol}; an origin is https://host[:port]`)
    case "NotAnOrigin":
      return invalidConfiguration(
        setting,
        `must be an origin only (scheme, host and port, no path or query), e.g. ${checked.url.origin}`
      )
    case "Insecure":
      return Effect.fail(new TokenError.WrongHost({ endpoint: checked.url.origin, reason: "InsecureEndpoint" }))
  }
}

/** @internal */
export const validate = (
  options: Options
): Effect.Effect<Settings, TokenError.InvalidConfiguration | TokenError.WrongHost> =>
  Effect.gen(function*() {
    if (options.origins.length === 0) {
      return yield* invalidConfiguration("origins", "list at least one origin the token is for, e.g. https://api.example.com")
    }
    const accepted: Array<URL> = []
    for (const [index, origin] of options.origins.entries()) {
      accepted.push(yield* checkOrigin(origin, `origins[${index}]`))
    }
    const timeout = Duration.fromInputUnsafe(options.timeout ?? Duration.infinity)
    if (!Duration.isGreaterThan(timeout, Duration.zero)) {
      return yield* invalidConfiguration("timeout", "must be longer than zero")
    }
    const allowList = Origin.allowList(accepted)
    return {
      allowList,
      originPrefixes: Array.from(allowList.origins, (origin) => `${origin}/`),
      onForeignOrigin: options.onForeignOrigin ?? "sendWithoutToken",
      retry: options.retry ?? defaultRetry,
      idempotent: options.idempotent ?? isIdempotentRequest,
      timeout: Duration.isFinite(timeout) ? timeout : undefined,
      maximumRetryAfter: Duration.fromInputUnsafe(options.maximumRetryAfter ?? TokenRetry.maximumRetryAfter),
      span: options.span ?? false
    }
  })
