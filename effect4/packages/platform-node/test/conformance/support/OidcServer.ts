/**
 * oidc-provider 8.8.1 as an Effect 4 layer: the server itself (clients, lifetimes, storage) is the
 * version-free `@effect-bearer/conformance/OidcServer`, which both lines' suites run.
 */
import * as Conformance from "@effect-bearer/conformance/OidcServer"
import { Context, Effect, Layer } from "effect"
import Provider from "oidc-provider"

export class OidcServer extends Context.Service<OidcServer, {
  readonly issuer: string
  readonly tokenUrl: string
  readonly revocationUrl: string
  readonly basicClient: Conformance.Client
  readonly postClient: Conformance.Client
  readonly reservedBasicClient: Conformance.Client
  readonly reservedPostClient: Conformance.Client
  readonly shortLivedClient: Conformance.Client
  /** Token requests (POST /token) received so far. */
  readonly tokenRequests: Effect.Effect<number>
  /** RFC 7662 introspection of a token (any client's), as the `client_secret_post` client. */
  readonly introspect: (token: string) => Effect.Effect<Conformance.Introspection>
}>()("conformance/OidcServer") {}

/** A fresh oidc-provider for each use of the layer. */
export const layer: Layer.Layer<OidcServer> = Layer.effect(
  OidcServer,
  Effect.map(
    Effect.acquireRelease(Effect.promise(() => Conformance.startOidcServer(Provider)), (server) => Effect.promise(server.close)),
    (server) =>
      OidcServer.of({
        ...server,
        tokenRequests: Effect.sync(server.tokenRequests),
        introspect: (token) => Effect.promise(() => server.introspect(token))
      })
  )
)
