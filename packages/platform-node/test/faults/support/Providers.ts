/**
 * Each provider's token provider, pointed at the local provider server with the
 * server's credentials: the way a user's program builds them, with the token URL
 * overridden.
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type { Effect, Redacted, Scope } from "effect"
import type { TokenError, TokenProvider } from "@effect-bearer/core"
import { Bitquery, Hydrosat, LocalProviderServer, OAuth2, Up42Account, Up42Project } from "@effect-bearer/providers"
import type { Provider } from "@effect-bearer/providers"

export type Make = (
  server: LocalProviderServer.Service,
  options: Provider.Options
) => Effect.Effect<TokenProvider.Service, TokenError.InvalidConfiguration | TokenError.WrongHost, HttpClient.HttpClient | Scope.Scope>

/** A provider that authenticates with the server's client id and secret for it. */
const byClientSecret = (
  id: "bitquery" | "hydrosat" | "oauth2",
  make: (
    options: Provider.Options & { readonly clientId: string; readonly clientSecret: Redacted.Redacted<string>; readonly tokenUrl: string }
  ) => ReturnType<Make>
): readonly [LocalProviderServer.ProviderId, Make] => [id, (server, options) =>
  make({
    ...options,
    clientId: server.credentials[id].clientId,
    clientSecret: server.credentials[id].clientSecret,
    tokenUrl: server.urls[id].tokenUrl
  })]

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
  byClientSecret("bitquery", Bitquery.make),
  byClientSecret("hydrosat", Hydrosat.make),
  byClientSecret("oauth2", OAuth2.make)
]

/** Every endpoint of every provider that is not a token endpoint. */
export const otherEndpoints: ReadonlyArray<LocalProviderServer.Endpoint> = ["api", "discovery", "revocation"]

/** Re-exported for tests that only need the ids. */
export const providerIds = LocalProviderServer.providerIds
