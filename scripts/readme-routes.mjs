// Where the README's runnable blocks' requests go: the real provider origins they name, to the local provider
// server's prefixes. Version-free: both lines' transport redirects (readme-redirect.mjs for Effect 3,
// readme-redirect-effect4.mjs for Effect 4) route with it.

/**
 * The real origins the blocks name, to the local server's prefixes: it serves each provider under a prefix,
 * at the documented path (`https://auth.hydrosat.com/oauth2/token` at `/hydrosat/oauth2/token`), and each API
 * under its own.
 */
export const prefixes = new Map([
  ["https://auth.hydrosat.com", "/hydrosat"],
  ["https://stac-beta.hydrosat.com", "/hydrosat/stac"],
  ["https://auth.up42.com", "/up42-account"],
  ["https://auth.sa.up42.com", "/up42-account"],
  ["https://api.up42.com", "/up42-account/api"],
  ["https://api.sa.up42.com", "/up42-account/api"]
])

/** Real provider URLs to those of the local server listening at `serverOrigin`; an unknown origin is an error. */
export const routeTo = (serverOrigin) => (url) => {
  const target = new URL(url)
  const prefix = prefixes.get(target.origin)
  if (prefix === undefined) throw new Error(`a README block sent a request to ${url}, which is not routed`)
  return `${serverOrigin}${prefix}${target.pathname}${target.search}`
}

/** Where the transport sends a URL: set once the local server listens (`routing.route = routeTo(origin)`). */
export const routing = { route: (url) => url }
