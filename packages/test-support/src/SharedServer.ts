/**
 * One recording server for a whole `describe` block (`layer(...)` of @effect/vitest), and
 * each test's view of it: faults cleared, request counts and records from zero. Starting a
 * server per test is what this saves; a test that changes how the server answers for
 * longer than itself (token lifetimes, credentials) still gets a server of its own.
 */
import { Effect } from "effect"

/** A server that counts and records requests by provider and endpoint, and can be told to fail. */
export interface Recording<Provider extends string, Endpoint extends string, Request> {
  readonly clearFaults: Effect.Effect<void>
  readonly requestCount: (provider: Provider, endpoint?: Endpoint) => Effect.Effect<number>
  readonly requests: (provider: Provider, endpoint?: Endpoint) => Effect.Effect<ReadonlyArray<Request>>
}

/**
 * `server` as one test sees it: no fault set, and what earlier tests sent set aside.
 * `endpoints` lists them all, the one a call without an endpoint means first.
 */
export const fresh = <Provider extends string, Endpoint extends string, Request, Server extends Recording<Provider, Endpoint, Request>>(
  server: Server,
  providers: ReadonlyArray<Provider>,
  endpoints: readonly [Endpoint, ...ReadonlyArray<Endpoint>]
): Effect.Effect<Server> =>
  Effect.gen(function*() {
    yield* server.clearFaults
    const before = new Map<string, number>()
    for (const provider of providers) {
      for (const endpoint of endpoints) before.set(`${provider}/${endpoint}`, yield* server.requestCount(provider, endpoint))
    }
    const since = (provider: Provider, endpoint: Endpoint = endpoints[0]) =>
      Effect.map(server.requestCount(provider, endpoint), (count) => count - (before.get(`${provider}/${endpoint}`) ?? 0))
    const view: Recording<Provider, Endpoint, Request> = {
      clearFaults: server.clearFaults,
      requestCount: since,
      requests: (provider, endpoint = endpoints[0]) =>
        Effect.zipWith(server.requests(provider, endpoint), since(provider, endpoint), (all, count) => all.slice(all.length - count))
    }
    return { ...server, ...view }
  })
