/**
 * `TokenSource.fromEndpoint` against a server that rotates refresh tokens, written once for both
 * lines: the grant first, renewal with the previous token's refresh token (RFC 6749 §6), each
 * refresh token sent at most once, a kept refresh token, the fallbacks, `refresh_expires_in`,
 * and revocation (RFC 7009). A line serves {@link rotatingServer}'s answers from its real token
 * server, builds the source over `TokenEndpoint.make` (public client `app`, a revocation URL at
 * `/revoke` when the case has one) and the case's grant, and runs {@link run} through
 * {@link Source}, a promise view that keeps the tokens it fetched by their index.
 */
import type { Expect } from "./Expect.js"
import { type GrantKind, initialRefreshToken } from "./RefreshTokenCases.js"
import type { Answer } from "./TokenEndpointAnswers.js"

export type { Expect } from "./Expect.js"

/** What the server answers to a `refresh_token` grant: a rotated refresh token, none (keep yours), or a refusal. */
export type OnRefresh = "rotate" | "keep" | "refuse"

/** The server's behaviour. */
export interface ServerOptions {
  readonly onRefresh?: OnRefresh
  /** `refresh_expires_in` of each answer, when given. */
  readonly refreshExpiresIn?: number
}

/** A server issuing `access-N` (300 s) with `refresh-N`, or what `onRefresh` says; `/revoke` answers 200. */
export const rotatingServer = (options: ServerOptions): { readonly answer: (path: string, form: URLSearchParams) => Answer } => {
  let issued = 0
  return {
    answer: (path, form) => {
      if (path === "/revoke") return { status: 200 }
      const refreshing = form.get("grant_type") === "refresh_token"
      if (refreshing && options.onRefresh === "refuse") {
        return { status: 400, json: { error: "invalid_grant", error_description: "Token is not active" } }
      }
      const n = ++issued
      return {
        status: 200,
        json: {
          access_token: `access-${n}`,
          token_type: "Bearer",
          expires_in: 300,
          ...(refreshing && options.onRefresh === "keep" ? {} : { refresh_token: `refresh-${n}` }),
          ...(options.refreshExpiresIn !== undefined ? { refresh_expires_in: options.refreshExpiresIn } : {})
        }
      }
    }
  }
}

/** The source's grant (a password grant, or `Grant.refreshToken(initialRefreshToken)` alone), as the provider's cases name it. */
export { type GrantKind, initialRefreshToken } from "./RefreshTokenCases.js"

/**
 * A step: a fetch given the token fetched at index `previous` (none when absent), checked for its
 * value and refresh token; a fetch that fails; a move of the TestClock; a revocation of a fetched token.
 */
export type Step =
  | { readonly _tag: "Fetch"; readonly previous?: number; readonly value?: string; readonly refreshToken?: string }
  | { readonly _tag: "FetchFails"; readonly error: object }
  | { readonly _tag: "Advance"; readonly seconds: number }
  | { readonly _tag: "Revoke"; readonly token: number }

/** One case. */
export interface Case {
  readonly name: string
  readonly grant: GrantKind
  readonly server: ServerOptions
  /** Whether the endpoint has a revocation URL. */
  readonly revocation?: boolean
  readonly steps: ReadonlyArray<Step>
  /** The source's `grantType`, and whether its name is the token endpoint's host. */
  readonly grantType?: string
  readonly namedAfterHost?: boolean
  /** Whether the source can revoke. */
  readonly canRevoke?: boolean
  /** Each token request's `[grant_type, refresh_token]`. */
  readonly grants?: ReadonlyArray<readonly [string | null, string | null]>
  /** Each revocation request's `[token, token_type_hint]`. */
  readonly revocations?: ReadonlyArray<readonly [string | null, string | null]>
}

/** A fetched token: its value and its refresh token's (`undefined` when none). */
export interface Fetched {
  readonly value: string
  readonly refreshToken: string | undefined
}

/** The line's source, each call run to a promise; `previous` is a token an earlier `fetch` gave. */
export interface Source<Token> {
  readonly name: string
  readonly grantType: string
  readonly tokenUrl: string
  readonly canRevoke: boolean
  readonly fetch: (previous: Token | undefined) => Promise<{ readonly _tag: "Token"; readonly token: Token; readonly fetched: Fetched } | { readonly _tag: "Failed"; readonly error: unknown }>
  readonly revoke: (token: Token) => Promise<void>
  readonly advance: (seconds: number) => Promise<void>
  /** Each request the server saw: its path and form. */
  readonly requests: () => Promise<ReadonlyArray<{ readonly path: string; readonly form: URLSearchParams }>>
}

