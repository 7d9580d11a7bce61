/**
 * A provider as one value: everything the library knows about an authorization server
 * and its API (where tokens come from, how the client authenticates, how long tokens
 * live, which environment variables and credentials-file fields configure it, what to
 * tell the user when a request fails), as plain data, read by the token providers, the
 * CLI, credentials files, the local provider server and the demo.
 *
 * The records themselves live in `providers/` (exported as `Providers`), one module per
 * provider; this module holds their type and the pure rules that read them (about 380
 * lines: the record's type is documented field by field, and its readers sit beside it).
 *
 * @since 0.1.0
 */
import { isRecord } from "./Json.js"

/**
 * How the client authenticates at the token endpoint, named as in the IANA "OAuth Token
 * Endpoint Authentication Methods" registry.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-2
 * @since 0.1.0
 */
export type ClientAuthenticationMethod = "client_secret_basic" | "client_secret_post" | "none"

/**
 * The client authentication methods, in the order a newcomer should consider them.
 *
 * @since 0.1.0
 */
export const clientAuthenticationMethods = ["client_secret_basic", "client_secret_post", "none"] as const satisfies
  ReadonlyArray<ClientAuthenticationMethod>

/**
 * The grant a provider documents for getting a token without a user in the loop.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.3
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.4
 * @since 0.1.0
 */
export type GrantType = "client_credentials" | "password"

/**
 * The grants a provider can document, `client_credentials` first (no user password).
 *
 * @since 0.1.0
 */
export const grantTypes = ["client_credentials", "password"] as const satisfies ReadonlyArray<GrantType>

/**
 * The tags of the token errors a request can fail with; a provider's hints are keyed by them.
 *
 * @since 0.1.0
 */
export type ErrorTag =
  | "InvalidCredentials"
  | "WrongHost"
  | "UnsupportedMediaType"
  | "Expired"
  | "InvalidRequest"
  | "TemporarilyUnavailable"
  | "InvalidTokenResponse"

/**
 * Every {@link ErrorTag}, for exhaustive checks.
 *
 * @since 0.1.0
 */
export const errorTags = [
  "InvalidCredentials",
  "WrongHost",
  "UnsupportedMediaType",
  "Expired",
  "InvalidRequest",
  "TemporarilyUnavailable",
  "InvalidTokenResponse"
] as const satisfies ReadonlyArray<ErrorTag>

/**
 * What the provider's documentation says about a failure, by error tag, appended to the
 * error's message.
 *
 * @since 0.1.0
 */
export type Hints = Partial<Record<ErrorTag, string>>

/**
 * Where one deployment of the provider lives: its token endpoint and the APIs its tokens are for.
 *
 * @since 0.1.0
 */
export interface Region {
  /** A short name, e.g. `eu` or `sa`. */
  readonly id: string
  /** The name a person recognises, e.g. `South America`. */
  readonly title: string
  /** The documented token endpoint. */
  readonly tokenUrl: string
  /** The OpenID issuer, where the provider has one (its discovery document is under it). */
  readonly issuer?: string | undefined
  /**
   * The origins (`scheme://host[:port]`) of the APIs the token is for: an authenticating
   * HTTP client sends the token to these origins and nowhere else.
   */
  readonly apiOrigins: ReadonlyArray<string>
  /** What the provider's documentation says about failures in this region, over the provider's {@link Provider.hints}. */
  readonly hints?: Hints | undefined
}

/**
 * What an environment variable is to the provider: a credential (any of them set means
 * "the credentials are in the environment") or a setting with a default.
 *
 * @since 0.1.0
 */
export type VariableKind = "credential" | "setting"

/**
 * Whether an environment variable must be set: always, never (a default applies), only
 * together with another setting, or as one of two ways to give the credentials.
 *
 * @since 0.1.0
 */
export type Requirement = "required" | "optional" | "conditional" | "alternative"

/**
 * One environment variable the provider reads.
 *
 * @since 0.1.0
 */
export interface Variable {
  /** The variable's name, e.g. `HYDROSAT_CLIENT_ID`. */
  readonly name: string
  /** The option of the provider's `make` it fills, e.g. `clientId` or `tokenUrl`. */
  readonly fills: string
  readonly kind: VariableKind
  /** Read straight into a `Redacted` and never shown. */
  readonly secret: boolean
  readonly requirement: Requirement
  /** The values it may hold, when it is one of a fixed set. */
  readonly allowedValues?: ReadonlyArray<string> | undefined
  /** What it holds and where the user finds it, e.g. `the client_id of your Hydrosat creds.json`. */
  readonly description: string
}

