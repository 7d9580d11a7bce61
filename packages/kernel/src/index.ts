/**
 * effect-bearer kernel: the protocol rules and provider facts that need no Effect runtime,
 * as plain TypeScript with no dependencies, shared by every Effect line of the library.
 *
 * @since 0.1.0
 */

/**
 * Which token error an authorization server's answer is, and its fields.
 *
 * @since 0.1.0
 */
export * as AuthorizationServerAnswer from "./AuthorizationServerAnswer.js"
/**
 * Base64 and base64url over UTF-8 text, with the web platform's own functions.
 *
 * @since 0.1.0
 */
export * as Base64 from "./Base64.js"
/**
 * A `WWW-Authenticate` header's Bearer challenge and its RFC 6750 parameters.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 * @since 0.1.0
 */
export * as BearerChallenge from "./BearerChallenge.js"
/**
 * The facts of one bearer client call, recorded on its span.
 *
 * @since 0.1.0
 */
export * as BearerTrace from "./BearerTrace.js"
/**
 * The exit codes of the `effect-bearer` command, one per error a user can act on.
 *
 * @since 0.1.0
 */
export * as CliExitCode from "./CliExitCode.js"
/**
 * The `client_secret_basic` header, form-encoded before Base64 as RFC 6749 requires.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 * @since 0.1.0
 */
export * as ClientSecretBasic from "./ClientSecretBasic.js"
/**
 * The content rules of a provider's credentials file.
 *
 * @since 0.1.0
 */
export * as CredentialsFileFormat from "./CredentialsFileFormat.js"
/**
 * What can be wrong with reading a credentials file, and how each problem is said.
 *
 * @since 0.1.0
 */
export * as CredentialsFileProblem from "./CredentialsFileProblem.js"
/**
 * A token a server repeats back, removed from the printed form of its response.
 *
 * @since 0.1.0
 */
export * as EchoedToken from "./EchoedToken.js"
/**
 * Which error of the `TokenError` union an authorization server's failed answer is.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 * @since 0.1.0
 */
export * as ErrorClassification from "./ErrorClassification.js"
/**
 * The messages of the library's errors, the same on every Effect line.
 *
 * @since 0.1.0
 */
export * as ErrorMessage from "./ErrorMessage.js"
/**
 * The expiry arithmetic of a cached access token.
 *
 * @since 0.1.0
 */
export * as Expiry from "./Expiry.js"
/**
 * The file token store's directory layout and lock files, shared by both Effect lines.
 *
 * @since 0.1.0
 */
export * as FileTokenStoreLayout from "./FileTokenStoreLayout.js"
/**
 * Small facts about parsed JSON values.
 *
 * @since 0.1.0
 */
export * as Json from "./Json.js"
/**
 * Reading a JWT access token's claims without verifying it.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7519
 * @since 0.1.0
 */
export * as Jwt from "./Jwt.js"
/**
 * What the CLI's `decode` shows of a JWT, as aligned text or as JSON.
 *
 * @since 0.1.0
 */
export * as JwtReport from "./JwtReport.js"
/**
 * The `OAUTH2_*` environment of any OAuth2 client, and `makeConfig`'s options over it.
 *
 * @since 0.1.0
 */
export * as OAuth2Environment from "./OAuth2Environment.js"
/**
 * The origins a bearer token may be sent to.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6454
 * @since 0.1.0
 */
export * as Origin from "./Origin.js"
/**
 * A provider as one record of plain data, and the rules that read it.
 *
 * @since 0.1.0
 */
export * as Provider from "./Provider.js"
/**
 * A provider's environment variables read by its record.
 *
 * @since 0.1.0
 */
export * as ProviderEnvironment from "./ProviderEnvironment.js"
/**
 * A provider's `make` options read by its record.
 *
 * @since 0.1.0
 */
export * as ProviderOptions from "./ProviderOptions.js"
/**
 * The records of the providers the library knows: UP42, Bitquery, Hydrosat, any OAuth2 server.
 *
 * @since 0.1.0
 */
export * as Providers from "./providers/index.js"
/**
 * The Redis token store's keys, channel and Lua scripts, shared by both Effect lines.
 *
 * @since 0.1.0
 */
export * as RedisTokenStoreLayout from "./RedisTokenStoreLayout.js"
/**
 * What a bearer client says when a resource server refuses its token.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 * @since 0.1.0
 */
export * as ResourceRefusal from "./ResourceRefusal.js"
/**
 * The `Retry-After` response header: how long a server asks a client to wait.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3
 * @since 0.1.0
 */
export * as RetryAfter from "./RetryAfter.js"
/**
 * Whether a request may be sent again after a failure.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-9.2.2
 * @since 0.1.0
 */
export * as RetrySafety from "./RetrySafety.js"
/**
 * Sealing a token store's values with AES-256-GCM under a key derived from the client's credentials.
 *
 * @since 0.1.0
 */
export * as Seal from "./Seal.js"
/**
 * Text a server controls, made safe for an error, a log line or a terminal.
 *
 * @since 0.1.0
 */
export * as ServerText from "./ServerText.js"
/**
 * The version-free parts of the cross-process token protocol: entries, checks and bounds.
 *
 * @since 0.1.0
 */
export * as SharedToken from "./SharedToken.js"
/**
 * Text for a terminal: escape sequences removed, JSON with control characters escaped.
 *
 * @since 0.1.0
 */
export * as TerminalText from "./TerminalText.js"
/**
 * Where a bearer client's token may go: the `origins` allow-list and each request's route.
 *
 * @since 0.1.0
 */
export * as TokenDestination from "./TokenDestination.js"
/**
 * The wire rules of the token endpoint's successful and error answers.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 * @since 0.1.0
 */
export * as TokenResponse from "./TokenResponse.js"
/**
 * The text form of a shared token store's entry, one codec for every store of both lines.
 *
 * @since 0.1.0
 */
export * as TokenStoreEntry from "./TokenStoreEntry.js"
/**
 * The key under which a shared token store keeps one credential's tokens.
 *
 * @since 0.1.0
 */
export * as TokenStoreKey from "./TokenStoreKey.js"
/**
 * The URLs credentials may be sent to, and how such a URL is shown.
 *
 * @since 0.1.0
 */
export * as Url from "./Url.js"
