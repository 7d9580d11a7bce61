/**
 * The oauth2-mock-server 7.2.1 conformance suite, written once for both lines: a third-party token
 * endpoint that speaks the password and refresh_token grants: the exact grant each request used,
 * refresh-token rotation by `TokenSource.fromEndpoint`, the fall back to the password grant when a
 * refresh token is refused or expired, and the provider's background renewal with refresh tokens
 * on the test clock. Each line runs the cases through {@link Library}, a promise view of its own
 * library, against a server from `MockOAuth2Server`.
 */
import * as Jwt from "@effect-bearer/kernel/Jwt"
import type { Expect } from "./Expect.js"
import type { Token } from "./Token.js"
import { defaultLifetimeSeconds, type MockOAuth2Server } from "./MockOAuth2Server.js"

export type { Expect } from "./Expect.js"
export type { Token } from "./Token.js"


/** The grant of a request. */
export type Grant =
  | { readonly _tag: "ClientCredentials" }
  | { readonly _tag: "Password"; readonly username: string; readonly password: string }
  | { readonly _tag: "RefreshToken"; readonly refreshToken: string }

/** What the cases use of a line's library; every request authenticates with {@link client} (client_secret_basic). */
export interface Library {
  /** `TokenEndpoint.make` + `requestToken`. */
  readonly requestToken: (options: { readonly url: string; readonly scope?: ReadonlyArray<string> }, grant: Grant) => Promise<Token>
  /** `TokenSource.fromEndpoint`: its `fetch`, given the previous token (or none). */
  readonly source: (url: string, grant: Grant) => Promise<{ readonly fetch: (previous: Token | undefined) => Promise<Token> }>
  /** `TokenProvider.fromEndpoint` with a background refresh at `at` of each lifetime, without jitter; closed by `close`. */
  readonly provider: (options: { readonly url: string; readonly grant: Grant; readonly refreshAt: number }) => Promise<{
    readonly get: () => Promise<Token>
    readonly close: () => Promise<void>
  }>
  /** Moves the clock the library runs on (`TestClock.adjust`). */
  readonly adjustClock: (millis: number) => Promise<void>
}

/** The client every request authenticates as. */
export const client = { clientId: "mock-client", clientSecret: "mock-secret" } as const

/** One case, on the test clock, against the shared server (reset before each). */
export interface Case {
  readonly name: string
  readonly run: (library: Library, server: MockOAuth2Server, expect: Expect) => Promise<void>
}

const username = "someone@example.com"
const password = "pass word:+%"
const passwordGrant: Grant = { _tag: "Password", username, password }

/** Waits until `condition` holds, polling on the real clock, for at most 5 s. */
const eventually = async (condition: () => boolean | Promise<boolean>): Promise<void> => {
  const deadline = Date.now() + 5_000
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met within 5 s of real time")
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

const failureOf = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error)

