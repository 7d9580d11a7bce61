/**
 * The local provider server on 127.0.0.1 (port 0) through Node, and an undici
 * `HttpClient`: every test talks to the server through the real HTTP stack. A suite
 * starts one server for a `describe` block (`layer(Server.layer())(...)`) and each test
 * takes its view with {@link fresh}.
 */
import * as LocalCredentials from "@effect-bearer/conformance/LocalCredentials"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { ConfigProvider, Duration, Effect, Fiber, Layer, Option, Redacted, TestClock, TestServices } from "effect"
import { TokenProvider } from "@effect-bearer/core"
import type { Provider } from "@effect-bearer/providers"
import { Bitquery, Hydrosat, LocalProviderServer, OAuth2, Up42Account, Up42Project } from "@effect-bearer/providers"
import * as LoopbackServer from "@effect-bearer/test-support/LoopbackServer"
import * as Polling from "@effect-bearer/test-support/Polling"
import * as SharedServer from "@effect-bearer/test-support/SharedServer"

/** The server and a client. */
export const layer = (
  options?: LocalProviderServer.Options
): Layer.Layer<LocalProviderServer.LocalProviderServer | HttpClient.HttpClient> =>
  LoopbackServer.layer(LocalProviderServer.layer(options))

/** The server in context. */
export const server = LocalProviderServer.LocalProviderServer

/**
 * The server shared by a `describe` block, as one test sees it: no fault set, and the
 * request counts and records starting from zero. Lifetimes are the server's own: a test
 * that changes them gets a server of its own.
 */
export const fresh: Effect.Effect<LocalProviderServer.Service, never, LocalProviderServer.LocalProviderServer> = Effect
  .flatMap(
    LocalProviderServer.LocalProviderServer,
    (shared) => SharedServer.fresh(shared, LocalProviderServer.providerIds, ["token", "api", "discovery", "revocation"])
  )

/** A form POST as a hand-written client would send it. */
export const formPost = (url: string, form: Record<string, string>) =>
  HttpClientRequest.post(url).pipe(HttpClientRequest.bodyUrlParams(form))

/**
 * Lets real I/O in flight (a background refresh on a socket) finish: the TestClock sees a
 * fiber waiting on a socket as suspended, so time can move on while it is still running.
 * This waits on the live clock for a few milliseconds; it never stands in for token time.
 */
export const settle = TestServices.provideLive(Effect.sleep("25 millis"))

/**
 * For tests that move the TestClock by minutes at once: a request still on the wire when
 * the clock jumps would otherwise see its 10-second timeout fire, which only happens
 * because test time runs faster than the network.
 */
export const jumpingClock = { timeout: "1 hour" } as const

/** `Polling.eventually`, under the name faults.test.ts and LocalProviderServer.test.ts call. */
export const waitUntil = Polling.eventually

/**
 * Moves the TestClock forward a step at a time, letting real I/O finish between steps,
 * until the fiber is done: for retries whose waits start only once a response arrived.
 */
export const advanceUntilDone = <A, E>(
  fiber: Fiber.RuntimeFiber<A, E>,
  step: Duration.DurationInput
): Effect.Effect<A, E | Error> =>
  Effect.gen(function*() {
    for (let attempt = 0; attempt < 200; attempt++) {
      const exit = yield* Fiber.poll(fiber)
      if (Option.isSome(exit)) return yield* exit.value
      yield* TestClock.adjust(step)
      yield* settle
    }
    return yield* Effect.fail(new Error("advanceUntilDone: the fiber never finished"))
  })

/** These variables as the whole environment, read the way Effect 3 reads a process's (`_` joins a prefix). */
export const environment = (variables: Readonly<Record<string, string>>): ConfigProvider.ConfigProvider =>
  ConfigProvider.fromMap(new Map(Object.entries(variables)), { pathDelim: "_" })

/** Runs an effect with these variables as the whole environment. */
export const withEnvironment = (variables: Readonly<Record<string, string>>) =>
<A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.withConfigProvider(effect, environment(variables))

/** The token of a provider layer built with these variables as the whole environment. */
export const tokenWith = (tokens: Provider.ProviderLayer, variables: Readonly<Record<string, string>>) =>
  TokenProvider.get.pipe(Effect.provide(tokens.pipe(Layer.provide(Layer.setConfigProvider(environment(variables))))))

/** What building a provider layer with these variables fails with. */
export const failureWith = (tokens: Provider.ProviderLayer, variables: Readonly<Record<string, string>>) =>
  Effect.flip(Effect.scoped(Layer.build(tokens)).pipe(withEnvironment(variables)))

/** The status (and JSON body, if any) an API answers a request with this token. */
export const callApi = (url: string, token?: Redacted.Redacted<string> | string, method: "GET" | "POST" = "GET") =>
  HttpClient.execute(
    (method === "GET" ? HttpClientRequest.get(url) : HttpClientRequest.post(url)).pipe(
      token === undefined ? (request) => request : HttpClientRequest.bearerToken(token),
      method === "POST" ? HttpClientRequest.bodyUnsafeJson({ query: "{ EVM { Blocks { Block { Number } } } }" }) : (request) => request
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
