/**
 * oauth2-mock-server 7.2.1 as an Effect 4 layer: the server itself (recording, shaped answers) is
 * the version-free `@effect-bearer/conformance/MockOAuth2Server`, which both lines' suites run.
 */
import * as Conformance from "@effect-bearer/conformance/MockOAuth2Server"
import { Context, Effect, Layer } from "effect"
import { OAuth2Server } from "oauth2-mock-server"

export class MockOAuth2Server extends Context.Service<MockOAuth2Server, {
  readonly issuer: string
  readonly tokenUrl: string
  readonly requests: Effect.Effect<ReadonlyArray<Conformance.TokenRequest>>
  /** The grant types of the requests so far, in order. */
  readonly grantTypes: Effect.Effect<ReadonlyArray<string>>
  /** The refresh tokens handed out so far, in order. */
  readonly refreshTokens: Effect.Effect<ReadonlyArray<string>>
  readonly behave: (behaviour: Conformance.Behaviour) => Effect.Effect<void>
  /** Forgets the requests recorded and the behaviour set so far. */
  readonly reset: Effect.Effect<void>
}>()("conformance/MockOAuth2Server") {}

/** A mock server for each use of the layer. */
export const layer: Layer.Layer<MockOAuth2Server> = Layer.effect(
  MockOAuth2Server,
  Effect.map(
    Effect.acquireRelease(Effect.promise(() => Conformance.startMockOAuth2Server(OAuth2Server)), (server) => Effect.promise(server.stop)),
    (server) =>
      MockOAuth2Server.of({
        issuer: server.issuer,
        tokenUrl: server.tokenUrl,
        requests: Effect.sync(server.requests),
        grantTypes: Effect.sync(server.grantTypes),
        refreshTokens: Effect.sync(server.refreshTokens),
        behave: (behaviour) => Effect.sync(() => server.behave(behaviour)),
        reset: Effect.sync(server.reset)
      })
  )
)
