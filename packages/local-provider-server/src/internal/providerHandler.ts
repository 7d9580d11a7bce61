/**
 * What one provider's module of the local provider server defines, and what its
 * handlers are given.
 *
 * @internal
 */
import type { Credentials, ProviderId, Urls } from "../LocalProviderServer.js"
import type { Endpoint, RouteHandler } from "./endpoint.js"
import type { IssuedTokens } from "./issuedTokens.js"

/** The running server, as a provider's handlers see it. */
export interface HandlerContext {
  readonly credentials: Credentials
  readonly urls: Urls
  readonly tokens: IssuedTokens
  readonly endpoint: Endpoint
}

/** A method and an exact path, and what answers there. */
export interface Route {
  readonly method: "GET" | "POST"
  readonly path: string
  readonly handle: RouteHandler
}

/** A `GET` route. */
export const get = (path: string, handle: RouteHandler): Route => ({ method: "GET", path, handle })

/** A `POST` route. */
export const post = (path: string, handle: RouteHandler): Route => ({ method: "POST", path, handle })

/** One provider on the server: where it lives, what it issues by default, and its routes. */
export interface ProviderHandler<Id extends ProviderId> {
  readonly id: Id
  /** Its path prefix is `/${realm}`; its tokens' `aud` and its API's challenges name the realm. */
  readonly realm: string
  /** The access token lifetime (ms) it issues unless told otherwise. */
  readonly defaultLifetime: number
  readonly urls: (origin: string) => Urls[Id]
  /** The environment variables that point the provider's `layerConfig` at this server. */
  readonly environment: (credentials: Credentials, urls: Urls[Id]) => Record<string, string>
  readonly routes: (context: HandlerContext) => ReadonlyArray<Route>
}

/**
 * A handler's `urls`: each of its URL paths on the server's origin, under the same names
 * (`tokenUrl`, `apiUrl`, …) as its entry of `Urls`.
 */
export const urlsOn =
  <Paths extends Readonly<Record<string, string>>>(paths: Paths) =>
  (origin: string): { readonly [Name in keyof Paths]: string } =>
    Object.fromEntries(Object.entries(paths).map(([name, path]) => [name, origin + path])) as {
      readonly [Name in keyof Paths]: string
    }
