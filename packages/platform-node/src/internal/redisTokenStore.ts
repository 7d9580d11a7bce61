/**
 * The Redis token store on node-redis for Effect 3: the connection, its commands and its
 * pub/sub. The layout (keys, scripts, replies) and the entries are the kernel's
 * `RedisTokenStoreLayout` and `TokenStoreEntry`, the same as the Effect 4 line's, so a process
 * of either line shares one token with the other.
 *
 * @internal
 */
import * as Layout from "@effect-bearer/kernel/RedisTokenStoreLayout"
import * as TokenStoreEntry from "@effect-bearer/kernel/TokenStoreEntry"
import { TokenError, TokenStore } from "@effect-bearer/core"
import { Clock, Duration, Effect, Option, Queue, Random, Redacted } from "effect"
import type { createClient } from "redis"

/** @internal */
export interface Options {
  readonly url: Option.Option<Redacted.Redacted<string>>
  readonly host: string
  readonly port: number
  readonly username: Option.Option<string>
  readonly password: Option.Option<Redacted.Redacted<string>>
  readonly tls: boolean
  readonly keyPrefix: string
  readonly commandTimeout: Duration.Duration
  readonly connectTimeout: Duration.Duration
  readonly pollInterval: Duration.Duration
}

const backend = "redis"
type Failure = TokenStore.TokenStoreError
const fail = (reason: Failure["reason"], operation: string, detail: string) =>
  new TokenStore.TokenStoreError({ reason, backend, operation, detail })

/** Reconnects with capped exponential backoff and jitter, forever: the store comes back when Redis does. */
const reconnectStrategy = (retries: number): number => Layout.reconnectDelay(retries)

