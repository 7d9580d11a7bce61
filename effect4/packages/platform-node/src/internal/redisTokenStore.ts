/**
 * The Redis token store on Effect 4's `Redis` service (`effect/persistence/Redis`): its cached
 * scripts (`SCRIPT LOAD` once, `EVALSHA` after), its commands and its pub/sub. The layout (keys,
 * scripts, replies) is the kernel's `RedisTokenStoreLayout`, the same as the Effect 3 line's, so
 * a process of either line shares one token with the other.
 *
 * @internal
 */
import * as Layout from "@effect-bearer/kernel/RedisTokenStoreLayout"
import * as TokenStoreEntry from "@effect-bearer/kernel/TokenStoreEntry"
import * as TokenError from "@effect-bearer/core/TokenError"
import * as TokenStore from "@effect-bearer/core/TokenStore"
import type { Redacted } from "effect"
import { Clock, Duration, Effect, Option, Queue, Random } from "effect"
import * as Redis from "effect/persistence/Redis"

/** @internal */
export interface Options {
  readonly keyPrefix: string
  readonly commandTimeout: Duration.Duration
  readonly pollInterval: Duration.Duration
  /** What an error's detail must never show (the URL, the password). */
  readonly secrets: ReadonlyArray<Redacted.Redacted<string>>
}

type Reply = ReadonlyArray<unknown>

const script = (lua: string, numberOfKeys: number) =>
  Redis.script((...keysThenArguments: ReadonlyArray<string>) => keysThenArguments, { lua, numberOfKeys })
    .withReturnType<Reply | number>()

// One descriptor each: `Redis.eval` caches the loaded script by its descriptor.
const scripts = {
  read: script(Layout.readScript, 2),
  compareAndSet: script(Layout.compareAndSetScript, 1),
  acquire: script(Layout.acquireScript, 1),
  release: script(Layout.releaseScript, 1)
}

const backend = "redis"
const fail = (reason: TokenStore.TokenStoreError["reason"], operation: string, detail: string) =>
  new TokenStore.TokenStoreError({ reason, backend, operation, detail })

/**
 * The store over `connection`: the `Redis` service, or why there is none yet (the connection is
 * still being made).
 *
 * @internal
 */
