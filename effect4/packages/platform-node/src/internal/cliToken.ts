/**
 * How `token` and `header` get their token: the provider's layer from the environment or a
 * credentials file, sharing through the file store (the cache of every run on this machine)
 * unless `--no-cache`.
 *
 * @internal
 */
import * as CliExitCode from "@effect-bearer/kernel/CliExitCode"
import type * as AccessToken from "@effect-bearer/core/AccessToken"
import type * as TokenError from "@effect-bearer/core/TokenError"
import * as TokenProvider from "@effect-bearer/core/TokenProvider"
import * as TokenStore from "@effect-bearer/core/TokenStore"
import { Config, Effect, Layer, Option, Redacted } from "effect"
import type { HttpClient } from "effect/http"
import * as CredentialsFile from "../CredentialsFile.js"
import * as FileTokenStore from "../FileTokenStore.js"
import type * as CliProviders from "./cliProviders.js"

/** What `token` and `header` are asked for. */
export interface Request {
  readonly provider: CliProviders.CliProvider
  readonly credentials: Option.Option<string>
  /** `--no-cache`: neither read nor write the file store. */
  readonly noCache: boolean
}

/** The variables the file store's configuration reads: the one at fault is named, never its value. */
const cacheVariables = [CliExitCode.sealingKeyVariable, "XDG_CACHE_HOME", "HOME"]

/**
 * Where the run's tokens are shared: the file store (the cache), or, with `--no-cache`, the
 * in-process store, which shares nothing. A failing file store is never a failure: the token
 * provider fetches instead, with one warning; so is a file store that cannot be configured (an
 * invalid `EFFECT_BEARER_STORE_KEY`), after one warning naming the variable, never its value.
 */
export const store = (noCache: boolean): Layer.Layer<TokenStore.TokenStore> =>
  noCache ? TokenStore.layerMemory : FileTokenStore.layerConfig().pipe(
    Layer.catch((error) =>
      Layer.merge(
        TokenStore.layerMemory,
        Layer.effectDiscard(Effect.logWarning(
          CliExitCode.unusableCacheWarning(cacheVariables.filter((variable) => error.message.includes(variable)))
        ))
      )
    )
  )

/** Whether any of the variables is set to something other than blank, read through `Config`. */
const anySet = (variables: ReadonlyArray<string>): Effect.Effect<boolean> =>
  Effect.map(
    Effect.all(variables.map((variable) => Effect.orElseSucceed(Config.option(Config.String(variable)), () => Option.none<string>()))),
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
  HttpClient.HttpClient
> =>
  Effect.gen(function*() {
    const { provider } = request
    const tokens = Option.isSome(request.credentials)
      ? provider.fromFile(request.credentials.value)
      // With none of the variables set the user has not picked a source yet: say both ways.
      // With some set, the provider's own error names the one that is missing.
      : (yield* anySet(provider.variables))
      ? provider.fromEnvironment
      : yield* Effect.fail(missing())
    return yield* TokenProvider.get.pipe(
      Effect.provide(tokens.pipe(Layer.provide(store(request.noCache)))),
      // A file named by a variable (HYDROSAT_CREDENTIALS_FILE) fails as configuration, its cause the
      // file's own error: reported as that, as for the same file given by --credentials.
      Effect.catchTag("InvalidConfiguration", (error) =>
        Effect.fail(CredentialsFile.isCredentialsFileError(error.cause) ? error.cause : error))
    )
  })

/** The token response as `--json` prints it, wire names as in RFC 6749 §5.1; secrets redacted unless `reveal`. */
export const json = (provider: string, token: AccessToken.AccessToken, now: number, reveal: boolean) => {
  const show = (value: Redacted.Redacted<string>) => reveal ? Redacted.value(value) : "<redacted>"
  const refresh = Option.getOrUndefined(token.refreshToken)
  const refreshExpiresAt = refresh === undefined ? undefined : Option.getOrUndefined(refresh.expiresAt)
  return {
    provider,
    access_token: show(token.value),
    token_type: token.tokenType,
    expires_in: Math.max(0, Math.round((token.expiresAt - now) / 1000)),
    expires_at: new Date(token.expiresAt).toISOString(),
    lifetime_source: token.lifetimeSource,
    ...(Option.isSome(token.scope) ? { scope: token.scope.value } : {}),
    ...(refresh === undefined ? {} : { refresh_token: show(refresh.value) }),
    ...(refreshExpiresAt === undefined ? {} : { refresh_expires_at: new Date(refreshExpiresAt).toISOString() })
  }
}

/**
 * The request header that carries `token`, as `curl -H @-` reads it: always the `Bearer` scheme,
 * whatever case the server wrote `token_type` in.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1
 */
export const authorizationHeader = (token: AccessToken.AccessToken): string => `Authorization: Bearer ${Redacted.value(token.value)}`
