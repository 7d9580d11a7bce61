/**
 * The local provider server: its test credentials, and `make`, which assembles the
 * providers' handlers around one token store, one fault set and one recording.
 *
 * @internal
 */
import * as HttpServer from "@effect/platform/HttpServer"
import { Effect, Redacted } from "effect"
import type { Scope } from "effect"
import type * as Api from "../../LocalProviderServer.js"
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

/** @internal */
export const defaultCredentials: Api.Credentials = {
  up42Projects: [
    { projectId: "0f4c52d2-7b0e-4d16-9a7b-5f2a2b1c0001", projectApiKey: Redacted.make("local-project-api-key-1") },
    { projectId: "0f4c52d2-7b0e-4d16-9a7b-5f2a2b1c0002", projectApiKey: Redacted.make("local-project-api-key-2") }
  ],
  up42Account: { username: "user@example.com", password: Redacted.make("local-password"), clientId: publicClientId },
  bitquery: {
    clientId: "local-bitquery-client",
    clientSecret: Redacted.make("local-bitquery-secret"),
    accessToken: Redacted.make("ory_at_local-console-token")
  },
  hydrosat: { clientId: "local-hydrosat-client", clientSecret: Redacted.make("local-hydrosat-secret") },
  oauth2: {
    clientId: "local-client",
    clientSecret: Redacted.make("s3cr3t:+% ü/&="),
    username: "user@example.com",
    password: Redacted.make("local-password")
  }
}

/** @internal */
export const make = (
  options: Api.Options
): Effect.Effect<Api.Service, never, HttpServer.HttpServer | Scope.Scope> =>
  Effect.gen(function*() {
    const server = yield* HttpServer.HttpServer
    // A server listening on every interface is reached from this machine at 127.0.0.1,
    // the address the token endpoint accepts plain http for.
    const origin = server.address._tag === "TcpAddress" && ["0.0.0.0", "::", ""].includes(server.address.hostname)
      ? `http://127.0.0.1:${server.address.port}`
      : HttpServer.formatAddress(server.address)
    const credentials: Api.Credentials = { ...defaultCredentials, ...options.credentials }
    const signingSecret = `local-provider-server-${yield* randomString(32)}`
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
    const context = { credentials, urls, tokens, endpoint: makeEndpoint(faults, recording) }
    yield* HttpServer.serveEffect(router(context, [up42Project, up42Account, bitquery, hydrosat, oauth2]))

    const environment: Record<string, string> = {
      ...up42Project.environment(credentials, urls["up42-project"]),
      ...up42Account.environment(credentials, urls["up42-account"]),
      ...bitquery.environment(credentials, urls.bitquery),
      ...hydrosat.environment(credentials, urls.hydrosat),
      ...oauth2.environment(credentials, urls.oauth2)
    }

    return {
      origin,
      urls,
      credentials,
      environment,
      signingSecret: Redacted.make(signingSecret),
      setFault: (provider, fault, faultOptions) =>
        Effect.sync(() => faults.set(endpointKey(provider, faultOptions?.endpoint ?? "token"), fault, faultOptions?.times)),
      clearFaults: Effect.sync(() => faults.clear()),
      setLifetime: (provider, lifetime) => Effect.sync(() => tokens.setLifetime(provider, lifetime)),
      setRefreshLifetime: (provider, lifetime) => Effect.sync(() => tokens.setRefreshLifetime(provider, lifetime)),
      requestCount: (provider, name = "token") => Effect.sync(() => recording.countOf(endpointKey(provider, name))),
      requests: (provider, name = "token") => Effect.sync(() => recording.requestsOf(endpointKey(provider, name))),
      revokeTokens: (provider) => Effect.sync(() => tokens.revokeAll(provider))
    } satisfies Api.Service
  })
