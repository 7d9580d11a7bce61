/**
 * What each provider's token endpoint (the local provider server) refuses, and the error a
 * token request must fail with: its tag, its fields and the provider's hint in its message,
 * never the secret sent. Plain data: each line's `Refusals.test.ts` makes the provider with
 * the server's credentials and the row's `change`, asks for a token and compares. `$clientId`
 * and `$tokenUrl` in `error` stand for the client id and token URL the request used.
 */

import type { Expect } from "./Expect.js"
import * as PrintedForms from "./PrintedForms.js"

/** The providers' ids, as their records name them. */
export type ProviderId = "up42-project" | "up42-account" | "bitquery" | "hydrosat"

/** What a row changes in the provider's options, from the server's own. */
export interface Change {
  /** Replaces the secret (client secret, project API key or password). */
  readonly secret?: string | undefined
  /** Replaces the token URL's path on the server: the wrong-host mistake. */
  readonly tokenPath?: string | undefined
  /** The `scope` option. */
  readonly scope?: string | undefined
}

/** One refusal and the error it must become. */
export interface Row {
  readonly name: string
  readonly provider: ProviderId
  readonly change: Change
  readonly error: Readonly<Record<string, unknown>> & { readonly _tag: string }
  /** Phrases (the provider's hint) the message holds. */
  readonly contains: ReadonlyArray<string>
  /** Values in no printed form of the error. */
  readonly neverPrinted?: ReadonlyArray<string> | undefined
}

/** The rows. */
export const table: ReadonlyArray<Row> = [
  {
    name: "a wrong secret is InvalidCredentials with the hint about creds.json",
    provider: "hydrosat",
    change: { secret: "wrong-secret" },
    error: { _tag: "InvalidCredentials", status: 401, clientId: "$clientId" },
    contains: ["creds.json"],
    neverPrinted: ["wrong-secret"]
  },
  {
    name: "a token URL on the STAC host is WrongHost with Hydrosat's hint",
    provider: "hydrosat",
    change: { tokenPath: "/hydrosat/stac/oauth2/token" },
    error: { _tag: "WrongHost", reason: "NotFound", status: 404 },
    contains: ["Hydrosat tokens come from https://auth.hydrosat.com/oauth2/token"]
  },
  {
    name: "a wrong secret is InvalidCredentials with Bitquery's hint",
    provider: "bitquery",
    change: { secret: "nope-secret" },
    error: { _tag: "InvalidCredentials", status: 401, error: "invalid_client" },
    contains: ["https://account.bitquery.io/user/api_v2/applications"],
    neverPrinted: ["nope-secret"]
  },
  {
    name: "another scope than api is InvalidRequest with the hint that Bitquery requires scope=api",
    provider: "bitquery",
    change: { scope: "graphql" },
    error: { _tag: "InvalidRequest", status: 400, error: "invalid_scope" },
    contains: ["Bitquery requires scope=api"]
  },
  {
    name: "a token request without scope=api is InvalidRequest (400 invalid_scope) with the hint that Bitquery requires it",
    provider: "bitquery",
    change: { scope: "" },
    error: { _tag: "InvalidRequest", status: 400, error: "invalid_scope" },
    contains: ["Bitquery requires scope=api on token requests."]
  },
  {
    name: "a wrong API key is InvalidCredentials with the project ID and UP42's hint",
    provider: "up42-project",
    change: { secret: "wrong-key" },
    error: {
      _tag: "InvalidCredentials",
      status: 401,
      error: "invalid_client",
      clientId: "$clientId",
      grantType: "client_credentials",
      endpoint: "$tokenUrl"
    },
    contains: ["project API key of the same project"],
    neverPrinted: ["wrong-key"]
  },
  {
    name: "a token URL with no token endpoint is WrongHost with UP42's hint",
    provider: "up42-project",
    change: { tokenPath: "/oauth/token" },
    error: { _tag: "WrongHost", reason: "NotFound", status: 404 },
    contains: ["Project tokens come from https://api.up42.com/oauth/token"]
  },
  {
    name: "a wrong password is InvalidCredentials with UP42's hint, never the password",
    provider: "up42-account",
    change: { secret: "not-my-password" },
    error: {
      _tag: "InvalidCredentials",
      status: 401,
      error: "invalid_grant",
      errorDescription: "Invalid user credentials",
      grantType: "password",
      clientId: "up42-api"
    },
    contains: ["Use the email and password you log in to the UP42 console with"],
    neverPrinted: ["not-my-password"]
  },
  {
    name: "a 404 is WrongHost with the hint that tokens come from auth.sa.up42.com, not api.sa.up42.com",
    provider: "up42-account",
    change: { tokenPath: "/up42-account/api/realms/public/protocol/openid-connect/token" },
    error: { _tag: "WrongHost", reason: "NotFound", status: 404 },
    contains: ["UP42 tokens come from auth.sa.up42.com, not api.sa.up42.com"]
  }
]

/** A row's error fields with `$clientId` and `$tokenUrl` filled in. */
export const expectedFields = (
  row: Row,
  used: { readonly clientId: string; readonly tokenUrl: string }
): Readonly<Record<string, unknown>> =>
  Object.fromEntries(Object.entries(row.error).map(([key, value]) => [
    key,
    value === "$clientId" ? used.clientId : value === "$tokenUrl" ? used.tokenUrl : value
  ]))

/** Checks what the row's token request failed with, given the client id and token URL it used. */
export const check = (
  expect: Expect,
  row: Row,
  error: { readonly message: string },
  used: { readonly clientId: string; readonly tokenUrl: string }
): void => {
  expect(error).toMatchObject(expectedFields(row, used))
  for (const phrase of row.contains) expect(error.message).toContain(phrase)
  PrintedForms.neverPrinted(expect, error, row.neverPrinted ?? [])
}
