/**
 * An Effect 3 token store's operations as promises, the view the shared cases and workers of
 * `@effect-bearer/conformance` use.
 */
import type * as TokenStoreCases from "@effect-bearer/conformance/TokenStoreCases"
import { TokenStore } from "@effect-bearer/core"
import { Cause, Duration, Effect, Exit, Option, Runtime } from "effect"

const read = (found: TokenStore.Read): TokenStoreCases.Read => ({ entry: Option.getOrUndefined(found.entry), now: found.now })

/** The store's operations as promises, run on `runtime` (its logger, say); a failure rejects with the store's own error. */
export const promised = (store: TokenStore.Service, runtime: Runtime.Runtime<never> = Runtime.defaultRuntime): TokenStoreCases.Store => {
  const run = <A>(effect: Effect.Effect<A, TokenStore.TokenStoreError>) =>
    Runtime.runPromiseExit(runtime)(effect).then((exit) =>
      Exit.isSuccess(exit) ? exit.value : Promise.reject(Option.getOrElse(Cause.failureOption(exit.cause), () => Cause.squash(exit.cause)))
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
