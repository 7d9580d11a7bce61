/**
 * @badgateway/oauth2-client as its README recommends for a service: an `OAuth2Client`
 * with the token endpoint and secret, and `OAuth2Fetch` whose `getNewToken` runs the
 * client_credentials grant. `OAuth2Fetch.fetch` adds the bearer token and, on a 401,
 * refreshes once and replays.
 */
import { OAuth2Client, OAuth2Fetch } from "@badgateway/oauth2-client"
import type { Contender } from "../Contender.js"
import { requestHeaders } from "../Contender.js"
import type { Servers } from "../harness.js"
import { inProcessFetch } from "../inProcess.js"
import { apiPaths, credentials } from "../protocol.js"
import { closedLoop, consume, settledOutcome, openLoop, timeAwaitLoop } from "./promiseLoads.js"

const make = (tokenUrl: string, fetchImplementation?: typeof fetch) => {
  const client = new OAuth2Client({
    tokenEndpoint: tokenUrl,
    clientId: credentials.clientId,
    clientSecret: credentials.clientSecret,
    authenticationMethod: "client_secret_basic",
    ...(fetchImplementation === undefined ? {} : { fetch: fetchImplementation })
  })
  return new OAuth2Fetch({ client, getNewToken: () => client.clientCredentials() })
}

export const badgateway: Contender = {
  name: "@badgateway/oauth2-client",
  packageName: "@badgateway/oauth2-client",
  usage: "`OAuth2Client` + `OAuth2Fetch` with `getNewToken: () => client.clientCredentials()`; " +
    "API calls through `OAuth2Fetch.fetch` (replays once after a 401)",

  stampede: async (servers, concurrent) => {
    const wrapper = make(servers.tokenUrl)
    const results = await Promise.allSettled(Array.from({ length: concurrent }, () => wrapper.getAccessToken()))
    return settledOutcome(results)
  },

  warmReaders: async (servers) => {
    const wrapper = make(servers.tokenUrl)
    await wrapper.getAccessToken()
    return {
      readers: [{ label: "`await oauth2Fetch.getAccessToken()`", time: (n) => timeAwaitLoop(() => wrapper.getAccessToken(), n) }],
      close: async () => {}
    }
  },

  load: async (servers: Servers) => {
    const wrapper = make(servers.tokenUrl)
    await wrapper.getAccessToken()
    const openUrl = servers.apiOrigin + apiPaths.open
    const protectedUrl = servers.apiOrigin + apiPaths.protected
    return {
      run: ({ requests, concurrency, authenticated }) =>
        closedLoop(
          requests,
          concurrency,
          authenticated
            ? () => wrapper.fetch(protectedUrl).then(consume)
            : () => fetch(openUrl).then(consume)
        ),
      close: async () => {}
    }
  },

  rotation: async (servers, { durationMs, requestsPerSecond }) => {
    const wrapper = make(servers.tokenUrl)
    await wrapper.getAccessToken()
    const url = servers.apiOrigin + apiPaths.protected
    return openLoop(durationMs, requestsPerSecond, (id) => wrapper.fetch(url, { headers: requestHeaders(id) }).then(consume))
  },

  refreshCycler: async () => {
    const wrapper = make("http://127.0.0.1:9/token", inProcessFetch as typeof fetch)
    return {
      cycle: async (cycles) => {
        for (let i = 0; i < cycles; i++) await wrapper.refreshToken()
      },
      close: async () => {}
    }
  }
}
