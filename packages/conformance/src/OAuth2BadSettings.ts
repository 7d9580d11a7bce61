/**
 * `OAuth2.layer` options in code that must fail when the layer is built, before any request:
 * each naming the setting (or, for a plain-HTTP issuer, `WrongHost` with `InsecureEndpoint`).
 * Plain data: each line's `OAuth2.test.ts` builds the options ({@link Secret} as its `Redacted`,
 * {@link PasswordGrant} as its `Grant.password`), `$tokenUrl` and `$issuer` standing for the local
 * provider server's, and compares the failure with `error`. The same from the OAUTH2_* variables:
 * Configuration.test.ts.
 */

/** A secret option (the line's `Redacted` of `value`). */
export interface Secret {
  readonly secret: string
}

/** The password grant (the line's `Grant.password`, its password a `Redacted`). */
export interface PasswordGrant {
  readonly username: string
  readonly password: string
}

/** One configuration and the error building its layer fails with. */
export interface Row {
  readonly options: Readonly<Record<string, string | Secret | { readonly password: PasswordGrant }>>
  readonly error: Readonly<Record<string, string>>
}

const secret: Secret = { secret: "s" }
const setting = (name: string) => ({ _tag: "InvalidConfiguration", setting: name })

export const rows: ReadonlyArray<Row> = [
  { options: { clientId: "c", clientSecret: secret }, error: setting("tokenUrl") },
  { options: { clientId: "c", clientSecret: secret, tokenUrl: "$tokenUrl", issuer: "$issuer" }, error: setting("issuer") },
  { options: { clientId: "c", clientSecret: secret, tokenUrl: "$tokenUrl", clientAuthentication: "none" }, error: setting("clientSecret") },
  { options: { clientId: "c", tokenUrl: "$tokenUrl", clientAuthentication: "client_secret_post" }, error: setting("clientSecret") },
  { options: { clientId: " ", clientSecret: secret, issuer: "$issuer" }, error: setting("clientId") },
  { options: { clientId: "c", clientSecret: secret, issuer: "http://auth.example.com" }, error: { _tag: "WrongHost", reason: "InsecureEndpoint" } },
  {
    options: { clientId: "c", clientSecret: secret, tokenUrl: "$tokenUrl", grant: { password: { username: "", password: "s" } } },
    error: setting("username")
  }
]

/** The row's options as a line takes them, with its `Redacted.make` and `Grant.password`, the server's URLs filled in. */
export const optionsOf = (
  row: Row,
  urls: { readonly tokenUrl: string; readonly issuer: string },
  line: { readonly secret: (value: string) => unknown; readonly password: (grant: PasswordGrant) => unknown }
): Record<string, unknown> =>
  Object.fromEntries(Object.entries(row.options).map(([name, value]) => [
    name,
    typeof value !== "string"
      ? "secret" in value ? line.secret(value.secret) : line.password(value.password)
      : value === "$tokenUrl"
      ? urls.tokenUrl
      : value === "$issuer"
      ? urls.issuer
      : value
  ]))
