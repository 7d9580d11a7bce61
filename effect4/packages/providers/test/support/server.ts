/**
 * The local provider server on 127.0.0.1 (port 0) through Node, and an undici `HttpClient`:
 * every test talks to the server through the real HTTP stack. A suite starts one server for
 * a `describe` block (`layer(Server.layer())(...)`) and each test takes its view with
 * {@link fresh}; a test that changes the server's lifetimes or credentials provides a
 * `Server.layer()` of its own (each call is a new layer, so Effect 4 does not share it).
 */
import * as LocalCredentials from "@effect-bearer/conformance/LocalCredentials"
import { NodeHttpClient, NodeHttpServer } from "@effect/platform-node"
import { ConfigProvider, Effect, Fiber, Layer, Redacted } from "effect"
import type { Duration } from "effect"
import { TestClock } from "effect/testing"
import { HttpClient, HttpClientRequest } from "effect/http"
import { createServer } from "node:http"
import { TokenProvider } from "@effect-bearer/core"
import type { Provider } from "@effect-bearer/providers"
import { Bitquery, Hydrosat, LocalProviderServer, OAuth2, Up42Account, Up42Project } from "@effect-bearer/providers"

/** The server and a client. */
export const layer = (
  options?: LocalProviderServer.Options
): Layer.Layer<LocalProviderServer.LocalProviderServer | HttpClient.HttpClient> =>
  LocalProviderServer.layer(options).pipe(
    Layer.provide(NodeHttpServer.layer(createServer, { port: 0, host: "127.0.0.1" })),
    Layer.merge(NodeHttpClient.layerUndici),
    Layer.orDie
  )

/** The server in context. */
export const server = LocalProviderServer.LocalProviderServer

const endpoints = ["token", "api", "discovery", "revocation"] as const

/**
 * The server shared by a `describe` block as one test sees it: no fault set, and the
 * request counts and records starting from zero.
 */
export const fresh: Effect.Effect<LocalProviderServer.Service, never, LocalProviderServer.LocalProviderServer> = Effect.gen(
  function*() {
    const shared = yield* server
    yield* shared.clearFaults
    const before = new Map<string, number>()
    for (const provider of LocalProviderServer.providerIds) {
      for (const endpoint of endpoints) before.set(`${provider}/${endpoint}`, yield* shared.requestCount(provider, endpoint))
    }
    const since = (provider: LocalProviderServer.ProviderId, endpoint: LocalProviderServer.Endpoint = "token") =>
      Effect.map(shared.requestCount(provider, endpoint), (count) => count - (before.get(`${provider}/${endpoint}`) ?? 0))
    return {
      ...shared,
      requestCount: since,
      requests: (provider, endpoint = "token") =>
        Effect.zipWith(shared.requests(provider, endpoint), since(provider, endpoint), (all, count) => all.slice(all.length - count))
    } satisfies LocalProviderServer.Service
  }
)

/** A form POST as a hand-written client would send it. */
export const formPost = (url: string, form: Record<string, string>) =>
  HttpClientRequest.post(url).pipe(HttpClientRequest.bodyUrlParams(form))

/**
 * Lets real I/O in flight finish: waits a few milliseconds of real time (never token time,
 * which only the TestClock moves).
 */
export const settle: Effect.Effect<void> = Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 25)))

/** For tests that move the TestClock by minutes at once: a request on the wire must not see its timeout fire. */
export const jumpingClock = { timeout: "1 hour" } as const

/** Waits (in real time, up to 5 s) until the condition holds. */
export const waitUntil = <E, R>(condition: Effect.Effect<boolean, E, R>): Effect.Effect<void, E, R> =>
  Effect.gen(function*() {
    const deadline = Date.now() + 5000
    while (!(yield* condition)) {
      if (Date.now() > deadline) return yield* Effect.die(new Error("condition not met within 5 s of real time"))
      yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 5)))
    }
  })

/**
 * Moves the TestClock forward a step at a time, letting real I/O finish between steps, until
 * the fiber is done: for retries whose waits start only once a response arrived.
 */
export const advanceUntilDone = <A, E>(fiber: Fiber.Fiber<A, E>, step: Duration.Input): Effect.Effect<A, E | Error> =>
  Effect.gen(function*() {
    for (let attempt = 0; attempt < 200; attempt++) {
      const exit = fiber.pollUnsafe()
      if (exit !== undefined) return yield* exit
      yield* TestClock.adjust(step)
      yield* settle
    }
    return yield* Effect.fail(new Error("advanceUntilDone: the fiber never finished"))
  })

/** These variables as the whole environment, the way Effect 4 reads a process's (an empty one is unset). */
export const environment = (variables: Readonly<Record<string, string>>): ConfigProvider.ConfigProvider =>
  ConfigProvider.fromEnv({ env: { ...variables } })

/** Runs an effect with these variables as the whole environment. */
export const withEnvironment = (variables: Readonly<Record<string, string>>) =>
<A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.provideService(effect, ConfigProvider.ConfigProvider, environment(variables))

/** The token of a provider layer built with these variables as the whole environment. */
export const tokenWith = (tokens: Provider.ProviderLayer, variables: Readonly<Record<string, string>>) =>
  TokenProvider.get.pipe(Effect.provide(tokens.pipe(Layer.provide(ConfigProvider.layer(environment(variables))))))

/** What building a provider layer with these variables fails with. */
export const failureWith = (tokens: Provider.ProviderLayer, variables: Readonly<Record<string, string>>) =>
  Effect.flip(Effect.scoped(Layer.build(tokens)).pipe(withEnvironment(variables)))

/** The status (and JSON body, if any) an API answers a request with this token. */
export const callApi = (url: string, token?: Redacted.Redacted<string> | string, method: "GET" | "POST" = "GET") =>
  HttpClient.execute(
    (method === "GET" ? HttpClientRequest.get(url) : HttpClientRequest.post(url)).pipe(
      token === undefined ? (request) => request : HttpClientRequest.bearerToken(token),
      method === "POST" ? HttpClientRequest.bodyJsonUnsafe({ query: "{ EVM { Blocks { Block { Number } } } }" }) : (request) => request
    )
  ).pipe(
    Effect.flatMap((response) =>
      Effect.map(Effect.orElseSucceed(response.json, () => undefined), (body) => ({ status: response.status, body }))
    ),
    Effect.orDie
  )

/** Each provider's module of the local provider server, by its record's id. */
export const modules = { "up42-project": Up42Project, "up42-account": Up42Account, bitquery: Bitquery, hydrosat: Hydrosat, oauth2: OAuth2 }

/**
 * The server's credentials of a provider as `make` options (secrets `Redacted`), the client id
 * they send and what the conformance tables' placeholders stand for; `wrongSecret` replaces the secret.
 */
export const localCredentials = (server: LocalProviderServer.Service, id: LocalCredentials.Id, wrongSecret?: string) => {
  const reveal = (value: unknown) => Redacted.isRedacted(value) ? Redacted.value(value as Redacted.Redacted<string>) : undefined
  const made = LocalCredentials.of(id, LocalCredentials.revealed(server.credentials, reveal), wrongSecret)
  return { ...made, options: LocalCredentials.concealed(made.options, Redacted.make) }
}
