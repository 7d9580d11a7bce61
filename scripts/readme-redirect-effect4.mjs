// The Effect 4 line's transport redirect for the README's runnable ```ts effect4 blocks (readme-redirect.mjs is
// the Effect 3 line's): `NodeHttpClient.layerUndici` sends each request to the local provider server in place of
// the real provider's host; everything above the transport sees the real URLs. Copied into the outside project
// by `pack-install.mjs --effect4` (as readme-redirect.mjs, beside readme-routes.mjs).
import { Effect, Layer } from "effect"
import { HttpClient, HttpClientRequest } from "effect/http"
import { routing } from "./readme-routes.mjs"

export { prefixes, routeTo, routing } from "./readme-routes.mjs"

/** The `NodeHttpClient` module with `layerUndici` sending each request where {@link routing} says. */
export const routedNodeHttpClient = (NodeHttpClient) => ({
  ...NodeHttpClient,
  layerUndici: Layer.effect(
    HttpClient.HttpClient,
    Effect.map(
      Effect.service(HttpClient.HttpClient),
      HttpClient.mapRequest((request) => HttpClientRequest.setUrl(request, routing.route(request.url)))
    )
  ).pipe(Layer.provide(NodeHttpClient.layerUndici))
})