/** @internal */
export const make = (options: Options) =>
  Effect.gen(function*() {
    const secrets = [options.password, options.url].flatMap(Option.toArray)
    const connectTimeout = Duration.toMillis(options.connectTimeout)
    // Loaded when a Redis store is built, so that programs without one (the CLI) never load the client.
    const redis = yield* Effect.promise(() => import("redis"))
    const client: ReturnType<typeof createClient> = redis.createClient({
      ...Option.match(options.url, {
        onNone: () => ({
          socket: options.tls
            ? { host: options.host, port: options.port, tls: true as const, connectTimeout, reconnectStrategy }
            : { host: options.host, port: options.port, tls: false as const, connectTimeout, reconnectStrategy }
        }),
        onSome: (url) => ({ url: Redacted.value(url), socket: { connectTimeout, reconnectStrategy } })
      }),
      ...Option.match(options.username, { onNone: () => ({}), onSome: (username) => ({ username }) }),
      ...Option.match(options.password, { onNone: () => ({}), onSome: (password) => ({ password: Redacted.value(password) }) }),
      // Commands fail at once while Redis is away instead of queueing until it returns;
      // the queue of sent commands is bounded too.
      disableOfflineQueue: true,
      commandsQueueMaxLength: 1_000
    })
    const subscriber = client.duplicate()
    // Connection errors surface as typed failures of the operations; the client reconnects by itself.
    client.on("error", () => {})
    subscriber.on("error", () => {})
    const connect = (connection: typeof client) =>
      Effect.tryPromise(() => connection.connect()).pipe(Effect.timeout(options.connectTimeout), Effect.ignore)
    yield* Effect.all([connect(client), connect(subscriber)], { concurrency: 2, discard: true })
    yield* Effect.addFinalizer(() => Effect.sync(() => {
      client.destroy()
      subscriber.destroy()
    }).pipe(Effect.ignore))

    const detailOf = (cause: unknown): string =>
      TokenError.sanitizeServerText(cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause), secrets)

    /** One command, bounded by the command timeout, its failures typed. */
    const send = (operation: string, args: ReadonlyArray<string>) =>
      Effect.tryPromise({
        try: () => client.sendCommand<unknown>(args),
        catch: (cause) => fail("Unavailable", operation, detailOf(cause))
      }).pipe(
        Effect.timeoutFail({
          duration: options.commandTimeout,
          onTimeout: () => fail("Timeout", operation, `no answer within ${Duration.format(options.commandTimeout)}`)
        })
      )

    const evaluate = (operation: string, script: string, keys: ReadonlyArray<string>, args: ReadonlyArray<string>) =>
      Effect.flatMap(send(operation, ["EVAL", script, String(keys.length), ...keys, ...args]), (reply) =>
        Array.isArray(reply) ? Effect.succeed(reply as ReadonlyArray<unknown>) : Effect.fail(fail("Corrupt", operation, "unexpected script reply")))

    const entryKey = (key: string) => Layout.entryKey(options.keyPrefix, key)
    const lockKey = (key: string) => Layout.lockKey(options.keyPrefix, key)
    const channel = (key: string) => Layout.changeChannel(options.keyPrefix, key)

    const traced = <A>(operation: string, effect: Effect.Effect<A, Failure>) =>
      Effect.withSpan(effect, `TokenStore.${operation}`, { attributes: { backend } })

    const readWithLock = (key: string, operation: string) =>
      Effect.flatMap(evaluate(operation, Layout.readScript, [entryKey(key), lockKey(key)], []), ([raw, seconds, micros, locked, wrongType]) => {
        const now = Layout.millisOf(seconds, micros)
        if (Number(wrongType) === 1) return Effect.fail(fail("Corrupt", operation, "the key holds another Redis type"))
        if (raw === null || raw === undefined || raw === false) return Effect.succeed({ entry: Option.none<TokenStore.Entry>(), now, locked: Number(locked) === 1 })
        const entry = typeof raw === "string" ? TokenStoreEntry.decode(raw) : undefined
        return entry === undefined
          ? Effect.fail(fail("Corrupt", operation, "the value is not a token entry"))
          : Effect.succeed({ entry: Option.some(entry), now, locked: Number(locked) === 1 })
      })

    const read = (key: string, operation: string) =>
      Effect.map(readWithLock(key, operation), ({ entry, now }) => ({ entry, now }))

    const compareAndSet = (key: string, entry: TokenStore.Entry) =>
      traced("compareAndSet", Effect.map(
        evaluate(
          "compareAndSet",
          Layout.compareAndSetScript,
          [entryKey(key)],
          Layout.compareAndSetArguments(options.keyPrefix, key, entry, TokenStoreEntry.encode(entry))
        ),
        ([written, current]): TokenStore.WriteResult =>
          Number(written) === 1 ? { _tag: "Written" } : { _tag: "Stale", current: Number(current) }
      ))

    const acquireLock = (key: string, timeToLive: Duration.DurationInput) =>
      traced("acquireLock", Effect.gen(function*() {
        const owner = yield* TokenStore.makeOwner
        const millis = Math.max(1, Math.ceil(Duration.toMillis(timeToLive)))
        const [taken, seconds, micros] = yield* evaluate("acquireLock", Layout.acquireScript, [lockKey(key)], [owner, String(millis)])
        return Number(taken) === 1
          ? Option.some<TokenStore.Lock>({ key, owner, expiresAt: Layout.millisOf(seconds, micros) + millis, tookOver: false })
          : Option.none()
      }))

    const releaseLock = (lock: TokenStore.Lock) =>
      traced(
        "releaseLock",
        Effect.map(send("releaseLock", ["EVAL", Layout.releaseScript, "1", lockKey(lock.key), lock.owner, channel(lock.key)]), (reply) => Number(reply) === 1)
      )

    /** Wakes on a message of the key's channel; without a subscription (Redis away) only the poll wakes. */
    const subscribe = (key: string) =>
      Effect.gen(function*() {
        const wake = yield* Effect.acquireRelease(Queue.sliding<void>(1), Queue.shutdown)
        // Called by the client on its socket's data handler: must never throw.
        const listener = () => {
          wake.unsafeOffer(undefined)
        }
        yield* Effect.acquireRelease(
          Effect.tryPromise(() => subscriber.subscribe(channel(key), listener)).pipe(
            Effect.timeout(options.commandTimeout),
            Effect.as(true),
            Effect.orElseSucceed(() => false)
          ),
          (subscribed) => subscribed ? Effect.tryPromise(() => subscriber.unsubscribe(channel(key), listener)).pipe(Effect.timeout(options.commandTimeout), Effect.ignore) : Effect.void
        )
        return wake
      })

    const awaitChange = (key: string, after: number, timeout: Duration.DurationInput) =>
      traced("awaitChange", Effect.scoped(Effect.gen(function*() {
        const wake = yield* subscribe(key)
        const deadline = (yield* Clock.currentTimeMillis) + Duration.toMillis(timeout)
        const poll = Duration.toMillis(options.pollInterval)
        while (true) {
          const { entry, now, locked } = yield* readWithLock(key, "awaitChange")
          const changed = Option.exists(entry, (found) => found.generation > after)
          const remaining = deadline - (yield* Clock.currentTimeMillis)
          if (changed || !locked || remaining <= 0) return { entry, now }
          // A message wakes at once; the poll (with jitter) covers a lost subscription and a lock that expired.
          const jitter = yield* Random.nextIntBetween(0, Math.max(1, poll))
          yield* Effect.raceFirst(Queue.take(wake), Effect.sleep(Duration.millis(Math.min(remaining, poll + jitter))))
        }
      })))

    return {
      backend,
      get: (key) => traced("get", read(key, "get")),
      compareAndSet,
      acquireLock,
      releaseLock,
      awaitChange,
      now: traced("now", Effect.map(send("now", ["TIME"]), (reply) => Array.isArray(reply) ? Layout.millisOf(reply[0], reply[1]) : Number.NaN))
    } satisfies TokenStore.Service
  })