/**
 * The environment a provider reads.
 *
 * @since 0.1.0
 */
export interface Environment {
  readonly variables: ReadonlyArray<Variable>
  /** What to set, as a phrase for messages, e.g. `HYDROSAT_CLIENT_ID and HYDROSAT_CLIENT_SECRET`. */
  readonly summary: string
}

/**
 * What a credentials file holds: its tag (the kind of credentials), and its fields.
 *
 * @since 0.1.0
 */
export interface CredentialsShape {
  /** The kind of credentials, e.g. `ClientCredentials` or `StaticToken`. */
  readonly tag: string
  readonly fields: ReadonlyArray<{
    /** The JSON field, e.g. `client_id`. */
    readonly field: string
    /** The option of the provider's `make` it fills, e.g. `clientId`. */
    readonly fills: string
    readonly secret: boolean
    /** What to write there, for the example, e.g. `<client id>`. */
    readonly placeholder: string
  }>
}

/**
 * The JSON credentials file a provider accepts: one shape, or several of which a file
 * holds exactly one (Bitquery: an application's credentials or a console token).
 *
 * @since 0.1.0
 */
export interface CredentialsFileFormat {
  /** The shapes in the order they are tried; the first is what an empty file is asked for. */
  readonly shapes: readonly [CredentialsShape, ...Array<CredentialsShape>]
  /**
   * The environment variable that names the file, e.g. `HYDROSAT_CREDENTIALS_FILE`: set,
   * the credentials come from the file (where a file reader is provided: platform-node's).
   */
  readonly variable?: string | undefined
}

/**
 * A token used as it is, instead of the token endpoint (Bitquery's console token).
 *
 * @since 0.1.0
 */
export interface StaticTokenAlternative {
  /** The variable that holds it. */
  readonly variable: string
  /** Where the user gets one and how long it lives. */
  readonly description: string
  /** The variable that says when it stops working, where the provider lets the user set that. */
  readonly expiresAtVariable?: string | undefined
  /** What to tell the user when it expired or an API refused it (`Expired`): where to get a new one. */
  readonly hints?: Hints | undefined
}

/**
 * The names a provider gives the OAuth2 credentials in its `make` options, by role:
 * UP42's project ID is the client id, its project API key the client secret.
 *
 * @since 0.1.0
 */
export interface CredentialOptions {
  readonly clientId?: string | undefined
  readonly clientSecret?: string | undefined
  readonly username?: string | undefined
  readonly password?: string | undefined
}

/**
 * Everything the library knows about one provider.
 *
 * @since 0.1.0
 */
export interface Provider {
  /** The one id, as on the command line and in logs, spans and metrics, e.g. `up42-project`. */
  readonly id: string
  /** The name a person recognises, e.g. `UP42 (account credentials)`. */
  readonly title: string
  /** Where the provider documents its authentication. */
  readonly documentation: string
  /** Its deployments, the default first; none for a provider whose server the user names. */
  readonly regions: ReadonlyArray<Region>
  readonly grantType: GrantType
  readonly clientAuthentication: ClientAuthenticationMethod
  /**
   * For `client_secret_basic`: `none` when the provider takes the id and secret in the
   * Basic header as they are (as its documented `curl -u` sends them) instead of
   * form-encoded (RFC 6749 §2.3.1, the default).
   */
  readonly basicEncoding?: "form" | "none" | undefined
  /** The credentials' option names, by OAuth2 role. */
  readonly credentials: CredentialOptions
  /** The scope every token request carries, where the provider requires one. */
  readonly scope?: string | undefined
  /** The client id the provider fixes for everybody (a public client), e.g. UP42's `up42-api`. */
  readonly clientId?: string | undefined
  /** Each client's token provider is named `<id>:<client id>` (UP42: one token per project). */
  readonly namedByClient?: boolean | undefined
  /** The lifetime assumed when neither `expires_in` nor a JWT `exp` claim says, in seconds. */
  readonly defaultLifetimeSeconds: number
  /** How long refresh tokens live, in seconds, where the provider documents it. */
  readonly refreshTokenLifetimeSeconds?: number | undefined
  /**
   * Where the access token sits in a success response, as dotted paths tried in order:
   * `["access_token"]` for RFC 6749 §5.1, `["data.accessToken", "accessToken"]` for UP42 projects.
   */
  readonly accessTokenPaths: readonly [string, ...Array<string>]
  readonly environment: Environment
  readonly credentialsFile: CredentialsFileFormat
  readonly hints: Hints
  /** A token the user can paste instead of credentials, where the provider offers one. */
  readonly staticToken?: StaticTokenAlternative | undefined
}

