/**
 * effect-bearer providers for Effect 4: UP42 (project and account credentials), Bitquery,
 * Hydrosat and any OAuth2 server, each a record of `@effect-bearer/kernel` plus thin layers
 * over `@effect-bearer/core`; and a local provider server that speaks all their wire
 * contracts, for tests and demos.
 *
 * @since 4.0.0
 */

/** @since 4.0.0 */
export * as Bitquery from "./Bitquery.js"
/** @since 4.0.0 */
export * as CredentialsFileReader from "./CredentialsFileReader.js"
/** @since 4.0.0 */
export * as Hydrosat from "./Hydrosat.js"
/** @since 4.0.0 */
export * as LocalProviderServer from "./LocalProviderServer.js"
/** @since 4.0.0 */
export * as OAuth2 from "./OAuth2.js"
/** @since 4.0.0 */
export * as Provider from "./Provider.js"
/** @since 4.0.0 */
export * as Up42Account from "./Up42Account.js"
/** @since 4.0.0 */
export * as Up42Project from "./Up42Project.js"
