/**
 * What one provider's module of the local provider server defines, and what its
 * handlers are given.
 *
 * @internal
 */
import type * as HttpRouter from "@effect/platform/HttpRouter"
import type { Duration } from "effect"
import type * as Api from "../../LocalProviderServer.js"
import type { Endpoint } from "./endpoint.js"
import type { IssuedTokens } from "./issuedTokens.js"

/** The running server, as a provider's handlers see it. */
export interface HandlerContext {
  readonly credentials: Api.Credentials
  readonly urls: Api.Urls
  readonly tokens: IssuedTokens
  readonly endpoint: Endpoint
}

/** One provider on the server: where it lives, what it issues by default, and its routes. */
export interface ProviderHandler<Id extends Api.ProviderId> {
  readonly id: Id
  /** Its path prefix is `/${realm}`; its tokens' `aud` and its API's challenges name the realm. */
  readonly realm: string
  /** The access token lifetime it issues unless told otherwise. */
  readonly defaultLifetime: Duration.DurationInput
  readonly urls: (origin: string) => Api.Urls[Id]
  /** The environment variables that point the provider's `layerConfig` at this server. */
  readonly environment: (credentials: Api.Credentials, urls: Api.Urls[Id]) => Record<string, string>
  readonly routes: (context: HandlerContext) => HttpRouter.HttpRouter
}

/**
 * A handler's `urls`: each of its URL paths on the server's origin, under the same names
 * (`tokenUrl`, `apiUrl`, …) as its entry of `Api.Urls`.
 */
export const urlsOn =
  <Paths extends Readonly<Record<string, string>>>(paths: Paths) =>
  (origin: string): { readonly [Name in keyof Paths]: string } =>
    Object.fromEntries(Object.entries(paths).map(([name, path]) => [name, origin + path])) as {
      readonly [Name in keyof Paths]: string
    }
