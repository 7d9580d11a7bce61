/**
 * The local provider server: its test credentials, and `make`, which assembles the
 * providers' handlers around one token store, one fault set and one recording.
 *
 * @internal
 */
import type * as Api from "../LocalProviderServer.js"
import { bitquery, consoleToken } from "./bitquery.js"
import { makeEndpoint } from "./endpoint.js"
import { makeFaults } from "./faults.js"
import { hydrosat } from "./hydrosat.js"
import { makeIssuedTokens } from "./issuedTokens.js"
import { randomString } from "./jwt.js"
import { oauth2, defaultRefreshLifetime as oauth2RefreshLifetime } from "./oauth2.js"
import { endpointKey, makeRecording } from "./recording.js"
import { router } from "./router.js"
import { publicClientId, up42Account, defaultRefreshLifetime as up42AccountRefreshLifetime } from "./up42Account.js"
import { up42Project } from "./up42Project.js"
import { readIncoming } from "./wire.js"

/** @internal */
export const defaultCredentials: Api.Credentials = {
  up42Projects: [
    { projectId: "0f4c52d2-7b0e-4d16-9a7b-5f2a2b1c0001", projectApiKey: "local-project-api-key-1" },
    { projectId: "0f4c52d2-7b0e-4d16-9a7b-5f2a2b1c0002", projectApiKey: "local-project-api-key-2" }
  ],
  up42Account: { username: "user@example.com", password: "local-password", clientId: publicClientId },
  bitquery: {
    clientId: "local-bitquery-client",
    clientSecret: "local-bitquery-secret",
    accessToken: "ory_at_local-console-token"
  },
  hydrosat: { clientId: "local-hydrosat-client", clientSecret: "local-hydrosat-secret" },
  oauth2: { clientId: "local-client", clientSecret: "s3cr3t:+% ü/&=", username: "user@example.com", password: "local-password" }
}

/** @internal */
export const mapSecrets = <A, B>(credentials: Api.Credentials<A>, f: (secret: A) => B): Api.Credentials<B> => ({
  up42Projects: credentials.up42Projects.map((project) => ({
    projectId: project.projectId,
    projectApiKey: f(project.projectApiKey)
  })),
  up42Account: { ...credentials.up42Account, password: f(credentials.up42Account.password) },
  bitquery: {
    clientId: credentials.bitquery.clientId,
    clientSecret: f(credentials.bitquery.clientSecret),
    accessToken: f(credentials.bitquery.accessToken)
  },
  hydrosat: { clientId: credentials.hydrosat.clientId, clientSecret: f(credentials.hydrosat.clientSecret) },
  oauth2: {
    ...credentials.oauth2,
    clientSecret: f(credentials.oauth2.clientSecret),
    password: f(credentials.oauth2.password)
  }
})

/** `setTimeout`, ended early by `signal`. */
const sleepWithTimers = (millis: number, signal: AbortSignal | undefined) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, millis)
    signal?.addEventListener("abort", () => {
      clearTimeout(timer)
      reject(signal.reason)
    }, { once: true })
  })

const randomBytesOfCrypto = (size: number) => crypto.getRandomValues(new Uint8Array(size))

const handlers = [up42Project, up42Account, bitquery, hydrosat, oauth2] as const

/** @internal */
export const make = (options: Api.Options): Api.LocalProviderServer => {
  const { origin } = options
  const now = options.now ?? Date.now
  const randomBytes = options.randomBytes ?? randomBytesOfCrypto
  const credentials: Api.Credentials = { ...defaultCredentials, ...options.credentials }
  const signingSecret = `local-provider-server-${randomString(randomBytes, 32)}`
  const urls: Api.Urls = {
    "up42-project": up42Project.urls(origin),
    "up42-account": up42Account.urls(origin),
    bitquery: bitquery.urls(origin),
    hydrosat: hydrosat.urls(origin),
    oauth2: oauth2.urls(origin)
  }
  const tokens = makeIssuedTokens({
    origin,
    signingSecret,
    randomBytes,
    realms: {
      "up42-project": up42Project.realm,
      "up42-account": up42Account.realm,
      bitquery: bitquery.realm,
      hydrosat: hydrosat.realm,
      oauth2: oauth2.realm
    },
    lifetimes: {
      "up42-project": options.lifetimes?.["up42-project"] ?? up42Project.defaultLifetime,
      "up42-account": options.lifetimes?.["up42-account"] ?? up42Account.defaultLifetime,
      bitquery: options.lifetimes?.bitquery ?? bitquery.defaultLifetime,
      hydrosat: options.lifetimes?.hydrosat ?? hydrosat.defaultLifetime,
      oauth2: options.lifetimes?.oauth2 ?? oauth2.defaultLifetime
    },
    refreshLifetimes: {
      "up42-account": options.refreshLifetimes?.["up42-account"] ?? up42AccountRefreshLifetime,
      oauth2: options.refreshLifetimes?.oauth2 ?? oauth2RefreshLifetime
    },
    initial: [consoleToken(credentials)]
  })
  const faults = makeFaults()
  const recording = makeRecording(options.recordedRequests ?? 1000)
  const context = { credentials, urls, tokens, endpoint: makeEndpoint(faults, recording, options.sleep ?? sleepWithTimers) }
  const route = router(handlers.flatMap((handler) => handler.routes(context)))

  return {
    origin,
    urls,
    credentials,
    environment: {
      ...up42Project.environment(credentials, urls["up42-project"]),
      ...up42Account.environment(credentials, urls["up42-account"]),
      ...bitquery.environment(credentials, urls.bitquery),
      ...hydrosat.environment(credentials, urls.hydrosat),
      ...oauth2.environment(credentials, urls.oauth2)
    },
    signingSecret,
    handle: (request, signal) => route(readIncoming(request, now(), signal)),
    setFault: (provider, fault, faultOptions) =>
      faults.set(endpointKey(provider, faultOptions?.endpoint ?? "token"), fault, faultOptions?.times),
    clearFaults: () => faults.clear(),
    setLifetime: (provider, lifetime) => tokens.setLifetime(provider, lifetime),
    setRefreshLifetime: (provider, lifetime) => tokens.setRefreshLifetime(provider, lifetime),
    requestCount: (provider, name = "token") => recording.countOf(endpointKey(provider, name)),
    requests: (provider, name = "token") => recording.requestsOf(endpointKey(provider, name)),
    revokeTokens: (provider) => tokens.revokeAll(provider)
  }
}
