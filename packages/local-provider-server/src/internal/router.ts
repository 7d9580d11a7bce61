/**
 * The local provider server's router: the route of a request's method and path, and an
 * RFC 6749 §5.2 404 for any other.
 *
 * @internal
 */
import type { Route } from "./providerHandler.js"
import { oauthError } from "./wire.js"
import type { Incoming, Response } from "./wire.js"

/** Answers each request with its route, by exact method and path. */
export const router = (routes: ReadonlyArray<Route>) => {
  const byKey = new Map(routes.map((route) => [`${route.method} ${route.path}`, route]))
  return (incoming: Incoming): Promise<Response> => {
    const route = byKey.get(`${incoming.method.toUpperCase()} ${incoming.path}`)
    return route === undefined
      ? Promise.resolve(oauthError(404, "not_found", `No route for ${incoming.method} ${incoming.url}`))
      : route.handle(incoming)
  }
}
