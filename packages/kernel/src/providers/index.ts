/**
 * The providers the library knows, one record each (see `Provider`).
 *
 * @since 0.1.0
 */
import type { Provider } from "../Provider.js"
import { bitquery } from "./Bitquery.js"
import { hydrosat } from "./Hydrosat.js"
import { oauth2 } from "./OAuth2.js"
import { up42Account } from "./Up42Account.js"
import { up42Project } from "./Up42Project.js"

export {
  /** @since 0.1.0 */
  bitquery,
  /** @since 0.1.0 */
  hydrosat,
  /** @since 0.1.0 */
  oauth2,
  /** @since 0.1.0 */
  up42Account,
  /** @since 0.1.0 */
  up42Project
}

/**
 * Every provider, in the order the CLI and the documentation list them.
 *
 * @since 0.1.0
 */
export const all: ReadonlyArray<Provider> = [up42Project, up42Account, bitquery, hydrosat, oauth2]
