/**
 * Settings that cannot work, for every provider's `layerConfig`: the environment variables
 * (the whole environment; a blank value is whitespace or `""`, which both Effect lines read as
 * set, and empty) and the error building the layer must fail with, before any request, naming the variable
 * and never printing a value. Plain data: each line's `Configuration.test.ts` builds the
 * provider's `layerConfig` with these variables and compares.
 */

import type { Expect } from "./Expect.js"
import * as PrintedForms from "./PrintedForms.js"

/** The providers' ids, as their records name them. */
export type ProviderId = "up42-project" | "up42-account" | "bitquery" | "hydrosat" | "oauth2"

/** One configuration and the error it must end in. */
export interface Row {
  readonly name: string
  readonly provider: ProviderId
  /** `layerConfig`'s `prefix` option. */
  readonly prefix?: string | undefined
  readonly variables: Readonly<Record<string, string>>
  /** The error's tag and fields. */
  readonly error: Readonly<Record<string, unknown>> & { readonly _tag: string }
  /** The whole message, when the row pins it. */
  readonly message?: string | undefined
  /** Phrases the message holds. */
  readonly contains?: ReadonlyArray<string> | undefined
  /** Phrases the message does not hold. */
  readonly omits?: ReadonlyArray<string> | undefined
  /** Values that appear in no printed form of the error (message, `String`, JSON, `inspect`). */
  readonly neverPrinted?: ReadonlyArray<string> | undefined
}

/** A token URL on this machine that no test serves: building a layer never calls it. */
const localTokenUrl = "http://127.0.0.1:9/token"
const oauth2 = { OAUTH2_TOKEN_URL: localTokenUrl, OAUTH2_CLIENT_ID: "c" }
const canary = "canary-value-7f3a9c"

const invalid = (setting: string, problem?: string) =>
  problem === undefined ? { _tag: "InvalidConfiguration", setting } : { _tag: "InvalidConfiguration", setting, problem }

