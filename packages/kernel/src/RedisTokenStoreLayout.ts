/**
 * How the Redis token store lays out its data, for both Effect lines: the keys and channel of a
 * credential, the Lua scripts that read, write and lock atomically on the server's clock, and
 * how their replies read. A process of either line shares one token with the other through it.
 *
 * Entries are `TokenStoreEntry` JSON strings at `<prefix>token:<key>`, expiring with `PXAT`. A
 * write is a compare-and-set on the generation (a corrupt entry counts as generation 0) that
 * publishes on `<prefix>changed:<key>`. The lock is `SET <prefix>lock:<key> <owner> NX PX <ttl>`
 * and its release a compare-and-delete that publishes too.
 *
 * @see https://redis.io/docs/latest/develop/clients/patterns/distributed-locks/
 * @since 0.1.0
 */

/**
 * The default prefix of every key and channel.
 *
 * @since 0.1.0
 */
export const defaultKeyPrefix = "effect-bearer:"

/**
 * The Redis key of a credential's entry.
 *
 * @since 0.1.0
 */
export const entryKey = (prefix: string, key: string): string => `${prefix}token:${key}`

/**
 * The Redis key of a credential's lock.
 *
 * @since 0.1.0
 */
export const lockKey = (prefix: string, key: string): string => `${prefix}lock:${key}`

/**
 * The channel on which a write or a release of a credential is announced.
 *
 * @since 0.1.0
 */
export const changeChannel = (prefix: string, key: string): string => `${prefix}changed:${key}`

// The scripts run atomically on the server, with the server's clock (`TIME`).
// Redis >= 7 replicates a script's effects, so `TIME` inside a writing script is allowed.

/**
 * KEYS: entry, lock. Returns the raw entry (or false), `TIME` (seconds, microseconds), whether
 * a lock exists, and whether the entry key holds another Redis type.
 *
 * @since 0.1.0
 */
export const readScript = `
local kind = redis.call('TYPE', KEYS[1])['ok']
local raw = false
if kind == 'string' then raw = redis.call('GET', KEYS[1]) end
local now = redis.call('TIME')
return {raw, now[1], now[2], redis.call('EXISTS', KEYS[2]), (kind ~= 'string' and kind ~= 'none') and 1 or 0}`

/**
 * KEYS: entry. ARGV: entry JSON, generation, expiresAt (ms), channel. Writes iff the stored
 * generation is lower (a corrupt entry counts as 0); returns {written, current generation}.
 *
 * @since 0.1.0
 */
export const compareAndSetScript = `
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

/**
 * KEYS: lock. ARGV: owner, time to live (ms). `SET NX PX`; returns {taken, TIME seconds, microseconds}.
 *
 * @since 0.1.0
 */
export const acquireScript = `
local taken = redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2])
local now = redis.call('TIME')
return {taken and 1 or 0, now[1], now[2]}`

/**
 * KEYS: lock. ARGV: owner, channel. Compare-and-delete: only the owner's lock is removed; returns 1 when it was.
 *
 * @since 0.1.0
 */
export const releaseScript = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  redis.call('PUBLISH', ARGV[2], 'released')
  return 1
end
return 0`

/**
 * Epoch milliseconds from the two parts of a Redis `TIME` reply (seconds, microseconds).
 *
 * @see https://redis.io/docs/latest/commands/time/
 * @since 0.1.0
 */
export const millisOf = (seconds: unknown, micros: unknown): number =>
  Number(seconds) * 1000 + Math.floor(Number(micros) / 1000)

/**
 * The arguments of {@link compareAndSetScript} for `entryText` (the entry's `TokenStoreEntry`
 * text): generation, a whole-millisecond `PXAT` of at least 1, and the channel.
 *
 * @since 0.1.0
 */
export const compareAndSetArguments = (
  prefix: string,
  key: string,
  entry: { readonly generation: number; readonly expiresAt: number },
  entryText: string
): ReadonlyArray<string> => [
  entryText,
  String(entry.generation),
  String(Math.max(1, Math.floor(entry.expiresAt))),
  changeChannel(prefix, key)
]

/**
 * The delay before reconnection attempt `retries`: capped exponential backoff (50 ms to 2 s)
 * with up to 100 ms of jitter, forever, so that the store comes back when Redis does.
 *
 * @since 0.1.0
 */
export const reconnectDelay = (retries: number, random: number = Math.random()): number =>
  Math.min(2_000, 50 * 2 ** Math.min(retries, 6)) + Math.floor(random * 100)
