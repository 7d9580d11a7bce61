/**
 * Runs the shared `TokenStore` cases (`@effect-bearer/conformance/TokenStoreCases`) against an
 * Effect 4 store: each case gets the store's operations as promises, run in the test's scope.
 */
import { describe, expect, it } from "@effect/vitest"
import * as TokenStoreCases from "@effect-bearer/conformance/TokenStoreCases"
import * as TokenStore from "@effect-bearer/core/TokenStore"
import { Cause, Duration, Effect, Exit, Layer, Option } from "effect"

/** A backend under test: the shared description and its layer, built for each test. */
export interface Backend extends TokenStoreCases.Backend {
  readonly layer: Layer.Layer<TokenStore.TokenStore, unknown>
}

const read = (found: TokenStore.Read): TokenStoreCases.Read => ({ entry: Option.getOrUndefined(found.entry), now: found.now })

/** The store's operations as promises; a failure rejects with the store's own error. */
export const promised = (store: TokenStore.Service): TokenStoreCases.Store => {
  const run = <A>(effect: Effect.Effect<A, TokenStore.TokenStoreError>) =>
    Effect.runPromiseExit(effect).then((exit) =>
      Exit.isSuccess(exit) ? exit.value : Promise.reject(Option.getOrElse(Cause.findErrorOption(exit.cause), () => Cause.squash(exit.cause)))
    )
  return {
    backend: store.backend,
    get: (key) => run(Effect.map(store.get(key), read)),
    compareAndSet: (key, entry) => run(store.compareAndSet(key, entry)),
    acquireLock: (key, millis) => run(Effect.map(store.acquireLock(key, Duration.millis(millis)), Option.getOrUndefined)),
    releaseLock: (lock) => run(store.releaseLock(lock)),
    awaitChange: (key, after, millis) => run(Effect.map(store.awaitChange(key, after, Duration.millis(millis)), read)),
    now: () => run(store.now)
  }
}

/** Registers the shared cases for `backend`. */
export const conformance = (backend: Backend): void => {
  describe(`TokenStore conformance: ${backend.name}`, () => {
    for (const testCase of TokenStoreCases.cases) {
      if (testCase.needsGarbage === true && backend.plantGarbage === undefined) continue
      it.live(testCase.name, () =>
        Effect.gen(function*() {
          const store = yield* TokenStore.TokenStore
          yield* Effect.promise(() => testCase.run(promised(store), expect as TokenStoreCases.Expect, backend))
        }).pipe(Effect.provide(Layer.fresh(backend.layer))))
    }
  })
}