/** Runs `row` through `source`. */
export const run = async <Token>(row: Case, source: Source<Token>, expect: Expect): Promise<void> => {
  if (row.grantType !== undefined) expect(source.grantType).toBe(row.grantType)
  if (row.namedAfterHost === true) expect(source.name).toBe(new URL(source.tokenUrl).host)
  if (row.canRevoke !== undefined) expect(source.canRevoke).toBe(row.canRevoke)
  const fetched: Array<Token> = []
  for (const step of row.steps) {
    switch (step._tag) {
      case "Fetch": {
        const got = await source.fetch(step.previous === undefined ? undefined : fetched[step.previous])
        expect(got._tag).toBe("Token")
        if (got._tag !== "Token") return
        fetched.push(got.token)
        if (step.value !== undefined) expect(got.fetched.value).toBe(step.value)
        if (step.refreshToken !== undefined) expect(got.fetched.refreshToken).toBe(step.refreshToken)
        break
      }
      case "FetchFails": {
        const got = await source.fetch(undefined)
        expect(got._tag).toBe("Failed")
        if (got._tag === "Failed") expect(got.error).toMatchObject(step.error)
        break
      }
      case "Advance":
        await source.advance(step.seconds)
        break
      case "Revoke":
        await source.revoke(fetched[step.token]!)
    }
  }
  const requests = await source.requests()
  const tokenRequests = requests.filter((request) => request.path !== "/revoke")
  if (row.grants !== undefined) {
    expect(tokenRequests.map((request) => [request.form.get("grant_type"), request.form.get("refresh_token")])).toEqual(row.grants)
  }
  if (row.revocations !== undefined) {
    const revocations = requests.filter((request) => request.path === "/revoke")
    expect(revocations.map((request) => [request.form.get("token"), request.form.get("token_type_hint")])).toEqual(row.revocations)
  }
}

const expired: Step = { _tag: "FetchFails", error: { _tag: "Expired", reason: "RefreshToken" } }

/** The cases. */
export const cases: ReadonlyArray<Case> = [
  {
    name: "sends the grant first, named after the endpoint's host",
    grant: "password",
    server: {},
    grantType: "password",
    namedAfterHost: true,
    steps: [{ _tag: "Fetch", value: "access-1" }],
    grants: [["password", null]]
  },
  {
    name: "renews with the previous token's refresh token, then with the rotated one",
    grant: "password",
    server: {},
    steps: [
      { _tag: "Fetch", refreshToken: "refresh-1" },
      { _tag: "Fetch", previous: 0, refreshToken: "refresh-2" },
      { _tag: "Fetch", previous: 1, refreshToken: "refresh-3" }
    ],
    grants: [["password", null], ["refresh_token", "refresh-1"], ["refresh_token", "refresh-2"]]
  },
  {
    name: "sends a refresh token at most once: the same previous token again gets the original grant",
    grant: "password",
    server: {},
    steps: [{ _tag: "Fetch" }, { _tag: "Fetch", previous: 0 }, { _tag: "Fetch", previous: 0, value: "access-3" }],
    grants: [["password", null], ["refresh_token", "refresh-1"], ["password", null]]
  },
  {
    name: "keeps the refresh token when the answer carries none (RFC 6749 §6), and sends it again next time",
    grant: "password",
    server: { onRefresh: "keep" },
    steps: [{ _tag: "Fetch" }, { _tag: "Fetch", previous: 0, refreshToken: "refresh-1" }, { _tag: "Fetch", previous: 1 }],
    grants: [["password", null], ["refresh_token", "refresh-1"], ["refresh_token", "refresh-1"]]
  },
  {
    name: "falls back to the original grant when the refresh token is refused",
    grant: "password",
    server: { onRefresh: "refuse" },
    steps: [{ _tag: "Fetch" }, { _tag: "Fetch", previous: 0, value: "access-2" }],
    grants: [["password", null], ["refresh_token", "refresh-1"], ["password", null]]
  },
  {
    name: "does not send a refresh token past its refresh_expires_in",
    grant: "password",
    server: { refreshExpiresIn: 200 },
    steps: [{ _tag: "Fetch" }, { _tag: "Advance", seconds: 200 }, { _tag: "Fetch", previous: 0 }],
    grants: [["password", null], ["password", null]]
  },
  {
    name: "with Grant.refreshToken, a refused refresh token is Expired and never sent again",
    grant: "refreshOnly",
    server: { onRefresh: "refuse" },
    grantType: "refresh_token",
    steps: [expired, expired],
    grants: [["refresh_token", initialRefreshToken]]
  },
  {
    name: "revokes nothing without a revocation endpoint",
    grant: "password",
    server: {},
    canRevoke: false,
    steps: []
  },
  {
    name: "revokes the refresh token, then the access token (RFC 7009)",
    grant: "password",
    server: {},
    revocation: true,
    canRevoke: true,
    steps: [{ _tag: "Fetch" }, { _tag: "Revoke", token: 0 }],
    revocations: [["refresh-1", "refresh_token"], ["access-1", "access_token"]]
  }
]
