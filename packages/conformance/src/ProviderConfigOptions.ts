/**
 * A provider's `layerConfig` with options given as Effect `Config`s naming the program's own
 * variables, or as plain values: a `Config` is read instead of the record's variable, a
 * plain value is a default the record's variable overrides, and a missing or unusable
 * variable is named, never its value. Plain data: each line's `ConfigOptions.test.ts` builds
 * the options (a {@link ConfigRef} becomes its line's `Config.String`/`Redacted`/`Duration`),
 * takes a token with `variables` as the whole environment, and compares. `$clientId`,
 * `$clientSecret`, `$username`, `$password`, `$tokenUrl` and `$issuer` stand for the local
 * provider server's credentials and URLs of the provider.
 */

import type { Expect } from "./Expect.js"
import * as PrintedForms from "./PrintedForms.js"

/** The providers' ids, as their records name them; `generic` is `Provider.layerConfig` of Hydrosat's record. */
export type ProviderId = "up42-account" | "bitquery" | "hydrosat" | "oauth2" | "generic-hydrosat"

/** An option given as a `Config` of the program's own variable. */
export interface ConfigRef {
  readonly config: "String" | "Redacted" | "Duration"
  readonly name: string
}

/** An option given as a plain value (`secret`: as a `Redacted`). */
export interface Plain {
  readonly value: string
  readonly secret?: boolean | undefined
}

/** One configuration and what it must give. */
export interface Row {
  readonly name: string
  readonly provider: ProviderId
  readonly options: Readonly<Record<string, ConfigRef | Plain>>
  readonly variables: Readonly<Record<string, string>>
  /** What the token request sent (a subset of the form). */
  readonly form?: Readonly<Record<string, string>> | undefined
  /** Token requests (and OpenID discovery requests) the token took. */
  readonly tokenRequests?: number | undefined
  readonly discoveryRequests?: number | undefined
  /** The token's value is exactly this (a console token), or not this. */
  readonly tokenIs?: string | undefined
  readonly tokenIsNot?: string | undefined
  /** Whether the provider's API on the server accepts the token (default: yes; a pasted token is not the server's). */
  readonly apiAccepts?: boolean | undefined
  /** Instead of a token, building the layer fails with this error (tag and fields). */
  readonly error?: (Readonly<Record<string, unknown>> & { readonly _tag: string }) | undefined
  readonly message?: string | undefined
  readonly neverPrinted?: ReadonlyArray<string> | undefined
}

const string = (name: string): ConfigRef => ({ config: "String", name })
const redacted = (name: string): ConfigRef => ({ config: "Redacted", name })
const plain = (value: string): Plain => ({ value })
const secret = (value: string): Plain => ({ value, secret: true })
const pasted = "ory_at_pasted-console-token"

/** A secret from a `Config` whose variable is blank: refused as empty, as the record's own variable is. */
const emptySecretFromConfig = (blank: string, value: string): Row => ({
  name: `an empty secret from a Config (${blank}) is refused like one from the record's variable`,
  provider: "hydrosat",
  options: { clientId: string("MY_ID"), clientSecret: redacted("MY_SECRET"), tokenUrl: plain("$tokenUrl") },
  variables: { MY_ID: "some-client", MY_SECRET: value },
  error: { _tag: "InvalidConfiguration", setting: "clientSecret", problem: "is empty" }
})

