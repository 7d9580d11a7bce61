/**
 * A token endpoint over `ApiServer` (several can run at once, each in the test's scope):
 * answers `<prefix>-1`, `<prefix>-2`, ... (300 s each) and an API that accepts only the
 * tokens it issued and not revoked, so that a test with several providers sees which
 * token went where, and a test of the 401 path can revoke one.
 */
import type { Scope } from "effect"
import { Effect, Ref } from "effect"
import * as ApiServer from "./ApiServer.js"

export interface TokenIssuer {
  readonly server: ApiServer.ApiServer
  readonly tokenUrl: string
  /** The tokens issued so far. */
  readonly issued: Effect.Effect<ReadonlyArray<string>>
  /** How many token requests reached the endpoint. */
  readonly tokenRequests: Effect.Effect<number>
  /** The API stops accepting `token`. */
  readonly revoke: (token: string) => Effect.Effect<void>
  /** An API answering 200 to the tokens issued here and not revoked, 401 to anything else. */
  readonly accepts: ApiServer.Handler
}

export const make = (prefix: string): Effect.Effect<TokenIssuer, never, Scope.Scope> =>
  Effect.gen(function*() {
    const issued = yield* Ref.make<ReadonlyArray<string>>([])
    const revoked = yield* Ref.make<ReadonlySet<string>>(new Set())
    const server = yield* ApiServer.make
    yield* server.handle((request) =>
      request.path.startsWith("/revoke")
        ? Effect.succeed(ApiServer.json({}))
        : Effect.map(
          Ref.updateAndGet(issued, (all) => [...all, `${prefix}-${all.length + 1}`]),
          (all) => ApiServer.json({ access_token: all[all.length - 1], token_type: "Bearer", expires_in: 300 })
        )
    )
    return {
      server,
      tokenUrl: server.url("/token"),
      issued: Ref.get(issued),
      tokenRequests: Effect.map(server.requests, (all) => all.filter((request) => request.path === "/token").length),
      revoke: (token) => Ref.update(revoked, (all) => new Set([...all, token])),
      accepts: ApiServer.bearerApi((token) =>
        Effect.map(Effect.all([Ref.get(issued), Ref.get(revoked)]), ([all, gone]) => all.includes(token) && !gone.has(token))
      )
    }
  })
