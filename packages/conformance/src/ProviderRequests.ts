/**
 * Each provider's first token request against the local provider server, as the server
 * records it, and the token it gets: the wire contract every line's provider module must
 * speak. Plain data: each line's `Requests.test.ts` makes the provider with the server's
 * credentials, gets a token, and compares the recorded request and the token. In `request`,
 * `$clientId`, `$clientSecret`, `$username`, `$password` stand for the server's credentials
 * of the provider, and `$basic` for RFC 7617's `Basic base64(id:secret)` of them as they are
 * (the `curl -u` header).
 */

import type { Expect } from "./Expect.js"

/** The providers' ids, as their records name them. */
export type ProviderId = "up42-project" | "up42-account" | "bitquery" | "hydrosat"

/** One provider's first request and token. */
export interface Row {
  readonly provider: ProviderId
  readonly request: {
    readonly method: string
    readonly url: string
    /** The form body exactly, when the row pins it. */
    readonly form?: Readonly<Record<string, string>> | undefined
    /** The raw body, when the row pins it. */
    readonly body?: string | undefined
    /** Header values; `null` for a header that must be absent. */
    readonly headers: Readonly<Record<string, string | null>>
  }
  readonly token: {
    readonly lifetimeSource: "expires_in" | "jwt" | "default"
    readonly lifetimeSeconds: number
    /** The token type as the library normalises it, where the row pins it (Bitquery sends `bearer`). */
    readonly tokenType?: string | undefined
    /** The granted scope the token carries, when the provider returns one. */
    readonly scope?: string | undefined
    /** A pattern of the token's value, where the provider's tokens have a recognisable shape. */
    readonly pattern?: RegExp | undefined
    /** How long after its issue the refresh token expires, where the provider gives one. */
    readonly refreshSeconds?: number | undefined
  }
}

const form = "application/x-www-form-urlencoded"

/** The rows. */
export const table: ReadonlyArray<Row> = [
  {
    provider: "hydrosat",
    request: {
      method: "POST",
      url: "/hydrosat/oauth2/token",
      form: { client_id: "$clientId", client_secret: "$clientSecret", grant_type: "client_credentials" },
      headers: { "content-type": form, authorization: null }
    },
    token: { lifetimeSource: "expires_in", lifetimeSeconds: 3600 }
  },
  {
    provider: "bitquery",
    request: {
      method: "POST",
      url: "/bitquery/oauth2/token",
      form: { grant_type: "client_credentials", client_id: "$clientId", client_secret: "$clientSecret", scope: "api" },
      headers: { "content-type": form, authorization: null }
    },
    token: { lifetimeSource: "expires_in", lifetimeSeconds: 2627999, tokenType: "Bearer", scope: "api", pattern: /^ory_at_/ }
  },
  {
    provider: "up42-project",
    request: {
      method: "POST",
      url: "/up42/oauth/token",
      body: "grant_type=client_credentials",
      headers: { "content-type": form, authorization: "$basic", accept: "application/json" }
    },
    token: { lifetimeSource: "jwt", lifetimeSeconds: 300 }
  },
  {
    provider: "up42-account",
    request: {
      method: "POST",
      url: "/up42-account/realms/public/protocol/openid-connect/token",
      form: { username: "$username", password: "$password", grant_type: "password", client_id: "up42-api" },
      headers: { "content-type": form, authorization: null }
    },
    token: { lifetimeSource: "expires_in", lifetimeSeconds: 300, scope: "ACCOUNT_ADMIN USER", refreshSeconds: 1800 }
  }
]

/** A value of the row with the placeholders filled in from the provider's credentials. */
export const filled = (value: string, credentials: Readonly<Record<string, string>>): string =>
  value.startsWith("$") ? credentials[value.slice(1)] ?? value : value

/** A request as the local provider server records it. */
export interface Recorded {
  readonly method: string
  readonly url: string
  readonly status: number
  readonly body: string
  readonly form: Readonly<Record<string, string>>
  readonly headers: Readonly<Record<string, string | undefined>>
}

/** A token as each line reads it out of its `AccessToken` (times in milliseconds). */
export interface Token {
  readonly value: string
  readonly tokenType: string
  readonly lifetimeSource: string
  readonly lifetimeSeconds: number
  readonly scope: string | undefined
  readonly issuedAt: number
  readonly refreshExpiresAt: number | undefined
}

/** Checks the first request the server recorded, the token it gave and the API's answer to it, against the row. */
export const check = (
  expect: Expect,
  row: Row,
  sent: { readonly request: Recorded | undefined; readonly token: Token; readonly apiStatus: number },
  credentials: Readonly<Record<string, string>>
): void => {
  const { request, token } = sent
  const fill = (value: string) => filled(value, credentials)
  expect(request).toMatchObject({ method: row.request.method, url: row.request.url, status: 200 })
  if (row.request.form !== undefined) {
    expect(request?.form).toEqual(Object.fromEntries(Object.entries(row.request.form).map(([key, value]) => [key, fill(value)])))
  }
  if (row.request.body !== undefined) expect(request?.body).toBe(row.request.body)
  for (const [name, value] of Object.entries(row.request.headers)) {
    expect(request?.headers[name]).toBe(value === null ? undefined : fill(value))
  }
  expect(token.lifetimeSource).toBe(row.token.lifetimeSource)
  expect(token.lifetimeSeconds).toBe(row.token.lifetimeSeconds)
  if (row.token.tokenType !== undefined) expect(token.tokenType).toBe(row.token.tokenType)
  if (row.token.scope !== undefined) expect(token.scope).toBe(row.token.scope)
  if (row.token.pattern !== undefined) expect(token.value).toMatch(row.token.pattern)
  if (row.token.refreshSeconds !== undefined) {
    expect(token.refreshExpiresAt).toBe(token.issuedAt + row.token.refreshSeconds * 1000)
  }
  expect(sent.apiStatus).toBe(200)
}

/** Whether the provider's API is GraphQL (one POST) rather than a REST resource (GET). */
export const apiMethod = (provider: string): "GET" | "POST" => provider === "bitquery" ? "POST" : "GET"
