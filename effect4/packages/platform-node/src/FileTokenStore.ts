/**
 * A `TokenStore` in files, for one machine: the CLI, restarts, several processes on one host.
 *
 * Entries live under the user's cache directory (`$XDG_CACHE_HOME/effect-bearer/`, else
 * `~/.cache/effect-bearer/`), one file per key, named after the key (a hash: no provider, client
 * or user name appears). The directory is 0700 and the files 0600: a looser mode is repaired
 * (with a warning that says which), a directory or file of another user is refused. Every write
 * goes to a temporary 0600 file in the same directory, is fsynced and renamed over the entry
 * (atomic), under a short per-key write mutex so that the generation check and the rename are one
 * step. The lock is a lock file created with O_EXCL holding its owner and expiry, taken over once
 * past its lifetime. The layout is the kernel's `FileTokenStoreLayout`, the same as the Effect 3
 * line's: a cache directory is shared by the processes (and CLIs) of both lines.
 *
 * @since 4.0.0
 */
import * as TokenStore from "@effect-bearer/core/TokenStore"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import type { FileSystem, Redacted } from "effect"
import { Config, Duration, Effect, Layer, Option } from "effect"
import { homedir } from "node:os"
import { isAbsolute, join } from "node:path"
import * as internal from "./internal/fileTokenStore.js"
import * as SealingKey from "./internal/sealingKey.js"

/**
 * How the file store behaves; every field has a default.
 *
 * @since 4.0.0
 * @category models
 */
export interface Options {
  /** The directory of the entries; default {@link defaultDirectory} of the process's environment. */
  readonly directory?: string | undefined
  /** The base interval of the poll while waiting for a change (plus up to as much jitter); default 50 ms. */
  readonly pollInterval?: Duration.Input | undefined
  /** The bound on one operation (a stuck file system fails it as `Timeout`); default 5 s. */
  readonly operationTimeout?: Duration.Input | undefined
  /** How long the token provider's lock lives at most (see `TokenStore.Service.lockTimeToLive`); default 12 s. */
  readonly lockTimeToLive?: Duration.Input | undefined
  /**
   * A key you provide, base64 of at least 32 random bytes (`openssl rand -base64 32`): values are
   * sealed under it and the credentials together. A process with another key (or none) sees a
   * miss, with a warning. Invalid: the layer dies.
   */
  readonly sealingKey?: Redacted.Redacted<string> | undefined
}

/**
 * The cache directory of effect-bearer: `$XDG_CACHE_HOME/effect-bearer` when that is an absolute
 * path (the XDG spec ignores a relative one), else `$HOME/.cache/effect-bearer`.
 *
 * @see https://specifications.freedesktop.org/basedir-spec/latest/
 * @since 4.0.0
 * @category directories
 */
export const defaultDirectory = (environment: {
  readonly XDG_CACHE_HOME?: string | undefined
  readonly HOME?: string | undefined
}): string => {
  const { HOME, XDG_CACHE_HOME } = environment
  if (XDG_CACHE_HOME !== undefined && XDG_CACHE_HOME !== "" && isAbsolute(XDG_CACHE_HOME)) return join(XDG_CACHE_HOME, "effect-bearer")
  return join(HOME === undefined || HOME === "" ? homedir() : HOME, ".cache", "effect-bearer")
}

/**
 * The file store on the given `FileSystem`.
 *
 * @since 4.0.0
 * @category constructors
 */
export const make = (options: Options = {}): Effect.Effect<TokenStore.Service, never, FileSystem.FileSystem> =>
  Effect.gen(function*() {
    const store = yield* internal.make({
      directory: options.directory ?? defaultDirectory(process.env),
      pollInterval: Duration.fromInputUnsafe(options.pollInterval ?? Duration.millis(50)),
      operationTimeout: Duration.fromInputUnsafe(options.operationTimeout ?? Duration.seconds(5))
    })
    const sealingKey = yield* SealingKey.decode(options.sealingKey)
    return { ...store, lockTimeToLive: options.lockTimeToLive, sealingKey }
  })

/**
 * `TokenStore` in files on Node's file system.
 *
 * @since 4.0.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<TokenStore.TokenStore> =>
  Layer.effect(TokenStore.TokenStore, make(options)).pipe(Layer.provide(NodeFileSystem.layer))

/**
 * `TokenStore` in files, its directory from `Config` (`XDG_CACHE_HOME` and `HOME`, as in
 * {@link defaultDirectory}); a sealing key from `EFFECT_BEARER_STORE_KEY` (redacted, see
 * `TokenStore.sealingKeyConfig`) unless `options` gives one.
 *
 * @since 4.0.0
 * @category layers
 */
export const layerConfig = (options: Omit<Options, "directory"> = {}): Layer.Layer<TokenStore.TokenStore, Config.ConfigError> =>
  Layer.unwrap(Effect.gen(function*() {
    const XDG_CACHE_HOME = Option.getOrUndefined(yield* Config.option(Config.String("XDG_CACHE_HOME")))
    const HOME = Option.getOrUndefined(yield* Config.option(Config.String("HOME")))
    const sealingKey = options.sealingKey ?? Option.getOrUndefined(yield* TokenStore.sealingKeyConfig())
    return layer({ ...options, sealingKey, directory: defaultDirectory({ XDG_CACHE_HOME, HOME }) })
  }))
