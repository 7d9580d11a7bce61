/**
 * A provider's `make` options read by its record, as plain TypeScript: the credentials under
 * the record's names for them (UP42 projects: `projectId`, `projectApiKey`), the grant, the
 * client authentication, the region and the token URL, each checked in the order a user
 * fixes them, or the first problem naming the option. Each line of the library passes its
 * own secret type (`Redacted`) in through {@link Secrets} and builds its own values from
 * the result.
 *
 * @since 0.1.0
 */
import type { ClientAuthenticationMethod, Hints, Provider, Region } from "./Provider.js"
import { defaultRegion, hintsOf, regionOf } from "./Provider.js"
import type { Problem } from "./ProviderEnvironment.js"
import { credentialsInUrlProblem, emptyProblem } from "./ProviderEnvironment.js"

/**
 * How a line's secret type is recognised, read and made: `Redacted` in both Effect lines.
 *
 * @since 0.1.0
 */
export interface Secrets<Secret> {
  readonly is: (value: unknown) => value is Secret
  readonly reveal: (secret: Secret) => string
  readonly conceal: (value: string) => Secret
}

/**
 * The client and grant a provider's options give, as its token provider needs them.
 *
 * @since 0.1.0
 */
export interface Resolved<Secret> {
  readonly clientId: string
  /** The client authentication the record fixes; `clientSecret` is set unless it is `none`. */
  readonly clientAuthentication: ClientAuthenticationMethod
  readonly clientSecret: Secret | undefined
  readonly grant:
    | { readonly grantType: "client_credentials" }
    | { readonly grantType: "password"; readonly username: string; readonly password: Secret }
  readonly tokenUrl: string
  readonly region: Region | undefined
  /** The `scope` option when it is a string, else the scope the record requires. */
  readonly scope: string | undefined
  /** The token provider's name: the `name` option, else the record's id (`up42-project:<project id>` where named by client). */
  readonly name: string
  /** The record's hints, for the region. */
  readonly hints: Hints
}

/**
 * Reads the options by the record: a token URL with credentials in it is refused first (the
 * curl habit), then the region, then the credentials in the order the grant and the client
 * authentication read them (unset or blank ones named by their option), then the token URL.
 *
 * @since 0.1.0
 */
export const resolve = <Secret>(
  provider: Provider,
  options: Readonly<Record<string, unknown>>,
  secrets: Secrets<Secret>
): { readonly resolved: Resolved<Secret> } | { readonly problem: Problem } => {
  const given = options["tokenUrl"]
  const tokenUrlOption = typeof given === "string" ? given : undefined
  const inUrl = credentialsInUrlProblem(provider, tokenUrlOption)
  if (inUrl !== undefined) return { problem: { variable: "tokenUrl", problem: inUrl } }
  const regionId = options["region"]
  const region = regionId === undefined
    ? defaultRegion(provider)
    : typeof regionId === "string"
    ? regionOf(provider, regionId)
    : undefined
  if (region === undefined && regionId !== undefined) {
    return { problem: { variable: "region", problem: `is not one of ${provider.regions.map((known) => known.id).join(", ")}` } }
  }
  const credential = (option: string): { readonly value: string | Secret } | { readonly problem: Problem } => {
    const value = options[option]
    if (typeof value !== "string" && !secrets.is(value)) return { problem: { variable: option, problem: "is not set" } }
    const text = typeof value === "string" ? value : secrets.reveal(value)
    return text.trim() === "" ? { problem: { variable: option, problem: emptyProblem } } : { value }
  }
  const plain = (value: string | Secret) => typeof value === "string" ? value : secrets.reveal(value)
  const secret = (value: string | Secret) => typeof value === "string" ? secrets.conceal(value) : value
  const names = provider.credentials
  let grant: Resolved<Secret>["grant"] = { grantType: "client_credentials" }
  if (provider.grantType === "password") {
    const username = credential(names.username ?? "username")
    if ("problem" in username) return username
    const password = credential(names.password ?? "password")
    if ("problem" in password) return password
    grant = { grantType: "password", username: plain(username.value), password: secret(password.value) }
  }
  let clientId = typeof options["clientId"] === "string" ? options["clientId"] : provider.clientId ?? ""
  if (names.clientId !== undefined) {
    const id = credential(names.clientId)
    if ("problem" in id) return id
    clientId = plain(id.value)
  }
  let clientSecret: Secret | undefined
  if (provider.clientAuthentication !== "none") {
    const found = credential(names.clientSecret ?? "clientSecret")
    if ("problem" in found) return found
    clientSecret = secret(found.value)
  }
  const tokenUrl = tokenUrlOption ?? region?.tokenUrl
  if (tokenUrl === undefined) return { problem: { variable: "tokenUrl", problem: "is not set" } }
  const scope = options["scope"]
  const name = options["name"]
  return {
    resolved: {
      clientId,
      clientAuthentication: provider.clientAuthentication,
      clientSecret,
      grant,
      tokenUrl,
      region,
      scope: typeof scope === "string" ? scope : provider.scope,
      name: typeof name === "string" ? name : provider.namedByClient === true ? `${provider.id}:${clientId}` : provider.id,
      hints: hintsOf(provider, region)
    }
  }
}
