/**
 * simple-oauth2 as its README shows for client credentials: a `ClientCredentials`
 * client, `getToken`, and `accessToken.expired()` to decide when to fetch a new one
 * ("tokens obtained with the Client Credentials grant may not be refreshed: fetch a new
 * token when it's expired"). It has no HTTP middleware: requests are the user's own
 * `fetch` with the header set from the user's variable, as in the README.
 */
import { ClientCredentials } from "simple-oauth2"
import type { AccessToken, ModuleOptions } from "simple-oauth2"
import type { Contender } from "../Contender.js"
import { notApplicable, requestHeaders } from "../Contender.js"
import { InProcessAgent } from "../inProcess.js"
import { apiPaths, credentials } from "../protocol.js"
import { consume, openLoop, settledOutcome, timeAwaitLoop } from "./promiseLoads.js"

const make = (tokenOrigin: string, http?: ModuleOptions["http"]) => {
  const client = new ClientCredentials({
    client: { id: credentials.clientId, secret: credentials.clientSecret },
    auth: { tokenHost: tokenOrigin, tokenPath: "/token" },
    ...(http === undefined ? {} : { http })
  })
  // The README's pattern, in the helper a user writes around it.
  let accessToken: AccessToken | undefined
  const getAccessToken = async (): Promise<string> => {
    if (accessToken === undefined || accessToken.expired()) accessToken = await client.getToken({})
    return String(accessToken.token["access_token"])
  }
  const newToken = async () => {
    accessToken = await client.getToken({})
  }
  return { getAccessToken, newToken }
}

export const simpleOauth2: Contender = {
  name: "simple-oauth2",
  packageName: "simple-oauth2",
  usage: "`ClientCredentials` + `getToken`, a new token when `accessToken.expired()` (README pattern, " +
    "default window 0 s, no single flight); requests are the user's own `fetch`",

  stampede: async (servers, concurrent) => {
    const tokens = make(servers.tokenOrigin)
    const results = await Promise.allSettled(Array.from({ length: concurrent }, () => tokens.getAccessToken()))
    return settledOutcome(results)
  },

  warmReaders: async (servers) => {
    const tokens = make(servers.tokenOrigin)
    await tokens.getAccessToken()
    return {
      readers: [{ label: "`await getAccessToken()` (README `expired()` check)", time: (n) => timeAwaitLoop(tokens.getAccessToken, n) }],
      close: async () => {}
    }
  },

  load: async () =>
    notApplicable("no HTTP client or middleware: an authenticated request is the user's own fetch, so the ratio would measure fetch, not simple-oauth2"),

  rotation: async (servers, { durationMs, requestsPerSecond }) => {
    const tokens = make(servers.tokenOrigin)
    await tokens.getAccessToken()
    const url = servers.apiOrigin + apiPaths.protected
    return openLoop(durationMs, requestsPerSecond, async (id) => {
      const headers = requestHeaders(id)
      const token = await tokens.getAccessToken()
      return consume(await fetch(url, { headers: { ...headers, authorization: `Bearer ${token}` } }))
    })
  },

  refreshCycler: async () => {
    const tokens = make("http://127.0.0.1:9", { agent: new InProcessAgent() })
    return {
      cycle: async (cycles) => {
        for (let i = 0; i < cycles; i++) await tokens.newToken()
      },
      close: async () => {}
    }
  }
}
