/**
 * The exit codes of the `effect-bearer` command, the same whichever Effect line runs it: one per
 * error a user can act on, `0` for success, `1` for a bug, `2` for a command line that could not
 * be parsed and `130` for an interruption (Ctrl-C).
 *
 * @since 0.1.0
 */

/**
 * The exit code of each outcome, by the error's tag.
 *
 * @since 0.1.0
 */
export const exitCodes = {
  Success: 0,
  Unexpected: 1,
  InvalidCommandLine: 2,
  MissingCredentials: 3,
  InvalidConfiguration: 4,
  InvalidCredentials: 10,
  WrongHost: 11,
  UnsupportedMediaType: 12,
  Expired: 13,
  InvalidRequest: 14,
  TemporarilyUnavailable: 15,
  InvalidTokenResponse: 16,
  CredentialsFileNotFound: 20,
  CredentialsFileUnreadable: 21,
  InsecureCredentialsFile: 22,
  InvalidCredentialsFile: 23,
  InvalidJwt: 30,
  Interrupted: 130
} as const

/**
 * The outcomes that are not errors of their own.
 *
 * @since 0.1.0
 */
export const outcomes: ReadonlyArray<string> = ["Success", "Unexpected", "InvalidCommandLine", "Interrupted"]

/**
 * The exit code of an error with tag `tag`: its own when it has one, else `Unexpected`.
 *
 * @since 0.1.0
 */
export const ofErrorTag = (tag: string): number =>
  Object.hasOwn(exitCodes, tag) && !outcomes.includes(tag)
    ? exitCodes[tag as keyof typeof exitCodes]
    : exitCodes.Unexpected

/**
 * Whether `u` is an error with its own exit code (an `Error` whose `_tag` is in {@link exitCodes}).
 *
 * @since 0.1.0
 */
export const hasOwnExitCode = (u: unknown): u is Error & { readonly _tag: keyof typeof exitCodes } =>
  u instanceof Error && "_tag" in u && typeof u._tag === "string" && Object.hasOwn(exitCodes, u._tag) &&
  !outcomes.includes(u._tag)

/**
 * The message of `MissingCredentials`: `token <provider>` found neither the provider's
 * variables (`environment`, as a phrase) nor a `--credentials` file (of `fileFormat`).
 *
 * @since 0.1.0
 */
export const missingCredentialsMessage = (provider: string, environment: string, fileFormat: string): string =>
  `No credentials for ${provider}. Set ${environment} in the environment, ` +
  `or pass --credentials <file> with a file (chmod 600) containing ${fileFormat}.`

/**
 * The message of `InvalidJwt`: nothing to decode, or not a JWT.
 *
 * @since 0.1.0
 */
export const invalidJwtMessage = (reason: "NotAJwt" | "NoInput"): string =>
  reason === "NoInput"
    ? "No token to decode: pass it as an argument, or pipe it on standard input (effect-bearer token hydrosat | effect-bearer decode)."
    : "This is not a JWT (three base64url parts separated by dots, with JSON header and claims). Opaque tokens, such as Bitquery's ory_at_… tokens, carry no claims to show."

/**
 * The sealing key's variable, named (never its value) when it is invalid.
 *
 * @since 0.1.0
 */
export const sealingKeyVariable = "EFFECT_BEARER_STORE_KEY"

/**
 * The warning of a run whose token cache cannot be configured: the variables at fault, never
 * their values; the run goes on without the cache.
 *
 * @since 0.1.0
 */
export const unusableCacheWarning = (variables: ReadonlyArray<string>): string => {
  const unique = [...new Set(variables)]
  const why = unique.length === 0
    ? "the token cache settings are invalid"
    : `${unique.join(", ")} ${unique.length === 1 ? "is" : "are"} not valid` +
      (unique.includes(sealingKeyVariable) ? " (a sealing key is at least 32 bytes in base64: openssl rand -base64 32)" : "")
  return `effect-bearer: ${why}; the token cache is not used in this run`
}
