/**
 * Configuration that cannot work, one row a case, as plain data: each must fail when the layer is
 * built (and in the token endpoint's own check), with the tag, field and message excerpt given,
 * before any request. Both lines' bad-input suites iterate them (Effect 3:
 * `packages/core/test/faults/BadInput.test.ts`).
 */

/** The client authentication of a row: a method and its credentials. */
export interface Client {
  readonly method: "client_secret_basic" | "client_secret_post" | "none"
  readonly clientId: string
  /** Default: a non-empty secret. */
  readonly secret?: string
}

/** Where the token URL comes from: the test server's own URL, that URL with userinfo added, or a given text. */
export type TokenUrl = { readonly _tag: "Server" } | { readonly _tag: "ServerWithUserinfo" } | { readonly _tag: "Given"; readonly url: string }

export interface Case {
  readonly name: string
  readonly url: TokenUrl
  readonly client: Client
  readonly revocationUrl?: string
  /** Milliseconds. */
  readonly timeout?: number
  readonly maximumResponseBytes?: number
  readonly tag: "InvalidConfiguration" | "WrongHost"
  /** `setting` for InvalidConfiguration, `reason` for WrongHost. */
  readonly field: string
  /** An excerpt the message must contain. */
  readonly message: string
}

/** The secret of every row that does not set one. */
export const secret = "bad-input-secret"

const server: TokenUrl = { _tag: "Server" }
const given = (url: string): TokenUrl => ({ _tag: "Given", url })
const basic = (clientId: string, secret?: string): Client => secret === undefined ? { method: "client_secret_basic", clientId } : { method: "client_secret_basic", clientId, secret }
const post = (clientId: string, secret?: string): Client => secret === undefined ? { method: "client_secret_post", clientId } : { method: "client_secret_post", clientId, secret }
const empty = "is empty"
const notAUrl = "The token endpoint is not a valid absolute URL"
const plainHttp = "Refusing to send credentials over plain http"

export const cases: ReadonlyArray<Case> = [
  { name: "an empty client id (client_secret_basic)", url: server, client: basic(""), tag: "InvalidConfiguration", field: "clientId", message: `Invalid configuration for clientId: ${empty}` },
  { name: "a whitespace client id (client_secret_post)", url: server, client: post(" \t "), tag: "InvalidConfiguration", field: "clientId", message: `Invalid configuration for clientId: ${empty}` },
  { name: "a whitespace client id (public client)", url: server, client: { method: "none", clientId: "  " }, tag: "InvalidConfiguration", field: "clientId", message: `Invalid configuration for clientId: ${empty}` },
  { name: "an empty client secret", url: server, client: basic("client", ""), tag: "InvalidConfiguration", field: "clientSecret", message: `Invalid configuration for clientSecret: ${empty}` },
  { name: "a whitespace client secret", url: server, client: post("client", "  \n"), tag: "InvalidConfiguration", field: "clientSecret", message: `Invalid configuration for clientSecret: ${empty}` },
  { name: "a token URL that is not a URL", url: given("not a url"), client: basic("client"), tag: "WrongHost", field: "InvalidUrl", message: notAUrl },
  { name: "an empty token URL", url: given(""), client: basic("client"), tag: "WrongHost", field: "InvalidUrl", message: notAUrl },
  { name: "a relative token URL", url: given("/oauth2/token"), client: basic("client"), tag: "WrongHost", field: "InvalidUrl", message: "Configure a URL such as https://host/path." },
  { name: "a token URL with another scheme", url: given("ftp://auth.example.com/token"), client: basic("client"), tag: "WrongHost", field: "InvalidUrl", message: notAUrl },
  { name: "a plain-http token URL", url: given("http://auth.example.com/oauth2/token"), client: basic("client"), tag: "WrongHost", field: "InsecureEndpoint", message: plainHttp },
  { name: "a plain-http token URL whose host only starts like a loopback address", url: given("http://127.0.0.1.nip.io/token"), client: basic("client"), tag: "WrongHost", field: "InsecureEndpoint", message: plainHttp },
  { name: "a plain-http token URL on localhost's look-alike", url: given("http://localhost.example.com/token"), client: basic("client"), tag: "WrongHost", field: "InsecureEndpoint", message: "plain http is allowed only for loopback addresses" },
  { name: "a plain-http revocation URL", url: server, revocationUrl: "http://auth.example.com/revoke", client: basic("client"), tag: "WrongHost", field: "InsecureEndpoint", message: plainHttp },
  { name: "credentials in the token URL", url: { _tag: "ServerWithUserinfo" }, client: basic("client"), tag: "InvalidConfiguration", field: "url", message: "pass them as client authentication instead" },
  { name: "a zero timeout", url: server, timeout: 0, client: basic("client"), tag: "InvalidConfiguration", field: "timeout", message: "must be longer than zero" },
  { name: "a zero response size limit", url: server, maximumResponseBytes: 0, client: basic("client"), tag: "InvalidConfiguration", field: "maximumResponseBytes", message: "must be a positive number of bytes" },
  { name: "a response size limit that is not a number", url: server, maximumResponseBytes: Number.NaN, client: basic("client"), tag: "InvalidConfiguration", field: "maximumResponseBytes", message: "must be a positive number of bytes" }
]

/** Plain http to loopback addresses is allowed. */
export const loopbackUrls: ReadonlyArray<string> = ["http://127.0.0.1:1/token", "http://127.8.9.10/token", "http://localhost:8080/token", "http://[::1]:8080/token"]

/** The token URL of a row, given the test server's. */
export const tokenUrlOf = (row: Case, serverUrl: string): string =>
  row.url._tag === "Server" ? serverUrl : row.url._tag === "ServerWithUserinfo" ? serverUrl.replace("http://", "http://client:pass@") : row.url.url
