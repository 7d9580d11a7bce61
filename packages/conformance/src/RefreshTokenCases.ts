/**
 * How a token provider uses refresh tokens, written once for both lines: it uses a refresh token
 * and its rotation while they live, falls back to the password grant when one expired or was
 * refused, and sends each refresh token at most once (RFC 6749 §6, RFC 9700 §4.14.2 reuse
 * detection). A line serves {@link rotatingServer}'s answers from its real token server, builds
 * its provider with the row's grant (no background refresh), and runs {@link run} through
 * {@link Provider}, a promise view moving its TestClock.
 */
import type { Expect } from "./Expect.js"
import type { Answer } from "./TokenEndpointAnswers.js"

export type { Expect } from "./Expect.js"

/** What the rotating server does with refresh tokens. */
export interface ServerOptions {
  /** `refresh_expires_in` of each answer (Keycloak's lifetime of the refresh token), when given. */
  readonly refreshExpiresIn?: number
  /**
   * Refresh tokens it refuses with `invalid_grant`: a list (reuse detection; a refusal issues
   * nothing), or every refresh token (Keycloak, which counts a refused request too).
   */
  readonly refuse?: ReadonlyArray<string> | "every refresh token"
  /** Refresh tokens answered 503 the first time they are presented. */
  readonly failOnce?: ReadonlyArray<string>
}

/** A server issuing `access-N` with `refresh-N` (300 s tokens), refusing or failing refresh tokens as `options` says. */
export const rotatingServer = (options: ServerOptions): { readonly answer: (form: URLSearchParams) => Answer } => {
  let issued = 0
  const failed = new Set<string>()
  return {
    answer: (form) => {
      const presented = form.get("refresh_token")
      const refused = options.refuse === "every refresh token" || (options.refuse ?? []).includes(presented ?? "")
      if (presented !== null && refused) {
        if (options.refuse === "every refresh token") issued++
        return { status: 400, json: { error: "invalid_grant", error_description: "Token is not active" } }
      }
      if (presented !== null && (options.failOnce ?? []).includes(presented) && !failed.has(presented)) {
        failed.add(presented)
        return { status: 503, json: { error: "server_error" } }
      }
      const n = ++issued
      return {
        status: 200,
        json: {
          access_token: `access-${n}`,
          token_type: "Bearer",
          expires_in: 300,
          refresh_token: `refresh-${n}`,
          ...(options.refreshExpiresIn !== undefined ? { refresh_expires_in: options.refreshExpiresIn } : {})
        }
      }
    }
  }
}

/** The provider's grant: a password grant (`me@example.com`/`pw`), or `Grant.refreshToken("refresh-0")` alone. */
export type GrantKind = "password" | "refreshOnly"

/** The initial refresh token of a `refreshOnly` grant. */
export const initialRefreshToken = "refresh-0"

/** One step: a get whose token value (or failure's fields) is checked, or a move of the clock. */
export type Step =
  | { readonly _tag: "Get"; readonly value?: string }
  | { readonly _tag: "GetFails"; readonly error: object }
  | { readonly _tag: "Advance"; readonly seconds: number }

/** One case: the grant, the server, the steps, and the requests the server must have seen. */
export interface Case {
  readonly name: string
  readonly grant: GrantKind
  readonly server: ServerOptions
  readonly steps: ReadonlyArray<Step>
  /** Each request's `[grant_type, refresh_token]`. */
  readonly grants?: ReadonlyArray<readonly [string | null, string | null]>
  /** Each request's `grant_type`. */
  readonly grantTypes?: ReadonlyArray<string | null>
  /** The refresh tokens sent, in order. */
  readonly refreshTokens?: ReadonlyArray<string | null>
}

/** The line's provider and token server, each call run to a promise. */
export interface Provider {
  /** `provider.get`: the token's value, or the error it failed with. */
  readonly get: () => Promise<{ readonly _tag: "Token"; readonly value: string } | { readonly _tag: "Failed"; readonly error: unknown }>
  /** Moves the TestClock by `seconds`. */
  readonly advance: (seconds: number) => Promise<void>
  /** The form of each request the server received. */
  readonly requests: () => Promise<ReadonlyArray<URLSearchParams>>
}

