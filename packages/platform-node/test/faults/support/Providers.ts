/**
 * Each provider's token provider, pointed at the local provider server with the
 * server's credentials: the way a user's program builds them, with the token URL
 * overridden.
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type { Effect, Scope } from "effect"
import type { TokenError, TokenProvider } from "@effect-bearer/core"
import { Bitquery, Hydrosat, LocalProviderServer, OAuth2, Up42Account, Up42Project } from "@effect-bearer/providers"
import type { Provider } from "@effect-bearer/providers"

export type Make = (
  server: LocalProviderServer.Service,
  options: Provider.Options
) => Effect.Effect<TokenProvider.Service, TokenError.InvalidConfiguration | TokenError.WrongHost, HttpClient.HttpClient | Scope.Scope>

/** Every provider the server speaks, by its id on the server. */
export const all: ReadonlyArray<readonly [LocalProviderServer.ProviderId, Make]> = [
  ["up42-project", (server, options) =>
    Up42Project.make({
      ...options,
      ...server.credentials.up42Projects[0]!,
      tokenUrl: server.urls["up42-project"].tokenUrl
    })],
  ["up42-account", (server, options) =>
    Up42Account.make({
      ...options,
      username: server.credentials.up42Account.username,
      password: server.credentials.up42Account.password,
      tokenUrl: server.urls["up42-account"].tokenUrl
    })],
  ["bitquery", (server, options) =>
    Bitquery.make({
      ...options,
      clientId: server.credentials.bitquery.clientId,
      clientSecret: server.credentials.bitquery.clientSecret,
      tokenUrl: server.urls.bitquery.tokenUrl
    })],
  ["hydrosat", (server, options) =>
    Hydrosat.make({
      ...options,
      clientId: server.credentials.hydrosat.clientId,
      clientSecret: server.credentials.hydrosat.clientSecret,
      tokenUrl: server.urls.hydrosat.tokenUrl
    })],
  ["oauth2", (server, options) =>
    OAuth2.make({
      ...options,
      clientId: server.credentials.oauth2.clientId,
      clientSecret: server.credentials.oauth2.clientSecret,
      tokenUrl: server.urls.oauth2.tokenUrl
    })]
]

/** Every endpoint of every provider that is not a token endpoint. */
export const otherEndpoints: ReadonlyArray<LocalProviderServer.Endpoint> = ["api", "discovery", "revocation"]

/** Re-exported for tests that only need the ids. */
export const providerIds = LocalProviderServer.providerIds
