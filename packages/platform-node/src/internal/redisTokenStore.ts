import { TokenError, TokenStore } from "@effect-bearer/core"
import { Clock, Duration, Effect, Option, Queue, Random, Redacted } from "effect"
import type { createClient } from "redis"
import { decodeEntry, encodeEntry } from "./tokenStoreEntry.js"

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

// The scripts run atomically on the server, with the server's clock (`TIME`).
// Redis ≥ 7 replicates a script's effects, so `TIME` inside a writing script is allowed.

/** KEYS: entry, lock. The raw entry (or false), `TIME`, whether a live lock exists, and whether the key has another type. */
const readScript = `
local kind = redis.call('TYPE', KEYS[1])['ok']
local raw = false
if kind == 'string' then raw = redis.call('GET', KEYS[1]) end
local now = redis.call('TIME')
return {raw, now[1], now[2], redis.call('EXISTS', KEYS[2]), (kind ~= 'string' and kind ~= 'none') and 1 or 0}`

/** KEYS: entry. ARGV: json, generation, expiresAt (ms), channel. Writes iff the stored generation is lower; a corrupt entry counts as 0. */
const compareAndSetScript = `
local current = 0
if redis.call('TYPE', KEYS[1])['ok'] == 'string' then
  local ok, decoded = pcall(cjson.decode, redis.call('GET', KEYS[1]))
  if ok and type(decoded) == 'table' and type(decoded['generation']) == 'number' then current = decoded['generation'] end
end
local generation = tonumber(ARGV[2])
if current >= generation then return {0, current} end
redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[3])
redis.call('PUBLISH', ARGV[4], ARGV[2])
return {1, generation}`

/** KEYS: lock. ARGV: owner, time to live (ms). SET NX PX, and the server's time for the expiry. */
const acquireScript = `
local taken = redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2])
local now = redis.call('TIME')
return {taken and 1 or 0, now[1], now[2]}`

/** KEYS: lock. ARGV: owner, channel. Compare-and-delete: only the owner's lock is removed. */
const releaseScript = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  redis.call('PUBLISH', ARGV[2], 'released')
  return 1
end
return 0`

const millisOf = (seconds: unknown, micros: unknown): number => Number(seconds) * 1000 + Math.floor(Number(micros) / 1000)

/** Reconnects with capped exponential backoff and jitter, forever: the store comes back when Redis does. */
const reconnectStrategy = (retries: number): number => Math.min(2_000, 50 * 2 ** Math.min(retries, 6)) + Math.floor(Math.random() * 100)

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

    const entryKey = (key: string) => `${options.keyPrefix}token:${key}`
    const lockKey = (key: string) => `${options.keyPrefix}lock:${key}`
    const channel = (key: string) => `${options.keyPrefix}changed:${key}`

    const traced = <A>(operation: string, effect: Effect.Effect<A, Failure>) =>
      Effect.withSpan(effect, `TokenStore.${operation}`, { attributes: { backend } })

    const readWithLock = (key: string, operation: string) =>
      Effect.flatMap(evaluate(operation, readScript, [entryKey(key), lockKey(key)], []), ([raw, seconds, micros, locked, wrongType]) => {
        const now = millisOf(seconds, micros)
        if (Number(wrongType) === 1) return Effect.fail(fail("Corrupt", operation, "the key holds another Redis type"))
        if (raw === null || raw === undefined || raw === false) return Effect.succeed({ entry: Option.none<TokenStore.Entry>(), now, locked: Number(locked) === 1 })
        const entry = typeof raw === "string" ? decodeEntry(raw) : undefined
        return entry === undefined
          ? Effect.fail(fail("Corrupt", operation, "the value is not a token entry"))
          : Effect.succeed({ entry: Option.some(entry), now, locked: Number(locked) === 1 })
      })

    const read = (key: string, operation: string) =>
      Effect.map(readWithLock(key, operation), ({ entry, now }) => ({ entry, now }))

    const compareAndSet = (key: string, entry: TokenStore.Entry) =>
      traced("compareAndSet", Effect.map(
        evaluate("compareAndSet", compareAndSetScript, [entryKey(key)], [
          encodeEntry(entry),
          String(entry.generation),
          String(Math.max(1, Math.floor(entry.expiresAt))),
          channel(key)
        ]),
        ([written, current]): TokenStore.WriteResult =>
          Number(written) === 1 ? { _tag: "Written" } : { _tag: "Stale", current: Number(current) }
      ))

    const acquireLock = (key: string, timeToLive: Duration.DurationInput) =>
      traced("acquireLock", Effect.gen(function*() {
        const owner = yield* TokenStore.makeOwner
        const millis = Math.max(1, Math.ceil(Duration.toMillis(timeToLive)))
        const [taken, seconds, micros] = yield* evaluate("acquireLock", acquireScript, [lockKey(key)], [owner, String(millis)])
        return Number(taken) === 1
          ? Option.some<TokenStore.Lock>({ key, owner, expiresAt: millisOf(seconds, micros) + millis, tookOver: false })
          : Option.none()
      }))

    const releaseLock = (lock: TokenStore.Lock) =>
      traced(
        "releaseLock",
        Effect.map(send("releaseLock", ["EVAL", releaseScript, "1", lockKey(lock.key), lock.owner, channel(lock.key)]), (reply) => Number(reply) === 1)
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
      now: traced("now", Effect.map(send("now", ["TIME"]), (reply) => Array.isArray(reply) ? millisOf(reply[0], reply[1]) : Number.NaN))
    } satisfies TokenStore.Service
  })
