/**
 * What the local provider server reads from the library's provider records (the kernel's
 * `Providers`), so that a provider's facts live in one place: where its endpoints sit,
 * how long its tokens live, where the token sits in a response, its environment variables.
 *
 * @internal
 */
import { Provider } from "@effect-bearer/kernel"

/** A fact the server needs from a record: its absence is a mistake in the record. */
export const required = <A>(value: A | undefined, fact: string): A => {
  if (value === undefined) throw new Error(`The provider record has no ${fact}`)
  return value
}

/** A documented URL's path under the provider's prefix on the server, e.g. `/up42` + `/oauth/token`. */
export const pathUnder = (realm: string, url: string): `/${string}` => `/${realm}${new URL(url).pathname}`

/** Where the documented token endpoint (of the default region) sits on the server. */
export const tokenPath = (realm: string, record: Provider.Provider): `/${string}` =>
  pathUnder(realm, required(Provider.tokenUrl(record), `token URL for ${record.id}`))

/** The lifetime (ms) the provider documents for its tokens. */
export const documentedLifetime = (record: Provider.Provider): number => record.defaultLifetimeSeconds * 1000

/**
 * A success body with the token at each of the record's access token paths
 * (`data.accessToken` gives `{ data: { accessToken } }`); without a token, only the
 * objects around where it would be.
 */
export const withAccessTokenAt = (record: Provider.Provider, value: string | undefined): Record<string, unknown> => {
  const body: Record<string, unknown> = {}
  for (const path of record.accessTokenPaths) {
    const keys = path.split(".")
    const last = keys.pop() ?? path
    let target = body
    for (const key of keys) target = (target[key] ??= {}) as Record<string, unknown>
    if (value !== undefined) target[last] = value
  }
  return body
}

/** The environment that sets these options of the provider's `layerConfig`, under the names its record gives. */
export const environmentOf = (record: Provider.Provider, options: Record<string, string>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(options).map((
      [option, value]
    ) => [required(Provider.variableFor(record, option), `variable for ${record.id}'s ${option}`).name, value])
  )
