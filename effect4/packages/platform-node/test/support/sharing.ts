/**
 * The Effect 4 token provider over a store under test, the view `TokenStoreCases.sharingCases`
 * use: one credential of a source issuing `tok-N`, a new provider for each `get`.
 */
import type * as TokenStoreCases from "@effect-bearer/conformance/TokenStoreCases"
import { AccessToken, TokenProvider, TokenStore } from "@effect-bearer/core"
import type { TokenSource } from "@effect-bearer/core"
import * as TokenStoreKey from "@effect-bearer/kernel/TokenStoreKey"
import { Clock, Effect, Logger, Metric, Redacted } from "effect"

/** The sharing view of `store`, for a credential of its own. */
export const sharing = (store: TokenStore.Service): Promise<TokenStoreCases.Sharing> => {
  const name = `sharing-${crypto.randomUUID()}`
  let fetches = 0
  const source: TokenSource.TokenSource = {
    name,
    grantType: "client_credentials",
    sharing: {
      identity: { tokenUrl: `https://${name}.example/token`, clientId: "client", grantType: "client_credentials" },
      secrets: [Redacted.make("client secret")]
    },
    fetch: () =>
      Effect.map(Clock.currentTimeMillis, (issuedAt) =>
        AccessToken.make({
          value: Redacted.make(`tok-${++fetches}`),
          issuedAt,
          lifetime: "300 seconds",
          lifetimeSource: "expires_in"
        }))
  }
  const get = () => {
    const warnings: Array<string> = []
    const logger = Logger.make(({ logLevel, message }) => {
      if (logLevel === "Warn") warnings.push((Array.isArray(message) ? message : [message]).map(String).join(" "))
    })
    return Effect.runPromise(
      Effect.scoped(Effect.flatMap(TokenProvider.make(source, { backgroundRefresh: false }), (provider) => provider.get)).pipe(
        Effect.provideService(TokenStore.TokenStore, store),
        Effect.provide(Logger.layer([logger]))
      )
    ).then((token) => ({ token: Redacted.value(token.value), warnings }))
  }
  const unusable = () =>
    Effect.runPromise(Effect.map(Metric.snapshot, (snapshots) =>
      snapshots
        .filter((snapshot) =>
          snapshot.id === "effect_bearer_token_store_events_total" &&
          snapshot.attributes?.["provider"] === name && snapshot.attributes?.["event"] === "unusable"
        )
        .reduce((sum, snapshot) => sum + (snapshot.type === "Counter" ? Number(snapshot.state.count) : 0), 0)))
  return TokenStoreKey.make(source.sharing!.identity).then((storeKey) => ({ storeKey, get, fetches: () => fetches, unusable }))
}
