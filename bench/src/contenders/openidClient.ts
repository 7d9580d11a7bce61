/**
 * openid-client v6 as its docs show for a machine client: a `Configuration` for the
 * token endpoint (`allowInsecureRequests` for http://127.0.0.1), `clientCredentialsGrant`,
 * and `fetchProtectedResource` for API calls. openid-client has no token cache, so the
 * small cache a user would write sits on top, in two versions users write:
 *
 * - reuse the token until it expires (`expiresIn()` from when the response arrived),
 *   nothing else; concurrent callers on an empty or expired cache each fetch;
 * - the same, plus one shared promise while a fetch is in flight (single flight).
 *
 * Neither retries after a 401: the user code shown in the docs does not.
 */
import * as client from "openid-client"
import type { Contender } from "../Contender.js"
import { requestHeaders } from "../Contender.js"
import type { Servers } from "../harness.js"
import { inProcessFetch } from "../inProcess.js"
import { apiPaths, credentials } from "../protocol.js"
import { closedLoop, consume, settledOutcome, openLoop, timeAwaitLoop } from "./promiseLoads.js"

const configuration = (tokenOrigin: string, tokenUrl: string) => {
  const config = new client.Configuration(
    { issuer: tokenOrigin, token_endpoint: tokenUrl },
    credentials.clientId,
    undefined,
    client.ClientSecretBasic(credentials.clientSecret)
  )
  client.allowInsecureRequests(config)
  return config
}

/** The user's cache: a token reused until its `expires_in` runs out. */
const userCache = (config: client.Configuration, singleFlight: boolean) => {
  let cached: { readonly value: string; readonly expiresAt: number } | undefined
  let inFlight: Promise<string> | undefined
  const fetchToken = async () => {
    const response = await client.clientCredentialsGrant(config)
    cached = { value: response.access_token, expiresAt: Date.now() + (response.expiresIn() ?? 300) * 1000 }
    return cached.value
  }
  const getAccessToken = async (): Promise<string> => {
    if (cached !== undefined && Date.now() < cached.expiresAt) return cached.value
    if (!singleFlight) return fetchToken()
    inFlight ??= fetchToken().finally(() => {
      inFlight = undefined
    })
    return inFlight
  }
  return { getAccessToken, refresh: fetchToken }
}

const variant = (singleFlight: boolean): Contender => ({
  name: singleFlight ? "openid-client + user cache (single flight)" : "openid-client + user cache (no single flight)",
  packageName: "openid-client",
  usage: "`new Configuration(...)` + `allowInsecureRequests`, `clientCredentialsGrant`, API calls through " +
    "`fetchProtectedResource`; cache written as a user would: reuse until `expiresIn()` runs out" +
    (singleFlight ? ", one shared promise while a fetch is in flight" : ", no single flight") + "; no retry after a 401",

  stampede: async (servers, concurrent) => {
    const cache = userCache(configuration(servers.tokenOrigin, servers.tokenUrl), singleFlight)
    const results = await Promise.allSettled(Array.from({ length: concurrent }, () => cache.getAccessToken()))
    return settledOutcome(results)
  },

  warmReaders: async (servers) => {
    const cache = userCache(configuration(servers.tokenOrigin, servers.tokenUrl), singleFlight)
    await cache.getAccessToken()
    return {
      readers: [{ label: "`await getAccessToken()` (user cache)", time: (n) => timeAwaitLoop(cache.getAccessToken, n) }],
      close: async () => {}
    }
  },

  load: async (servers: Servers) => {
    const config = configuration(servers.tokenOrigin, servers.tokenUrl)
    const cache = userCache(config, singleFlight)
    await cache.getAccessToken()
    const openUrl = servers.apiOrigin + apiPaths.open
    const protectedUrl = new URL(servers.apiOrigin + apiPaths.protected)
    return {
      run: ({ requests, concurrency, authenticated }) =>
        closedLoop(
          requests,
          concurrency,
          authenticated
            ? async () => consume(await client.fetchProtectedResource(config, await cache.getAccessToken(), protectedUrl, "GET"))
            : () => fetch(openUrl).then(consume)
        ),
      close: async () => {}
    }
  },

  rotation: async (servers, { durationMs, requestsPerSecond }) => {
    const config = configuration(servers.tokenOrigin, servers.tokenUrl)
    const cache = userCache(config, singleFlight)
    await cache.getAccessToken()
    const url = new URL(servers.apiOrigin + apiPaths.protected)
    return openLoop(durationMs, requestsPerSecond, async (id) => {
      const headers = new Headers(requestHeaders(id))
      return consume(await client.fetchProtectedResource(config, await cache.getAccessToken(), url, "GET", undefined, headers))
    })
  },

  refreshCycler: async () => {
    const config = configuration("http://127.0.0.1:9", "http://127.0.0.1:9/token")
    config[client.customFetch] = inProcessFetch
    const cache = userCache(config, singleFlight)
    return {
      cycle: async (cycles) => {
        for (let i = 0; i < cycles; i++) await cache.refresh()
      },
      close: async () => {}
    }
  }
})

export const openidClientNaive: Contender = variant(false)
export const openidClientSingleFlight: Contender = variant(true)