export const make = (
  connection: Effect.Effect<Redis.Redis["Service"], TokenStore.TokenStoreError>,
  options: Options
): TokenStore.Service => {
  const detailOf = (error: Redis.RedisError): string => {
    const cause = error.cause
    return TokenError.sanitizeServerText(cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause), options.secrets)
  }

  /** One command or script, bounded by the command timeout, its failures typed. */
  const run = <A>(operation: string, command: (redis: Redis.Redis["Service"]) => Effect.Effect<A, Redis.RedisError>) =>
    Effect.flatMap(connection, (redis) => Effect.mapError(command(redis), (error) => fail("Unavailable", operation, detailOf(error)))).pipe(
      Effect.timeoutOrElse({
        duration: options.commandTimeout,
        orElse: () => Effect.fail(fail("Timeout", operation, `no answer within ${Duration.format(options.commandTimeout)}`))
      })
    )

  const evaluate = (operation: string, which: keyof typeof scripts, keysThenArguments: ReadonlyArray<string>) =>
    Effect.flatMap(run(operation, (redis) => redis.eval(scripts[which])(...keysThenArguments)), (reply) =>
      Array.isArray(reply) || typeof reply === "number"
        ? Effect.succeed(reply)
        : Effect.fail(fail("Corrupt", operation, "unexpected script reply")))

  const asList = (reply: Reply | number): Reply => Array.isArray(reply) ? reply : [reply]
  const entryKey = (key: string) => Layout.entryKey(options.keyPrefix, key)
  const lockKey = (key: string) => Layout.lockKey(options.keyPrefix, key)
  const channel = (key: string) => Layout.changeChannel(options.keyPrefix, key)
  const traced = <A>(operation: string, effect: Effect.Effect<A, TokenStore.TokenStoreError>) =>
    Effect.withSpan(effect, `TokenStore.${operation}`, { attributes: { backend } })

  const readWithLock = (key: string, operation: string) =>
    Effect.flatMap(evaluate(operation, "read", [entryKey(key), lockKey(key)]), (reply) => {
      const [raw, seconds, micros, locked, wrongType] = asList(reply)
      const now = Layout.millisOf(seconds, micros)
      const found = { now, locked: Number(locked) === 1 }
      if (Number(wrongType) === 1) return Effect.fail(fail("Corrupt", operation, "the key holds another Redis type"))
      if (raw === null || raw === undefined || raw === false) return Effect.succeed({ ...found, entry: Option.none<TokenStore.Entry>() })
      const entry = typeof raw === "string" ? TokenStoreEntry.decode(raw) : undefined
      return entry === undefined
        ? Effect.fail(fail("Corrupt", operation, "the value is not a token entry"))
        : Effect.succeed({ ...found, entry: Option.some(entry) })
    })

  /** Wakes on a message of the key's channel; without a subscription (Redis away) only the poll wakes. */
  const wakeOnChange = (key: string) =>
    Effect.flatMap(connection, (redis) => redis.subscribe(channel(key))).pipe(
      Effect.timeoutOrElse({ duration: options.commandTimeout, orElse: () => Effect.fail("no subscription") }),
      Effect.map((messages) => Effect.catch(Queue.take(messages), () => Effect.never)),
      Effect.orElseSucceed(() => Effect.never)
    )

  const awaitChange = (key: string, after: number, timeout: Duration.Input) =>
    traced(
      "awaitChange",
      Effect.scoped(Effect.gen(function*() {
        const wake = yield* wakeOnChange(key)
        const deadline = (yield* Clock.currentTimeMillis) + Duration.toMillis(timeout)
        const poll = Duration.toMillis(options.pollInterval)
        while (true) {
          const { entry, now, locked } = yield* readWithLock(key, "awaitChange")
          const remaining = deadline - (yield* Clock.currentTimeMillis)
          if (Option.exists(entry, (found) => found.generation > after) || !locked || remaining <= 0) return { entry, now }
          // A message wakes at once; the poll (with jitter) covers a lost subscription and a lock that expired.
          const jitter = yield* Random.nextIntBetween(0, Math.max(1, poll))
          yield* Effect.raceFirst(wake, Effect.sleep(Duration.millis(Math.min(remaining, poll + jitter))))
        }
      }))
    )

  return {
    backend,
    get: (key) => traced("get", Effect.map(readWithLock(key, "get"), ({ entry, now }) => ({ entry, now }))),
    compareAndSet: (key, entry) =>
      traced(
        "compareAndSet",
        Effect.map(
          evaluate("compareAndSet", "compareAndSet", [
            entryKey(key),
            ...Layout.compareAndSetArguments(options.keyPrefix, key, entry, TokenStoreEntry.encode(entry))
          ]),
          (reply): TokenStore.WriteResult => {
            const [written, current] = asList(reply)
            return Number(written) === 1 ? { _tag: "Written" } : { _tag: "Stale", current: Number(current) }
          }
        )
      ),
    acquireLock: (key, timeToLive) =>
      traced(
        "acquireLock",
        Effect.gen(function*() {
          const owner = yield* TokenStore.makeOwner
          const millis = Math.max(1, Math.ceil(Duration.toMillis(timeToLive)))
          const [taken, seconds, micros] = asList(yield* evaluate("acquireLock", "acquire", [lockKey(key), owner, String(millis)]))
          return Number(taken) === 1
            ? Option.some<TokenStore.Lock>({ key, owner, expiresAt: Layout.millisOf(seconds, micros) + millis, tookOver: false })
            : Option.none()
        })
      ),
    releaseLock: (lock) =>
      traced(
        "releaseLock",
        Effect.map(evaluate("releaseLock", "release", [lockKey(lock.key), lock.owner, channel(lock.key)]), (reply) => Number(asList(reply)[0]) === 1)
      ),
    awaitChange,
    now: traced(
      "now",
      Effect.map(run("now", (redis) => redis.send<Reply>("TIME")), (reply) =>
        Array.isArray(reply) ? Layout.millisOf(reply[0], reply[1]) : Number.NaN)
    )
  }
}
