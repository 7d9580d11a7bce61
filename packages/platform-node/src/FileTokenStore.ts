/**
 * A `TokenStore` in files, for one machine: the CLI, restarts, several processes on one host.
 *
 * Entries live under the user's cache directory (`$XDG_CACHE_HOME/effect-bearer/`, else
 * `~/.cache/effect-bearer/`), one file per key, named after the key (a hash: no provider,
 * client or user name appears). The directory is 0700 and the files 0600: a looser mode is
 * repaired (with a warning that says which), a directory or file of another user is refused.
 * Every write goes to a temporary 0600 file in the same directory, is fsynced and renamed
 * over the entry (atomic: a reader sees the old entry or the new one, never half of one),
 * under a short per-key write mutex so that the generation check and the rename are one step.
 *
 * The lock is an advisory lock file created with O_EXCL that holds its owner and expiry. A
 * lock past its lifetime (its process was killed, or stalled) is taken over, so it never
 * blocks anyone for longer than that lifetime; a release removes it only when it still names
 * its owner. Waiting for a change is a bounded poll with jitter. The clock is the machine's.
 * The layout (file names, lock content, entries) is the kernel's `FileTokenStoreLayout` and
 * `TokenStoreEntry`, the same as the Effect 4 line's: processes of both lines share one cache.
 *
 * Values are sealed before they get here (see `Seal` in `@effect-bearer/kernel`): the files
 * hold nothing usable without the credentials.
 *
 * @since 0.1.0
 */
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import type * as FileSystem from "@effect/platform/FileSystem"
import { TokenStore } from "@effect-bearer/core"
import type { ConfigError } from "effect"
import type { Redacted } from "effect"
import { Config, Duration, Effect, Layer, Option } from "effect"
import { homedir } from "node:os"
import { isAbsolute, join } from "node:path"
import * as internal from "./internal/fileTokenStore.js"
import * as SealingKey from "./internal/sealingKey.js"

/**
 * How the file store behaves; every field has a default.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** The directory of the entries; default {@link defaultDirectory} of the process's environment. */
  readonly directory?: string | undefined
  /** The base interval of the poll while waiting for a change (plus up to as much jitter); default 50 ms. */
  readonly pollInterval?: Duration.DurationInput | undefined
  /** The bound on one operation (a stuck file system fails it as `Timeout`); default 5 s. */
  readonly operationTimeout?: Duration.DurationInput | undefined
  /** How long the token provider's lock lives at most (see `TokenStore.Service.lockTimeToLive`); default 12 s. */
  readonly lockTimeToLive?: Duration.DurationInput | undefined
  /**
   * A key you provide, base64 of at least 32 random bytes (`openssl rand -base64 32`): values
   * are sealed under it and the credentials together, so the store is unusable without it.
   * A process with another key (or none) sees a miss, with a warning. Invalid: the layer dies.
   */
  readonly sealingKey?: Redacted.Redacted<string> | undefined
}

/**
 * The cache directory of effect-bearer: `$XDG_CACHE_HOME/effect-bearer` when that is an
 * absolute path (the XDG spec ignores a relative one), else `$HOME/.cache/effect-bearer`.
 *
 * @see https://specifications.freedesktop.org/basedir-spec/latest/
 * @since 0.1.0
 * @category directories
 */
export const defaultDirectory = (environment: {
  readonly XDG_CACHE_HOME?: string | undefined
  readonly HOME?: string | undefined
}): string => {
  const cacheHome = environment.XDG_CACHE_HOME
  return cacheHome !== undefined && cacheHome !== "" && isAbsolute(cacheHome)
    ? join(cacheHome, "effect-bearer")
    : join(environment.HOME !== undefined && environment.HOME !== "" ? environment.HOME : homedir(), ".cache", "effect-bearer")
}

/**
 * The file store on the given `FileSystem`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options = {}): Effect.Effect<TokenStore.Service, never, FileSystem.FileSystem> =>
  Effect.map(
    internal.make({
      directory: options.directory ?? defaultDirectory(process.env),
      pollInterval: Duration.decode(options.pollInterval ?? Duration.millis(50)),
      operationTimeout: Duration.decode(options.operationTimeout ?? Duration.seconds(5))
    }),
    (store) => ({ ...store, lockTimeToLive: options.lockTimeToLive })
  ).pipe(Effect.zipWith(SealingKey.decode(options.sealingKey), (store, sealingKey) => ({ ...store, sealingKey })))

/**
 * `TokenStore` in files on Node's file system.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<TokenStore.TokenStore> =>
  Layer.effect(TokenStore.TokenStore, make(options)).pipe(Layer.provide(NodeFileSystem.layer))

/**
 * `TokenStore` in files, its directory from `Config`: `XDG_CACHE_HOME` and `HOME`, as in
 * {@link defaultDirectory}; a sealing key from `EFFECT_BEARER_STORE_KEY` (redacted, see
 * `TokenStore.sealingKeyConfig`) unless `options` gives one.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  options: Omit<Options, "directory"> = {}
): Layer.Layer<TokenStore.TokenStore, ConfigError.ConfigError> =>
  Layer.unwrapEffect(Effect.gen(function*() {
    const XDG_CACHE_HOME = Option.getOrUndefined(yield* Config.option(Config.string("XDG_CACHE_HOME")))
    const HOME = Option.getOrUndefined(yield* Config.option(Config.string("HOME")))
    const sealingKey = options.sealingKey ?? Option.getOrUndefined(yield* TokenStore.sealingKeyConfig())
    return layer({ ...options, sealingKey, directory: defaultDirectory({ XDG_CACHE_HOME, HOME }) })
  }))
