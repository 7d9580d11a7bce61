/**
 * effect-bearer local provider server: the wire behaviour of UP42, Bitquery, Hydrosat and
 * a generic OAuth2 server as plain TypeScript, from a request record to a response record,
 * shared by every Effect line of the library (each puts it on its own HTTP server).
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as Fault from "./Fault.js"
/** @since 0.1.0 */
export * as LocalProviderServer from "./LocalProviderServer.js"