/** The rows. */
export const table: ReadonlyArray<Row> = [
  {
    name: "reads MY_ID and MY_SECRET instead of HYDROSAT_CLIENT_ID and HYDROSAT_CLIENT_SECRET",
    provider: "hydrosat",
    options: { clientId: string("MY_ID"), clientSecret: redacted("MY_SECRET") },
    variables: {
      MY_ID: "$clientId",
      MY_SECRET: "$clientSecret",
      // The record's variables, set to what the server refuses: an explicit Config wins over them.
      HYDROSAT_CLIENT_ID: "not-this-client",
      HYDROSAT_CLIENT_SECRET: "not-this-secret",
      HYDROSAT_TOKEN_URL: "$tokenUrl"
    },
    form: { client_id: "$clientId", client_secret: "$clientSecret" }
  },
  {
    name: "the generic Provider.layerConfig takes the same Configs for any record",
    provider: "generic-hydrosat",
    options: { clientId: string("FIELDS_ID"), clientSecret: redacted("FIELDS_SECRET"), tokenUrl: string("FIELDS_TOKEN_URL") },
    variables: { FIELDS_ID: "$clientId", FIELDS_SECRET: "$clientSecret", FIELDS_TOKEN_URL: "$tokenUrl" },
    form: { client_id: "$clientId" }
  },
  {
    name: "UP42 account: username and password from Configs, the token URL a plain default",
    provider: "up42-account",
    options: { username: string("ACCOUNT_EMAIL"), password: redacted("ACCOUNT_PASSWORD"), tokenUrl: plain("$tokenUrl") },
    variables: { ACCOUNT_EMAIL: "$username", ACCOUNT_PASSWORD: "$password" },
    form: { username: "$username", password: "$password", grant_type: "password" }
  },
  {
    name: "UP42 account: UP42_TOKEN_URL, when set, wins over the plain token URL",
    provider: "up42-account",
    options: { username: string("ACCOUNT_EMAIL"), password: redacted("ACCOUNT_PASSWORD"), tokenUrl: plain("$tokenUrl") },
    variables: { ACCOUNT_EMAIL: "$username", ACCOUNT_PASSWORD: "$password", UP42_TOKEN_URL: "http://up42.example/token" },
    error: { _tag: "WrongHost" }
  },
  {
    name: "Bitquery: an application given as Configs is chosen over a console token in the environment",
    provider: "bitquery",
    options: { clientId: string("APP_ID"), clientSecret: redacted("APP_SECRET"), tokenUrl: plain("$tokenUrl") },
    variables: { APP_ID: "$clientId", APP_SECRET: "$clientSecret", BITQUERY_ACCESS_TOKEN: pasted },
    tokenRequests: 1,
    tokenIsNot: pasted
  },
  {
    name: "Bitquery: the console token as a Config is used as it is, with no token request",
    provider: "bitquery",
    options: { accessToken: redacted("CONSOLE_TOKEN") },
    variables: { CONSOLE_TOKEN: pasted },
    tokenRequests: 0,
    tokenIs: pasted,
    apiAccepts: false
  },
  {
    name: "plain credentials are defaults: the record's variable, when set, wins over them",
    provider: "hydrosat",
    options: { clientId: plain("a-default-client"), clientSecret: secret("$clientSecret") },
    variables: { HYDROSAT_CLIENT_ID: "$clientId", HYDROSAT_TOKEN_URL: "$tokenUrl" },
    form: { client_id: "$clientId", client_secret: "$clientSecret" }
  },
  {
    name: "a missing custom variable fails naming it, the record's variable not read",
    provider: "hydrosat",
    options: { clientId: string("MY_ID"), clientSecret: redacted("MY_SECRET"), tokenUrl: plain("$tokenUrl") },
    variables: { MY_ID: "some-client", HYDROSAT_CLIENT_ID: "id", HYDROSAT_CLIENT_SECRET: "the-record-variable-is-not-read" },
    error: { _tag: "InvalidConfiguration", setting: "MY_SECRET", problem: "is not set" },
    message: "Invalid configuration for MY_SECRET: is not set"
  },
  {
    name: "an unusable custom variable is named, never its value",
    provider: "hydrosat",
    options: { clientId: plain("id"), clientSecret: redacted("MY_SECRET"), timeout: { config: "Duration", name: "MY_TIMEOUT" } },
    variables: { MY_SECRET: "s3cr3t-value", MY_TIMEOUT: "s3cr3t-value" },
    error: { _tag: "InvalidConfiguration", setting: "MY_TIMEOUT" },
    neverPrinted: ["s3cr3t-value"]
  },
  emptySecretFromConfig("whitespace", " "),
  emptySecretFromConfig("\"\" (set, not unset)", ""),
  {
    name: "OAuth2: token URL, client id and secret from Configs, the OAUTH2_* variables not read",
    provider: "oauth2",
    options: {
      tokenUrl: string("REPORTS_TOKEN_URL"),
      clientId: string("REPORTS_CLIENT_ID"),
      clientSecret: redacted("REPORTS_CLIENT_SECRET"),
      clientAuthentication: plain("client_secret_post")
    },
    variables: {
      REPORTS_TOKEN_URL: "$tokenUrl",
      REPORTS_CLIENT_ID: "$clientId",
      REPORTS_CLIENT_SECRET: "$clientSecret",
      OAUTH2_TOKEN_URL: "http://not-this.example/token",
      OAUTH2_ISSUER: "http://not-this.example",
      OAUTH2_CLIENT_ID: "not-this-client",
      OAUTH2_CLIENT_SECRET: "not-this-secret"
    },
    form: { client_id: "$clientId", client_secret: "$clientSecret" },
    discoveryRequests: 0
  },
  {
    name: "OAuth2: the issuer from a Config: discovered, and chosen over OAUTH2_TOKEN_URL",
    provider: "oauth2",
    options: { issuer: string("REPORTS_ISSUER") },
    variables: {
      REPORTS_ISSUER: "$issuer",
      OAUTH2_TOKEN_URL: "http://not-this.example/token",
      OAUTH2_CLIENT_ID: "$clientId",
      OAUTH2_CLIENT_SECRET: "$clientSecret"
    },
    tokenRequests: 1,
    discoveryRequests: 1
  },
  {
    name: "OAuth2: a missing custom variable fails naming it, OAUTH2_CLIENT_SECRET not read",
    provider: "oauth2",
    options: { tokenUrl: plain("$tokenUrl"), clientId: string("REPORTS_CLIENT_ID"), clientSecret: redacted("REPORTS_CLIENT_SECRET") },
    variables: { REPORTS_CLIENT_ID: "some-client", OAUTH2_CLIENT_SECRET: "the-record-variable-is-not-read" },
    error: { _tag: "InvalidConfiguration", setting: "REPORTS_CLIENT_SECRET", problem: "is not set" },
    message: "Invalid configuration for REPORTS_CLIENT_SECRET: is not set",
    tokenRequests: 0
  },
  {
    name: "OAuth2: an unusable custom variable is named, never its value",
    provider: "oauth2",
    options: { tokenUrl: plain("$tokenUrl"), clientId: plain("c"), timeout: { config: "Duration", name: "REPORTS_TIMEOUT" } },
    variables: { REPORTS_TIMEOUT: "s3cr3t-value" },
    error: { _tag: "InvalidConfiguration", setting: "REPORTS_TIMEOUT" },
    neverPrinted: ["s3cr3t-value"]
  },
  {
    name: "OAuth2: an empty secret from a Config is refused like one from OAUTH2_CLIENT_SECRET",
    provider: "oauth2",
    options: { tokenUrl: plain("$tokenUrl"), clientId: string("REPORTS_CLIENT_ID"), clientSecret: redacted("REPORTS_CLIENT_SECRET") },
    variables: { REPORTS_CLIENT_ID: "some-client", REPORTS_CLIENT_SECRET: " " },
    error: { _tag: "InvalidConfiguration", setting: "clientSecret", problem: "is empty" },
    tokenRequests: 0
  }
]

