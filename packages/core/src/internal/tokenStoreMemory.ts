import { Clock, Duration, Effect, Option, PubSub, Queue, Ref } from "effect"
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

const liveEntry = (state: State, key: string, now: number): Option.Option<TokenStore.Entry> =>
  Option.filter(Option.fromNullable(state.entries.get(key)), (entry) => entry.expiresAt > now)

const liveLock = (state: State, key: string, now: number): Option.Option<Held> =>
  Option.filter(Option.fromNullable(state.locks.get(key)), (held) => held.expiresAt > now)

/** @internal */
export const make: Effect.Effect<TokenStore.Service> = Effect.gen(function*() {
  const state = yield* Ref.make<State>({ entries: new Map(), locks: new Map() })
  // Keys whose entry was written or whose lock was released: wakes `awaitChange`.
  const changes = yield* PubSub.unbounded<string>()

  const read = (key: string) =>
    Effect.gen(function*() {
      const now = yield* Clock.currentTimeMillis
      return { entry: liveEntry(yield* Ref.get(state), key, now), now }
    })

  const get = (key: string) => read(key)

  const compareAndSet = (key: string, entry: TokenStore.Entry) =>
    Effect.gen(function*() {
      const now = yield* Clock.currentTimeMillis
      const result = yield* Ref.modify(state, (current): [TokenStore.WriteResult, State] => {
        const stored = Option.match(liveEntry(current, key, now), { onNone: () => 0, onSome: (found) => found.generation })
        if (stored >= entry.generation) return [{ _tag: "Stale", current: stored }, current]
        return [{ _tag: "Written" }, { ...current, entries: new Map(current.entries).set(key, entry) }]
      })
      if (result._tag === "Written") yield* PubSub.publish(changes, key)
      return result
    })

  const acquireLock = (key: string, timeToLive: Duration.DurationInput) =>
    Effect.gen(function*() {
      const now = yield* Clock.currentTimeMillis
      const owner = yield* makeOwner
      const expiresAt = now + Duration.toMillis(timeToLive)
      return yield* Ref.modify(state, (current): [Option.Option<TokenStore.Lock>, State] => {
        if (Option.isSome(liveLock(current, key, now))) return [Option.none(), current]
        const lock: TokenStore.Lock = { key, owner, expiresAt, tookOver: current.locks.has(key) }
        return [Option.some(lock), { ...current, locks: new Map(current.locks).set(key, { owner, expiresAt }) }]
      })
    })

  const releaseLock = (lock: TokenStore.Lock) =>
    Effect.gen(function*() {
      const released = yield* Ref.modify(state, (current): [boolean, State] => {
        if (current.locks.get(lock.key)?.owner !== lock.owner) return [false, current]
        const locks = new Map(current.locks)
        locks.delete(lock.key)
        return [true, { ...current, locks }]
      })
      if (released) yield* PubSub.publish(changes, lock.key)
      return released
    })

  const awaitChange = (key: string, after: number, timeout: Duration.DurationInput) =>
    Effect.scoped(Effect.gen(function*() {
      const subscription = yield* PubSub.subscribe(changes)
      const deadline = (yield* Clock.currentTimeMillis) + Duration.toMillis(timeout)
      while (true) {
        const now = yield* Clock.currentTimeMillis
        const current = yield* Ref.get(state)
        const entry = liveEntry(current, key, now)
        const lock = liveLock(current, key, now)
        const changed = Option.exists(entry, (found) => found.generation > after)
        if (changed || Option.isNone(lock) || now >= deadline) return { entry, now }
        // Until this key changes, or the lock expires, or the deadline: whichever is first.
        const until = Math.min(deadline, Option.getOrThrow(lock).expiresAt)
        yield* Effect.raceFirst(
          Effect.iterate(false, { while: (matched) => !matched, body: () => Effect.map(Queue.take(subscription), (changed) => changed === key) }),
          Effect.sleep(Duration.millis(until - now))
        )
      }
    }))

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
