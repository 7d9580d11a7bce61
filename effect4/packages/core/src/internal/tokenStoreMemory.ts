/**
 * The in-process store: two maps in one `MutableRef`, each operation one synchronous step, and a
 * `Deferred` per change (completed and replaced on each write or release) for `awaitChange`.
 */
import { Clock, Deferred, Duration, Effect, MutableRef, Option } from "effect"
import type * as TokenStore from "../TokenStore.js"
import { makeOwner } from "./tokenStoreOwner.js"

interface Held {
  readonly owner: string
  readonly expiresAt: number
}

interface State {
  readonly entries: ReadonlyMap<string, TokenStore.Entry>
  readonly locks: ReadonlyMap<string, Held>
}

const live = <A extends { readonly expiresAt: number }>(found: A | undefined, now: number): Option.Option<A> =>
  found !== undefined && found.expiresAt > now ? Option.some(found) : Option.none()

/** @internal */
export const make: Effect.Effect<TokenStore.Service> = Effect.gen(function*() {
  const state = MutableRef.make<State>({ entries: new Map(), locks: new Map() })
  // Completed at every write or release: `awaitChange` looks again then.
  let changed = yield* Deferred.make<void>()
  const signal = Effect.suspend(() => {
    const previous = changed
    changed = Deferred.makeUnsafe<void>()
    return Deferred.succeed(previous, undefined)
  })

  const get = (key: string) =>
    Effect.map(Clock.currentTimeMillis, (now) => ({ entry: live(MutableRef.get(state).entries.get(key), now), now }))

  const compareAndSet = (key: string, entry: TokenStore.Entry) =>
    Effect.flatMap(Clock.currentTimeMillis, (now) => {
      const current = MutableRef.get(state)
      const stored = Option.match(live(current.entries.get(key), now), { onNone: () => 0, onSome: (found) => found.generation })
      if (stored >= entry.generation) return Effect.succeed<TokenStore.WriteResult>({ _tag: "Stale", current: stored })
      MutableRef.set(state, { ...current, entries: new Map(current.entries).set(key, entry) })
      return Effect.as(signal, { _tag: "Written" } as TokenStore.WriteResult)
    })

  const acquireLock = (key: string, timeToLive: Duration.Input) =>
    Effect.flatMap(Effect.zip(Clock.currentTimeMillis, makeOwner), ([now, owner]) =>
      Effect.sync(() => {
        const current = MutableRef.get(state)
        if (Option.isSome(live(current.locks.get(key), now))) return Option.none<TokenStore.Lock>()
        const expiresAt = now + Duration.toMillis(timeToLive)
        MutableRef.set(state, { ...current, locks: new Map(current.locks).set(key, { owner, expiresAt }) })
        return Option.some<TokenStore.Lock>({ key, owner, expiresAt, tookOver: current.locks.has(key) })
      }))

  const releaseLock = (lock: TokenStore.Lock) =>
    Effect.suspend(() => {
      const current = MutableRef.get(state)
      if (current.locks.get(lock.key)?.owner !== lock.owner) return Effect.succeed(false)
      const locks = new Map(current.locks)
      locks.delete(lock.key)
      MutableRef.set(state, { ...current, locks })
      return Effect.as(signal, true)
    })

  const awaitChange = (key: string, after: number, timeout: Duration.Input) =>
    Effect.gen(function*() {
      const deadline = (yield* Clock.currentTimeMillis) + Duration.toMillis(timeout)
      while (true) {
        const now = yield* Clock.currentTimeMillis
        const current = MutableRef.get(state)
        const entry = live(current.entries.get(key), now)
        const lock = live(current.locks.get(key), now)
        if (Option.exists(entry, (found) => found.generation > after) || Option.isNone(lock) || now >= deadline) {
          return { entry, now }
        }
        // Until something changes, the lock expires or the deadline: whichever is first.
        yield* Effect.raceFirst(Deferred.await(changed), Effect.sleep(Duration.millis(Math.min(deadline, lock.value.expiresAt) - now)))
      }
    })

  return {
    backend: "memory",
    get,
    compareAndSet,
    acquireLock,
    releaseLock,
    awaitChange,
    now: Clock.currentTimeMillis
  } satisfies TokenStore.Service
})
