/**
 * How `token` and `header` get their token: the provider's layer from the environment or a
 * credentials file, sharing through the file store (the cache of every run on this machine)
 * unless `--no-cache`.
 */
import type * as FileSystem from "@effect/platform/FileSystem"
import type * as HttpClient from "@effect/platform/HttpClient"
import type { ConfigError } from "effect"
import { Config, Effect, Layer, Option, Redacted } from "effect"
import type { AccessToken, TokenError } from "@effect-bearer/core"
import * as CliExitCode from "@effect-bearer/kernel/CliExitCode"
import { TokenProvider, TokenStore } from "@effect-bearer/core"
import * as CredentialsFile from "../CredentialsFile.js"
import * as FileTokenStore from "../FileTokenStore.js"
import type * as cliProviders from "./cliProviders.js"

/** What `token` and `header` are asked for. */
export interface Request {
  readonly provider: cliProviders.CliProvider
  readonly credentials: Option.Option<string>
  /** `--no-cache`: neither read nor write the file store. */
  readonly noCache: boolean
}

/**
 * Where the run's tokens are shared: the file store under `$XDG_CACHE_HOME/effect-bearer`
 * (else `~/.cache/effect-bearer`), or, with `--no-cache`, the in-process store, which shares
 * nothing. A failing file store is never a failure: the token provider fetches instead, with
 * one warning. So is a file store that cannot be configured (an invalid
 * `EFFECT_BEARER_STORE_KEY`): the run goes on as with `--no-cache`, after one warning that
 * names the variable, never its value.
 */
export const store = (noCache: boolean): Layer.Layer<TokenStore.TokenStore> =>
  noCache
    ? TokenStore.layerMemory
    : FileTokenStore.layerConfig().pipe(
      Layer.catchAll((error) =>
        Layer.merge(
          TokenStore.layerMemory,
          Layer.effectDiscard(Effect.logWarning(CliExitCode.unusableCacheWarning(configErrorPaths(error))))
        )
      )
    )

/** The settings a `ConfigError` is about, for the warning that names them (its messages may quote the value: not used). */
const configErrorPaths = (error: ConfigError.ConfigError): ReadonlyArray<string> => {
  switch (error._op) {
    case "And":
    case "Or":
      return [...configErrorPaths(error.left), ...configErrorPaths(error.right)]
    default:
      return error.path.length === 0 ? [] : [error.path.join("_")]
  }
}

/** Whether any of the variables is set to something other than blank, read through `Config`. */
const anySet = (variables: ReadonlyArray<string>): Effect.Effect<boolean> =>
  Effect.map(
    Effect.all(variables.map((variable) => Effect.orElseSucceed(Config.option(Config.string(variable)), Option.none))),
    (values) => values.some((value) => Option.isSome(value) && value.value.trim() !== "")
  )

/**
 * The token for `request`: from the cache while it is usable, else fetched (and cached).
 * `missing` is the error when neither a file nor any of the provider's variables is given.
 */
export const acquire = <E>(
  request: Request,
  missing: () => E
): Effect.Effect<
  AccessToken.AccessToken,
  E | TokenError.TokenError | TokenError.InvalidConfiguration | CredentialsFile.CredentialsFileError,
  HttpClient.HttpClient | FileSystem.FileSystem
> =>
  Effect.gen(function*() {
    const { provider } = request
    const tokens = yield* Option.match(request.credentials, {
      onSome: (path) => Effect.succeed(provider.fromFile(path)),
      // With none of the variables set the user has not picked a source yet: say both
      // ways. With some set, the provider's own error names the one that is missing.
      onNone: () =>
        Effect.if(anySet(provider.variables), {
          onTrue: () => Effect.succeed(provider.fromEnvironment),
          onFalse: () => Effect.fail(missing())
        })
    })
    return yield* TokenProvider.get.pipe(
      Effect.provide(tokens.pipe(Layer.provide(store(request.noCache)))),
      // A file named by a variable (HYDROSAT_CREDENTIALS_FILE) fails as configuration, its
      // cause the file's own error: reported as that, as for the same file given by --credentials.
      Effect.catchTag("InvalidConfiguration", (error) =>
        Effect.fail(CredentialsFile.isCredentialsFileError(error.cause) ? error.cause : error))
    )
  })

/** The token response as `--json` prints it, wire names as in RFC 6749 §5.1; secrets redacted unless `reveal`. */
export const json = (provider: string, token: AccessToken.AccessToken, now: number, reveal: boolean) => {
  const show = (value: Redacted.Redacted<string>) => reveal ? Redacted.value(value) : "<redacted>"
  return {
    provider,
    access_token: show(token.value),
    token_type: token.tokenType,
    expires_in: Math.max(0, Math.round((token.expiresAt - now) / 1000)),
    expires_at: new Date(token.expiresAt).toISOString(),
    lifetime_source: token.lifetimeSource,
    ...Option.match(token.scope, { onNone: () => ({}), onSome: (scope) => ({ scope }) }),
    ...Option.match(token.refreshToken, {
      onNone: () => ({}),
      onSome: (refresh) => ({
        refresh_token: show(refresh.value),
        ...Option.match(refresh.expiresAt, {
          onNone: () => ({}),
          onSome: (expiresAt) => ({ refresh_expires_at: new Date(expiresAt).toISOString() })
        })
      })
    })
  }
}

/**
 * The request header that carries `token`, as `curl -H @-` reads it. Always the `Bearer`
 * scheme, whatever case the server wrote `token_type` in.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1
 */
export const authorizationHeader = (token: AccessToken.AccessToken): string =>
  `Authorization: Bearer ${Redacted.value(token.value)}`
