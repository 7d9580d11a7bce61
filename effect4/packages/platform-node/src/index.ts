/**
 * effect-bearer on Node, for Effect 4: HTTP client layers, credentials files, the file and Redis
 * token stores, the local provider server on a Node HTTP server, and the `effect-bearer` CLI.
 *
 * @since 4.0.0
 */

/** @since 4.0.0 */
export * as CredentialsFile from "./CredentialsFile.js"

/** @since 4.0.0 */
export * as FileTokenStore from "./FileTokenStore.js"

/** @since 4.0.0 */
export * as RedisTokenStore from "./RedisTokenStore.js"

/** @since 4.0.0 */
export * as NodeBearerHttpClient from "./NodeBearerHttpClient.js"

/** @since 4.0.0 */
export * as NodeLocalProviderServer from "./NodeLocalProviderServer.js"

/** @since 4.0.0 */
export * as Cli from "./Cli.js"
