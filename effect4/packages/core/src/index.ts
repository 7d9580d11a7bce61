/**
 * effect-bearer core for Effect 4: OAuth2 bearer tokens. The flow of one token, one module each:
 * `Grant` → `ClientAuthentication` → `TokenEndpoint` (decoded by `TokenResponse`) →
 * `AccessToken` → `TokenProvider` (cached, single-flight, refreshed) → `BearerHttpClient`.
 *
 * @since 4.0.0
 */

/** @since 4.0.0 */
export * as AccessToken from "./AccessToken.js"
/** @since 4.0.0 */
export * as BearerHttpClient from "./BearerHttpClient.js"
/** @since 4.0.0 */
export * as ClientAuthentication from "./ClientAuthentication.js"
/** @since 4.0.0 */
export * as Configurable from "./Configurable.js"
/** @since 4.0.0 */
export * as Grant from "./Grant.js"
/** @since 4.0.0 */
export * as Jwt from "./Jwt.js"
/** @since 4.0.0 */
export * as OpenIdDiscovery from "./OpenIdDiscovery.js"
/** @since 4.0.0 */
export * as TokenEndpoint from "./TokenEndpoint.js"
/** @since 4.0.0 */
export * as TokenError from "./TokenError.js"
/** @since 4.0.0 */
export * as TokenMetrics from "./TokenMetrics.js"
/** @since 4.0.0 */
export * as TokenProvider from "./TokenProvider.js"
/** @since 4.0.0 */
export * as TokenResponse from "./TokenResponse.js"
/** @since 4.0.0 */
export * as TokenRetry from "./TokenRetry.js"
/** @since 4.0.0 */
export * as TokenSource from "./TokenSource.js"
/** @since 4.0.0 */
export * as TokenStore from "./TokenStore.js"
