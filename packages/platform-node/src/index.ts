/**
 * effect-bearer on Node: HTTP client layers, credentials files, the local provider
 * server on a Node HTTP server, and the `effect-bearer` CLI.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as CredentialsFile from "./CredentialsFile.js"

/** @since 0.1.0 */
export * as Cli from "./Cli.js"

/** @since 0.1.0 */
export * as FileTokenStore from "./FileTokenStore.js"

/** @since 0.1.0 */
export * as NodeBearerHttpClient from "./NodeBearerHttpClient.js"

/** @since 0.1.0 */
export * as NodeLocalProviderServer from "./NodeLocalProviderServer.js"

/** @since 0.1.0 */
export * as RedisTokenStore from "./RedisTokenStore.js"
