// The transport redirect under which the README's runnable blocks run as written: `NodeHttpClient.layerUndici`
// sends each request to the local provider server in place of the real provider's host (as if the network
// routed `auth.hydrosat.com` and `stac-beta.hydrosat.com` there); everything above the transport, the origin
// checks and the `Authorization` header included, sees the real URLs.
// Shared by packages/platform-node/test/Readme.test.ts (through vi.mock, in the workspace) and by
// scripts/pack-install.mjs (copied into the outside project, through a module-resolution hook under `node`).
// The routes are version-free (readme-routes.mjs); readme-redirect-effect4.mjs is the Effect 4 twin of this glue.
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { Effect, Layer } from "effect"
import { routing } from "./readme-routes.mjs"

export { prefixes, routeTo, routing } from "./readme-routes.mjs"

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
