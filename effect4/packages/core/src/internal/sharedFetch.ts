import type * as AccessToken from "../AccessToken.js"
import type * as TokenSource from "../TokenSource.js"
import type * as TokenStore from "../TokenStore.js"
import type * as TokenFetch from "./tokenFetch.js"

/** What the shared fetch needs besides the store and the plain fetch. */
export interface Options {
  readonly provider: string
  readonly store: TokenStore.Service
  readonly sharing: TokenSource.Sharing
  readonly usableUntil: (token: AccessToken.AccessToken) => number
}

/** The plain `fetch` made shared through `options.store` (to come). */
export const make = (fetch: TokenFetch.Fetch, _options: Options): TokenFetch.Fetch => fetch
