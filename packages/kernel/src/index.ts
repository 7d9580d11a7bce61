/**
 * effect-bearer kernel: the protocol rules and provider facts that need no Effect runtime,
 * as plain TypeScript with no dependencies, shared by every Effect line of the library.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as AuthorizationServerAnswer from "./AuthorizationServerAnswer.js"
/** @since 0.1.0 */
export * as Base64 from "./Base64.js"
/** @since 0.1.0 */
export * as BearerChallenge from "./BearerChallenge.js"
/** @since 0.1.0 */
export * as BearerTrace from "./BearerTrace.js"
/** @since 0.1.0 */
export * as ClientSecretBasic from "./ClientSecretBasic.js"
/** @since 0.1.0 */
export * as CredentialsFileFormat from "./CredentialsFileFormat.js"
/** @since 0.1.0 */
export * as EchoedToken from "./EchoedToken.js"
/** @since 0.1.0 */
export * as ErrorClassification from "./ErrorClassification.js"
/** @since 0.1.0 */
export * as ErrorMessage from "./ErrorMessage.js"
/** @since 0.1.0 */
export * as Expiry from "./Expiry.js"
/** @since 0.1.0 */
export * as Json from "./Json.js"
/** @since 0.1.0 */
export * as Jwt from "./Jwt.js"
/** @since 0.1.0 */
export * as Origin from "./Origin.js"
/** @since 0.1.0 */
export * as Provider from "./Provider.js"
/** @since 0.1.0 */
export * as Providers from "./providers/index.js"
/** @since 0.1.0 */
export * as ResourceRefusal from "./ResourceRefusal.js"
/** @since 0.1.0 */
export * as RetryAfter from "./RetryAfter.js"
/** @since 0.1.0 */
export * as RetrySafety from "./RetrySafety.js"
/** @since 0.1.0 */
export * as Seal from "./Seal.js"
/** @since 0.1.0 */
export * as ServerText from "./ServerText.js"
/** @since 0.1.0 */
export * as SharedToken from "./SharedToken.js"
/** @since 0.1.0 */
export * as TokenDestination from "./TokenDestination.js"
/** @since 0.1.0 */
export * as TokenResponse from "./TokenResponse.js"
/** @since 0.1.0 */
export * as TokenStoreKey from "./TokenStoreKey.js"
/** @since 0.1.0 */
export * as Url from "./Url.js"
