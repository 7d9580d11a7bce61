/**
 * The `ProviderConfigOptions` table's scenario, written once: each line's
 * `ConfigOptions.test.ts` gives a {@link Line} (its provider layers, its `Config` and `Redacted`,
 * and one test's view of the local provider server, as promises) and runs {@link row} for each
 * row and {@link plainDefaults}.
 */
import type { Expect } from "./Expect.js"
import type { ConfigRef, ProviderId, Row } from "./ProviderConfigOptions.js"
import { checkFailure, checkServer, checkToken, callsApi, filled, filledAll, isConfig, serverProvider } from "./ProviderConfigOptions.js"

/** A provider of the local provider server (a row's `generic-hydrosat` is Hydrosat's). */
export type ServerProvider = Exclude<ProviderId, "generic-hydrosat">

/** What a line gives the scenario; options are as the line's `layerConfig` takes them. */
export interface Line {
  /** What the provider's `$` placeholders stand for (its credentials on the server). */
  readonly placeholders: (provider: ServerProvider) => Readonly<Record<string, string>>
  /** The server's URLs of the provider (`tokenUrl`, `issuer` where it has one, `apiUrl`). */
  readonly urls: (provider: ServerProvider) => Readonly<Record<string, string | undefined>>
  /** The line's `Config.String`/`Redacted`/`Duration` of the named variable. */
  readonly config: (option: ConfigRef) => unknown
  /** The line's `Redacted.make`. */
  readonly secret: (value: string) => unknown
  /** The token's value from the provider's `layerConfig(options)` with `variables` as the whole environment. */
  readonly token: (provider: ProviderId, options: Record<string, unknown>, variables: Readonly<Record<string, string>>) => Promise<string>
  /** What building that layer fails with. */
  readonly failure: (provider: ProviderId, options: Record<string, unknown>, variables: Readonly<Record<string, string>>) => Promise<{ readonly message: string }>
  /** The status the provider's API answers a request with this token. */
  readonly apiStatus: (provider: ServerProvider, token: string) => Promise<number>
  /** The token requests (or `endpoint`'s) the server saw in this test, with their form and status. */
  readonly requests: (provider: ServerProvider) => Promise<ReadonlyArray<{ readonly form: Readonly<Record<string, string>>; readonly status: number }>>
  readonly requestCount: (provider: ServerProvider, endpoint: "token" | "discovery") => Promise<number>
}

/** The provider's placeholders with its `tokenUrl` and `issuer`. */
const knownOf = (line: Line, provider: ServerProvider): Record<string, string> => {
  const { issuer, tokenUrl } = line.urls(provider)
  return { ...line.placeholders(provider), tokenUrl: tokenUrl!, ...(issuer === undefined ? {} : { issuer }) }
}

/** The row's options as the line takes them: its `Config`s, its `Redacted`s, or plain values. */
const optionsOf = (row: Row, line: Line, known: Readonly<Record<string, string>>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(row.options).map(([option, given]) => [
    option,
    isConfig(given) ? line.config(given) : given.secret === true ? line.secret(filled(given.value, known)) : filled(given.value, known)
  ]))

/** One row: the token (or the failure) of its layer, the API's answer, and what the server saw. */
export const row = async (expect: Expect, row: Row, line: Line): Promise<void> => {
  const provider = serverProvider(row.provider)
  const known = knownOf(line, provider)
  const options = optionsOf(row, line, known)
  const variables = filledAll(row.variables, known)
  if (row.error !== undefined) {
    checkFailure(expect, row, await line.failure(row.provider, options, variables))
  } else {
    const token = await line.token(row.provider, options, variables)
    checkToken(expect, row, token, callsApi(row) ? await line.apiStatus(provider, token) : undefined)
  }
  const [request] = await line.requests(provider)
  checkServer(expect, row, {
    form: request?.form,
    tokenRequests: await line.requestCount(provider, "token"),
    discoveryRequests: await line.requestCount(provider, "discovery")
  }, known)
}

/** OAuth2's plain options are defaults: the OAUTH2_* variables, when set, win over them. */
export const plainDefaults = async (expect: Expect, line: Line): Promise<void> => {
  const { clientId, clientSecret, issuer, tokenUrl } = knownOf(line, "oauth2")
  const defaults = { tokenUrl, clientSecret: line.secret(clientSecret!), clientAuthentication: "client_secret_post" }
  // The defaults alone (no OAUTH2_CLIENT_ID) are enough…
  await line.token("oauth2", { ...defaults, clientId }, {})
  // …and OAUTH2_CLIENT_ID, when set, is the one sent.
  const options = { ...defaults, clientId: "a-default-client" }
  await line.token("oauth2", options, { OAUTH2_CLIENT_ID: clientId! })
  const requests = await line.requests("oauth2")
  expect(requests.map((request) => [request.form["client_id"], request.status])).toEqual([[clientId, 200], [clientId, 200]])
  // OAUTH2_ISSUER, when set, wins over a plain token URL.
  await line.token("oauth2", options, { OAUTH2_ISSUER: issuer!, OAUTH2_CLIENT_ID: clientId! })
  expect(await line.requestCount("oauth2", "discovery")).toBe(1)
}