/** The cases. */
export const cases: ReadonlyArray<Case> = [
  {
    name: "password grant: a JWT access token and a refresh token; the server saw the username and password",
    run: async (library, server, expect) => {
      const token = await library.requestToken({ url: server.tokenUrl }, passwordGrant)
      expect(token.lifetimeSource).toBe("expires_in")
      expect(token.expiresAt - token.issuedAt).toBe(defaultLifetimeSeconds * 1000)
      expect(token.refreshToken).toBeDefined()
      expect(Jwt.decodeClaims(token.value)?.["sub"]).toBe(username)
      const [request] = server.requests()
      expect(request?.form).toMatchObject({ grant_type: "password", username, password })
      expect(request?.authorization).toBe(`Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString("base64")}`)
    }
  },
  {
    name: "refresh_token grant: a new access token for the refresh token sent",
    run: async (library, server, expect) => {
      const first = await library.requestToken({ url: server.tokenUrl }, passwordGrant)
      const refreshToken = first.refreshToken!
      const second = await library.requestToken({ url: server.tokenUrl }, { _tag: "RefreshToken", refreshToken })
      expect(second.value).not.toBe(first.value)
      const forms = server.requests().map((request) => request.form)
      expect(forms[0]?.["grant_type"]).toBe("password")
      expect(forms[1]).toEqual({ grant_type: "refresh_token", refresh_token: refreshToken })
    }
  },
  {
    name: "TokenSource.fromEndpoint renews with the previous token's refresh token, then with the rotated one",
    run: async (library, server, expect) => {
      const source = await library.source(server.tokenUrl, passwordGrant)
      const first = await source.fetch(undefined)
      const second = await source.fetch(first)
      const third = await source.fetch(second)
      expect(server.grantTypes()).toEqual(["password", "refresh_token", "refresh_token"])
      const [, secondRequest, thirdRequest] = server.requests()
      expect(secondRequest?.form["refresh_token"]).toBe(first.refreshToken)
      expect(thirdRequest?.form["refresh_token"]).toBe(second.refreshToken)
      expect(third.refreshToken).toBe(server.refreshTokens()[2])
    }
  },
  {
    name: "a refused refresh token: TokenSource.fromEndpoint falls back to the password grant without an error",
    run: async (library, server, expect) => {
      const source = await library.source(server.tokenUrl, passwordGrant)
      const first = await source.fetch(undefined)
      server.behave({ refuseRefreshTokens: true })
      await source.fetch(first)
      expect(server.grantTypes()).toEqual(["password", "refresh_token", "password"])
    }
  },
  {
    name: "an expired refresh token (refresh_expires_in) is not even sent: the password grant is used",
    run: async (library, server, expect) => {
      server.behave({ expiresIn: 300, refreshExpiresIn: 1800 })
      const source = await library.source(server.tokenUrl, passwordGrant)
      const first = await source.fetch(undefined)
      await library.adjustClock(1_800_000)
      await source.fetch(first)
      expect(server.grantTypes()).toEqual(["password", "password"])
    }
  },
  {
    name: "a source holding only a refresh token that is refused → Expired (RefreshToken)",
    run: async (library, server, expect) => {
      server.behave({ refuseRefreshTokens: true })
      const source = await library.source(server.tokenUrl, { _tag: "RefreshToken", refreshToken: "stale" })
      const error = await failureOf(source.fetch(undefined))
      expect(error).toMatchObject({ _tag: "Expired", reason: "RefreshToken", status: 400, error: "invalid_grant", endpoint: server.tokenUrl })
    }
  },
  {
    name: "TokenProvider on the test clock: 60 s tokens renewed in the background with the refresh token, then the password when refused",
    run: async (library, server, expect) => {
      server.behave({ expiresIn: 60 })
      const provider = await library.provider({ url: server.tokenUrl, grant: passwordGrant, refreshAt: 0.8 })
      try {
        const first = await provider.get()
        // Renewals at 48 s and 96 s use the refresh token, while the current token is served.
        for (const count of [2, 3]) {
          await library.adjustClock(48_000)
          await eventually(() => server.grantTypes().length === count)
        }
        expect(server.grantTypes()).toEqual(["password", "refresh_token", "refresh_token"])
        await eventually(async () => (await provider.get()).value !== first.value)
        server.behave({ expiresIn: 60, refuseRefreshTokens: true })
        await library.adjustClock(48_000)
        await eventually(() => server.grantTypes().length === 5)
        expect(server.grantTypes()).toEqual(["password", "refresh_token", "refresh_token", "refresh_token", "password"])
      } finally {
        await provider.close()
      }
    }
  },
  {
    name: "client_credentials with scope: the scope the server granted is on the token",
    run: async (library, server, expect) => {
      const token = await library.requestToken({ url: server.tokenUrl, scope: ["read", "write"] }, { _tag: "ClientCredentials" })
      expect(token.scope).toBe("read write")
      const [request] = server.requests()
      expect(request?.form).toEqual({ grant_type: "client_credentials", scope: "read write" })
    }
  }
]