/** Whether an option is given as a `Config`. */
export const isConfig = (option: ConfigRef | Plain): option is ConfigRef => "config" in option

/** A value with its `$` placeholder filled in from the provider's credentials and URLs. */
export const filled = (value: string, known: Readonly<Record<string, string>>): string =>
  value.startsWith("$") ? known[value.slice(1)] ?? value : value

/** A record's values filled in. */
export const filledAll = (
  values: Readonly<Record<string, string>>,
  known: Readonly<Record<string, string>>
): Record<string, string> => Object.fromEntries(Object.entries(values).map(([key, value]) => [key, filled(value, known)]))

/** The local server's provider a row's requests go to (`generic-hydrosat` is Hydrosat's). */
export const serverProvider = (provider: ProviderId): Exclude<ProviderId, "generic-hydrosat"> =>
  provider === "generic-hydrosat" ? "hydrosat" : provider

/** Checks what building the row's layer failed with against the row. */
export const checkFailure = (expect: Expect, row: Row, error: { readonly message: string }): void => {
  expect(error).toMatchObject(row.error ?? {})
  if (row.message !== undefined) expect(error.message).toBe(row.message)
  PrintedForms.neverPrinted(expect, error, row.neverPrinted ?? [])
}

/** Whether the row asks the provider's API to accept the token (a pasted console token is not the server's). */
export const callsApi = (row: Row): boolean => row.apiAccepts !== false

/** Checks the token the row's layer gave, and the API's answer to it where {@link callsApi}. */
export const checkToken = (expect: Expect, row: Row, token: string, apiStatus: number | undefined): void => {
  if (row.tokenIs !== undefined) expect(token).toBe(row.tokenIs)
  if (row.tokenIsNot !== undefined) expect(token).not.toBe(row.tokenIsNot)
  if (callsApi(row)) expect(apiStatus).toBe(200)
}

/** Checks what the server saw: the first token request's form and the request counts, where the row pins them. */
export const checkServer = (
  expect: Expect,
  row: Row,
  seen: {
    readonly form: Readonly<Record<string, string>> | undefined
    readonly tokenRequests: number
    readonly discoveryRequests: number
  },
  known: Readonly<Record<string, string>>
): void => {
  if (row.form !== undefined) expect(seen.form).toMatchObject(filledAll(row.form, known))
  if (row.tokenRequests !== undefined) expect(seen.tokenRequests).toBe(row.tokenRequests)
  if (row.discoveryRequests !== undefined) expect(seen.discoveryRequests).toBe(row.discoveryRequests)
}
