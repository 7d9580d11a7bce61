/**
 * effect-bearer core: OAuth2 bearer tokens for Effect.
 *
 * The flow of one token, one module each: `Grant` (what to ask for) →
 * `ClientAuthentication` (where the secret goes) → `TokenEndpoint` (the HTTP exchange,
 * decoded by `TokenResponse`) → `AccessToken` → `TokenProvider` (cached, single-flight,
 * refreshed in the background) → `BearerHttpClient` (puts it on requests).
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as AccessToken from "./AccessToken.js"
/** @since 0.1.0 */
export * as BearerHttpClient from "./BearerHttpClient.js"
/** @since 0.1.0 */
export * as ClientAuthentication from "./ClientAuthentication.js"
/** @since 0.1.0 */
export * as Configurable from "./Configurable.js"
/** @since 0.1.0 */
export * as Grant from "./Grant.js"
/** @since 0.1.0 */
export * as Jwt from "./Jwt.js"
/** @since 0.1.0 */
export * as OpenIdDiscovery from "./OpenIdDiscovery.js"
/** @since 0.1.0 */
export * as TokenEndpoint from "./TokenEndpoint.js"
/** @since 0.1.0 */
export * as TokenError from "./TokenError.js"
/** @since 0.1.0 */
export * as TokenMetrics from "./TokenMetrics.js"
/** @since 0.1.0 */
export * as TokenProvider from "./TokenProvider.js"
/** @since 0.1.0 */
export * as TokenResponse from "./TokenResponse.js"
/** @since 0.1.0 */
export * as TokenRetry from "./TokenRetry.js"
/** @since 0.1.0 */
export * as TokenSource from "./TokenSource.js"
/** @since 0.1.0 */
export * as TokenStore from "./TokenStore.js"