/** Runs `row` through `provider`. */
export const run = async (row: Case, provider: Provider, expect: Expect): Promise<void> => {
  for (const step of row.steps) {
    if (step._tag === "Advance") {
      await provider.advance(step.seconds)
      continue
    }
    const got = await provider.get()
    if (step._tag === "GetFails") {
      expect(got._tag).toBe("Failed")
      if (got._tag === "Failed") expect(got.error).toMatchObject(step.error)
    } else {
      expect(got._tag).toBe("Token")
      if (step.value !== undefined && got._tag === "Token") expect(got.value).toBe(step.value)
    }
  }
  const forms = await provider.requests()
  if (row.grants !== undefined) expect(forms.map((form) => [form.get("grant_type"), form.get("refresh_token")])).toEqual(row.grants)
  if (row.grantTypes !== undefined) expect(forms.map((form) => form.get("grant_type"))).toEqual(row.grantTypes)
  if (row.refreshTokens !== undefined) {
    expect(forms.filter((form) => form.get("grant_type") === "refresh_token").map((form) => form.get("refresh_token"))).toEqual(row.refreshTokens)
  }
}

const get = (value?: string): Step => value === undefined ? { _tag: "Get" } : { _tag: "Get", value }
/** Five seconds before a 300 s token's end, past its renewal. */
const nearExpiry: Step = { _tag: "Advance", seconds: 295 }
const expired: Step = { _tag: "GetFails", error: { _tag: "Expired", reason: "RefreshToken" } }

/** With refresh tokens: rotation, and the fallbacks to the password grant. */
export const withRefreshTokens: ReadonlyArray<Case> = [
  {
    name: "uses the refresh token and its rotation while they live",
    grant: "password",
    server: { refreshExpiresIn: 1800 },
    steps: [get(), nearExpiry, get(), nearExpiry, get("access-3")],
    grants: [["password", null], ["refresh_token", "refresh-1"], ["refresh_token", "refresh-2"]]
  },
  {
    name: "falls back to the password grant once the refresh token expired, without a refresh attempt",
    grant: "password",
    server: { refreshExpiresIn: 200 },
    steps: [get(), nearExpiry, get("access-2")],
    grants: [["password", null], ["password", null]]
  },
  {
    name: "falls back to the password grant when the refresh token is refused",
    grant: "password",
    server: { refreshExpiresIn: 1800, refuse: "every refresh token" },
    steps: [get(), nearExpiry, get("access-3")],
    grants: [["password", null], ["refresh_token", "refresh-1"], ["password", null]]
  }
]

/** A refresh token is sent at most once (the 503-then-retry case needs each line's fiber control and stays per line). */
export const atMostOnce: ReadonlyArray<Case> = [
  {
    name: "with Grant.refreshToken(rt0), a refused rotated rt1 is Expired and rt0 is never sent again",
    grant: "refreshOnly",
    server: { refuse: ["refresh-1"] },
    steps: [get("access-1"), nearExpiry, expired, expired],
    refreshTokens: ["refresh-0", "refresh-1"]
  },
  {
    name: "with Grant.refreshToken(rt0), an expired refresh_expires_in is Expired without sending rt0 again",
    grant: "refreshOnly",
    server: { refreshExpiresIn: 200 },
    steps: [get("access-1"), nearExpiry, expired],
    refreshTokens: ["refresh-0"]
  },
  {
    name: "with a password grant and rotation, a refused refresh token falls back to the password, never to an older refresh token",
    grant: "password",
    server: { refuse: ["refresh-2"] },
    steps: [get(), nearExpiry, get("access-2"), nearExpiry, get("access-3"), nearExpiry, get("access-4")],
    grantTypes: ["password", "refresh_token", "refresh_token", "password", "refresh_token"],
    refreshTokens: ["refresh-1", "refresh-2", "refresh-3"]
  }
]