/** The rows, grouped by provider. */
export const table: ReadonlyArray<Row> = [
  {
    name: "a blank client secret is named as empty, with what to set",
    provider: "hydrosat",
    variables: { HYDROSAT_CLIENT_ID: "id", HYDROSAT_CLIENT_SECRET: " " },
    error: invalid("HYDROSAT_CLIENT_SECRET"),
    message: "Invalid configuration for HYDROSAT_CLIENT_SECRET: is empty: set it to the client_secret of your Hydrosat creds.json"
  },
  {
    name: "nothing set asks for an application or a console token",
    provider: "bitquery",
    variables: {},
    error: invalid("BITQUERY_CLIENT_ID"),
    contains: ["or set BITQUERY_ACCESS_TOKEN"]
  },
  { name: "a client id without a secret", provider: "bitquery", variables: { BITQUERY_CLIENT_ID: "id" }, error: invalid("BITQUERY_CLIENT_SECRET") },
  {
    name: "a blank secret beside a client id is empty",
    provider: "bitquery",
    variables: { BITQUERY_CLIENT_ID: "id", BITQUERY_CLIENT_SECRET: "  " },
    error: invalid("BITQUERY_CLIENT_SECRET"),
    contains: ["is empty"]
  },
  { name: "a blank console token", provider: "bitquery", variables: { BITQUERY_ACCESS_TOKEN: " " }, error: invalid("BITQUERY_ACCESS_TOKEN") },
  {
    name: "a blank client id alone is an empty client id, not a missing secret",
    provider: "bitquery",
    variables: { BITQUERY_CLIENT_ID: " " },
    error: invalid("BITQUERY_CLIENT_ID"),
    contains: ["Invalid configuration for BITQUERY_CLIENT_ID: is empty"],
    omits: ["BITQUERY_CLIENT_SECRET is not set"]
  },
  {
    name: "a blank client id beside a secret is an empty client id",
    provider: "bitquery",
    variables: { BITQUERY_CLIENT_ID: " ", BITQUERY_CLIENT_SECRET: "secret" },
    error: invalid("BITQUERY_CLIENT_ID"),
    contains: ["Invalid configuration for BITQUERY_CLIENT_ID: is empty"]
  },
  {
    name: "a client id without a secret never prints the id or a console token set beside it",
    provider: "bitquery",
    variables: { BITQUERY_CLIENT_ID: "canary-client-id-41d7", BITQUERY_ACCESS_TOKEN: "canary-console-token-9e02" },
    error: invalid("BITQUERY_CLIENT_SECRET"),
    neverPrinted: ["canary-client-id-41d7", "canary-console-token-9e02"]
  },
  {
    name: "a console token expiry that is no date",
    provider: "bitquery",
    variables: { BITQUERY_ACCESS_TOKEN: "ory_at_console-token", BITQUERY_ACCESS_TOKEN_EXPIRES_AT: "next tuesday" },
    error: invalid(
      "BITQUERY_ACCESS_TOKEN_EXPIRES_AT",
      "is not a date: set it to when the console token expires (the expiration set in the console), as an ISO date such as 2026-12-31T23:59:59Z or as epoch seconds"
    )
  },
  {
    name: "a project id without its API key",
    provider: "up42-project",
    variables: { UP42_PROJECT_ID: "p" },
    error: invalid("UP42_PROJECT_API_KEY"),
    contains: ["is not set"]
  },
  {
    name: "a blank project id",
    provider: "up42-project",
    variables: { UP42_PROJECT_ID: "  ", UP42_PROJECT_API_KEY: "k" },
    error: invalid("UP42_PROJECT_ID"),
    contains: ["is empty"]
  },
  {
    name: "a plain-http token URL off this machine",
    provider: "up42-project",
    variables: { UP42_PROJECT_ID: "p", UP42_PROJECT_API_KEY: "k", UP42_PROJECT_TOKEN_URL: "http://example.com/token" },
    error: { _tag: "WrongHost", reason: "InsecureEndpoint" }
  },
  {
    name: "the curl habit: a token URL with the project id and key in it names the variables, never the key",
    provider: "up42-project",
    variables: { UP42_PROJECT_TOKEN_URL: "https://5a21e9b2:k3y-canary@api.up42.com/oauth/token" },
    error: invalid("UP42_PROJECT_TOKEN_URL"),
    contains: [
      "carries credentials (user:password@ before the host): set UP42_PROJECT_ID and UP42_PROJECT_API_KEY instead (the projectId and projectApiKey options in code), and leave the token URL unset (https://api.up42.com/oauth/token)"
    ],
    neverPrinted: ["k3y-canary"]
  },
  {
    name: "the curl habit under a prefix names the prefixed variable",
    provider: "up42-project",
    prefix: "FORESTS",
    variables: { FORESTS_UP42_PROJECT_TOKEN_URL: "https://5a21e9b2:k3y-canary@api.up42.com/oauth/token" },
    error: invalid("FORESTS_UP42_PROJECT_TOKEN_URL"),
    neverPrinted: ["k3y-canary"]
  },
  {
    name: "a username without a password",
    provider: "up42-account",
    variables: { UP42_USERNAME: "me@example.com" },
    error: invalid("UP42_PASSWORD", "is not set: set it to the password you log in to the UP42 console with")
  },
  { name: "a blank username", provider: "up42-account", variables: { UP42_USERNAME: " ", UP42_PASSWORD: "p" }, error: invalid("UP42_USERNAME") },
  {
    name: "a region the record does not know",
    provider: "up42-account",
    variables: { UP42_USERNAME: "me@example.com", UP42_PASSWORD: "p", UP42_REGION: "us" },
    error: invalid("UP42_REGION", "is not one of the allowed values: set it to sa or eu")
  },
  {
    name: "the password grant without a username",
    provider: "oauth2",
    variables: { ...oauth2, OAUTH2_GRANT_TYPE: "password" },
    error: invalid("OAUTH2_USERNAME")
  },
  {
    name: "a client authentication method not supported",
    provider: "oauth2",
    variables: { ...oauth2, OAUTH2_CLIENT_AUTHENTICATION: "private_key_jwt" },
    error: invalid("OAUTH2_CLIENT_AUTHENTICATION")
  },
  {
    name: "a client authentication that is no method: the allowed ones, never the value",
    provider: "oauth2",
    variables: { ...oauth2, OAUTH2_CLIENT_SECRET: "s", OAUTH2_CLIENT_AUTHENTICATION: canary },
    error: invalid("OAUTH2_CLIENT_AUTHENTICATION"),
    contains: ["client_secret_basic, client_secret_post or none"],
    neverPrinted: [canary]
  },
  {
    name: "a grant type that is no grant: the allowed ones, never the value",
    provider: "oauth2",
    variables: { ...oauth2, OAUTH2_CLIENT_SECRET: "s", OAUTH2_GRANT_TYPE: canary },
    error: invalid("OAUTH2_GRANT_TYPE"),
    contains: ["client_credentials or password"],
    neverPrinted: [canary]
  },
  {
    name: "under a prefix, the refused variable is named with its prefix, still without its value",
    provider: "oauth2",
    prefix: "REPORTS",
    variables: { REPORTS_OAUTH2_TOKEN_URL: localTokenUrl, REPORTS_OAUTH2_CLIENT_ID: "c", REPORTS_OAUTH2_GRANT_TYPE: canary },
    error: invalid("REPORTS_OAUTH2_GRANT_TYPE"),
    neverPrinted: [canary]
  },
  {
    name: "a blank client secret is empty",
    provider: "oauth2",
    variables: { ...oauth2, OAUTH2_CLIENT_SECRET: "  " },
    error: invalid("OAUTH2_CLIENT_SECRET", "is empty")
  },
  {
    name: "a blank password with the password grant is empty",
    provider: "oauth2",
    variables: { ...oauth2, OAUTH2_GRANT_TYPE: "password", OAUTH2_USERNAME: "user", OAUTH2_PASSWORD: " " },
    error: invalid("OAUTH2_PASSWORD"),
    contains: ["is empty"]
  },
  {
    name: "a blank username with the password grant is empty, not unset",
    provider: "oauth2",
    variables: { ...oauth2, OAUTH2_GRANT_TYPE: "password", OAUTH2_USERNAME: "  ", OAUTH2_PASSWORD: "p" },
    error: invalid("OAUTH2_USERNAME"),
    contains: ["is empty"]
  },
  // A variable set to "" (`export HYDROSAT_CLIENT_SECRET=`) is set, and empty, like whitespace.
  {
    name: "a client secret set to \"\" is named as empty, with what to set",
    provider: "hydrosat",
    variables: { HYDROSAT_CLIENT_ID: "id", HYDROSAT_CLIENT_SECRET: "" },
    error: invalid("HYDROSAT_CLIENT_SECRET"),
    message: "Invalid configuration for HYDROSAT_CLIENT_SECRET: is empty: set it to the client_secret of your Hydrosat creds.json"
  },
  {
    name: "a client id set to \"\" alone is an empty client id, not a missing secret",
    provider: "bitquery",
    variables: { BITQUERY_CLIENT_ID: "" },
    error: invalid("BITQUERY_CLIENT_ID"),
    contains: ["Invalid configuration for BITQUERY_CLIENT_ID: is empty"],
    omits: ["BITQUERY_CLIENT_SECRET is not set"]
  },
  {
    name: "a console token set to \"\" is empty",
    provider: "bitquery",
    variables: { BITQUERY_ACCESS_TOKEN: "" },
    error: invalid("BITQUERY_ACCESS_TOKEN"),
    contains: ["Invalid configuration for BITQUERY_ACCESS_TOKEN: is empty"]
  },
  {
    name: "a username set to \"\" with the password grant is empty, not unset",
    provider: "oauth2",
    variables: { ...oauth2, OAUTH2_GRANT_TYPE: "password", OAUTH2_USERNAME: "", OAUTH2_PASSWORD: "p" },
    error: invalid("OAUTH2_USERNAME"),
    contains: ["is empty"]
  },
  { name: "a username set to \"\" is empty", provider: "up42-account", variables: { UP42_USERNAME: "", UP42_PASSWORD: "p" }, error: invalid("UP42_USERNAME"), contains: ["is empty"] },
  {
    name: "a client secret set to \"\" under a prefix is empty, named with the prefix",
    provider: "oauth2",
    prefix: "REPORTS",
    variables: { REPORTS_OAUTH2_TOKEN_URL: localTokenUrl, REPORTS_OAUTH2_CLIENT_ID: "c", REPORTS_OAUTH2_CLIENT_SECRET: "" },
    error: invalid("REPORTS_OAUTH2_CLIENT_SECRET", "is empty")
  }
]

/** Checks what building the row's layer failed with against the row. */
export const check = (expect: Expect, row: Row, error: { readonly message: string }): void => {
  expect(error).toMatchObject(row.error)
  if (row.message !== undefined) expect(error.message).toBe(row.message)
  for (const phrase of row.contains ?? []) expect(error.message).toContain(phrase)
  for (const phrase of row.omits ?? []) expect(error.message).not.toContain(phrase)
  PrintedForms.neverPrinted(expect, error, row.neverPrinted ?? [])
}
