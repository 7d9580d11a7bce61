/**
 * An Effect 4 token store's operations as promises, the view the shared cases and workers of
 * `@effect-bearer/conformance` use.
 */
import type * as TokenStoreCases from "@effect-bearer/conformance/TokenStoreCases"
import * as TokenStore from "@effect-bearer/core/TokenStore"
import { Cause, Context, Duration, Effect, Exit, Option } from "effect"

const read = (found: TokenStore.Read): TokenStoreCases.Read => ({ entry: Option.getOrUndefined(found.entry), now: found.now })

/** The store's operations as promises, run with `context` (its logger, say); a failure rejects with the store's own error. */
export const promised = (store: TokenStore.Service, context: Context.Context<never> = Context.empty()): TokenStoreCases.Store => {
  const run = <A>(effect: Effect.Effect<A, TokenStore.TokenStoreError>) =>
    Effect.runPromiseExitWith(context)(effect).then((exit) =>
      Exit.isSuccess(exit) ? exit.value : Promise.reject(Option.getOrElse(Cause.findErrorOption(exit.cause), () => Cause.squash(exit.cause)))
    )
  return {
    backend: store.backend,
    get: (key) => run(Effect.map(store.get(key), read)),
    compareAndSet: (key, entry) => run(store.compareAndSet(key, entry)),
    acquireLock: (key, millis) => run(Effect.map(store.acquireLock(key, Duration.millis(millis)), Option.getOrUndefined)),
    releaseLock: (lock) => run(store.releaseLock(lock)),
    awaitChange: (key, after, millis) => run(Effect.map(store.awaitChange(key, after, Duration.millis(millis)), read)),
    now: () => run(store.now),
    isStoreError: (error) => error instanceof TokenStore.TokenStoreError
  }
}