/**
 * The default region: the first one, or none for a provider whose server the user names.
 *
 * @since 0.1.0
 */
export const defaultRegion = (provider: Provider): Region | undefined => provider.regions[0]

/**
 * The region of that id, or the default region when no id is given; `undefined` for an
 * unknown id (or a provider without regions).
 *
 * @since 0.1.0
 */
export const regionOf = (provider: Provider, id?: string | undefined): Region | undefined =>
  id === undefined ? defaultRegion(provider) : provider.regions.find((region) => region.id === id)

/**
 * The hints of a region (default: the default region's) over the provider's own.
 *
 * @since 0.1.0
 */
export const hintsOf = (provider: Provider, region: Region | undefined = defaultRegion(provider)): Hints => ({
  ...provider.hints,
  ...region?.hints
})

/**
 * The documented token endpoint of the default region, if there is one.
 *
 * @since 0.1.0
 */
export const tokenUrl = (provider: Provider): string | undefined => defaultRegion(provider)?.tokenUrl

/**
 * The API origins of the default region (none for a provider whose server the user names).
 *
 * @since 0.1.0
 */
export const apiOrigins = (provider: Provider): ReadonlyArray<string> => defaultRegion(provider)?.apiOrigins ?? []

/**
 * The variable that fills an option, e.g. `tokenUrl` → `HYDROSAT_TOKEN_URL`.
 *
 * @since 0.1.0
 */
export const variableFor = (provider: Provider, option: string): Variable | undefined =>
  provider.environment.variables.find((variable) => variable.fills === option)

/**
 * The credential variables that say "the credentials are in the environment": any of
 * them set, and the environment is where to read them (the credentials-file variable
 * included: the file it names holds them).
 *
 * @since 0.1.0
 */
export const credentialVariables = (provider: Provider): ReadonlyArray<string> => [
  ...provider.environment.variables
    .filter((variable) => variable.kind === "credential" && variable.requirement !== "conditional")
    .map((variable) => variable.name),
  ...(provider.credentialsFile.variable !== undefined ? [provider.credentialsFile.variable] : [])
]

/**
 * What to tell a user whose variable is missing or unusable: its description (or its
 * allowed values) for a variable that must or may need to be set; nothing for an
 * optional one, whose default applies.
 *
 * @since 0.1.0
 */
export const advice = (variable: Variable): string | undefined =>
  variable.allowedValues !== undefined
    ? oneOf(variable.allowedValues)
    : variable.requirement === "optional"
    ? undefined
    : variable.description

/** `a`, `a or b`, `a, b or c`. */
const oneOf = (values: ReadonlyArray<string>): string =>
  values.length <= 1 ? values.join("") : `${values.slice(0, -1).join(", ")} or ${values[values.length - 1]}`

/**
 * The value at a dotted path of a JSON object, e.g. `data.accessToken`.
 *
 * @since 0.1.0
 */
export const valueAt = (body: unknown, path: string): unknown =>
  path.split(".").reduce<unknown>((value, key) => isRecord(value) ? value[key] : undefined, body)

/**
 * Maps a success body to RFC 6749 §5.1 by the provider's {@link Provider.accessTokenPaths}:
 * the first path holding a non-blank string gives `access_token`, else whatever the last
 * path holds (so that a wrong type is reported as such). A body that already has
 * `access_token` is left alone; `undefined` for a provider that speaks §5.1 itself.
 *
 * @example
 * import { Provider, Providers } from "@effect-bearer/kernel"
 *
 * Provider.toStandardResponse(Providers.up42Project)?.({ data: { accessToken: "eyJ…" }, token_type: "bearer" })
 * // { data: …, token_type: "bearer", access_token: "eyJ…" }
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 * @since 0.1.0
 */
export const toStandardResponse = (provider: Provider): ((body: unknown) => unknown) | undefined => {
  const paths = provider.accessTokenPaths
  if (paths.length === 1 && paths[0] === "access_token") return undefined
  return (body) => {
    if (!isRecord(body) || body.access_token !== undefined) return body
    const usable = paths.map((path) => valueAt(body, path)).find((value) =>
      typeof value === "string" && value.trim() !== ""
    )
    const accessToken = usable ?? valueAt(body, paths[paths.length - 1]!)
    return accessToken === undefined ? body : { ...body, access_token: accessToken }
  }
}
