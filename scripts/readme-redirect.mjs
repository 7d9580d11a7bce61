// The transport redirect under which the README's runnable blocks run as written: `NodeHttpClient.layerUndici`
// sends each request to the local provider server in place of the real provider's host (as if the network
// routed `auth.hydrosat.com` and `stac-beta.hydrosat.com` there); everything above the transport, the origin
// checks and the `Authorization` header included, sees the real URLs.
// Shared by packages/platform-node/test/Readme.test.ts (through vi.mock, in the workspace) and by
// scripts/pack-install.mjs (copied into the outside project, through a module-resolution hook under `node`).
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { Effect, Layer } from "effect"

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

/** The `NodeHttpClient` module with `layerUndici` sending each request where {@link routing} says. */
export const routedNodeHttpClient = (NodeHttpClient) => ({
  ...NodeHttpClient,
  layerUndici: Layer.effect(
    HttpClient.HttpClient,
    Effect.map(
      HttpClient.HttpClient,
      HttpClient.mapRequest((request) => HttpClientRequest.setUrl(request, routing.route(request.url)))
    )
  ).pipe(Layer.provide(NodeHttpClient.layerUndici))
})
