/**
 * effect-bearer, used as its README shows: `TokenProvider.fromEndpoint` with the
 * client_credentials grant over `NodeHttpClient.layerUndici`, and `BearerHttpClient`
 * for API calls. Every load is an Effect program (one `runPromise` per
 * run, never one per request), as an Effect application would run it.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type { TokenError, TokenSource } from "@effect-bearer/core"
import { AccessToken, BearerHttpClient, ClientAuthentication, Grant, TokenProvider } from "@effect-bearer/core"
import { Clock, Duration, Effect, Exit, Fiber, Layer, ManagedRuntime, Redacted, Ref, Scope } from "effect"
import { randomBytes } from "node:crypto"
import type { Contender, LoadDriver, RotationOutcome, WarmReader } from "../Contender.js"
import { requestHeaders } from "../Contender.js"
import type { Servers } from "../harness.js"
import { nowNs } from "../harness.js"
import { tokenResponse } from "../inProcess.js"
import { apiPaths, credentials } from "../protocol.js"

const clientAuthentication = ClientAuthentication.clientSecretBasic({
  clientId: credentials.clientId,
  clientSecret: Redacted.make(credentials.clientSecret)
})

/** The authenticated client, as the README builds it: the token only towards the API's origin. */
const authenticate = (client: HttpClient.HttpClient, provider: TokenProvider.Service, origins: ReadonlyArray<string>) =>
  BearerHttpClient.make(client, provider, { origins })

/** Effects run against one HTTP client layer, with a scope closed by `close`. */
const session = async <A, E>(build: Effect.Effect<A, E, Scope.Scope | HttpClient.HttpClient>, layer = NodeHttpClient.layerUndici) => {
  const runtime = ManagedRuntime.make(layer)
  const scope = Effect.runSync(Scope.make())
  const value = await runtime.runPromise(Scope.extend(build, scope))
  return {
    value,
    runtime,
    close: async () => {
      await Effect.runPromise(Scope.close(scope, Exit.void))
      await runtime.dispose()
    }
  }
}

const provider = (servers: Servers, options?: TokenProvider.Options) =>
  TokenProvider.fromEndpoint({
    url: servers.tokenUrl,
    grant: Grant.clientCredentials,
    clientAuthentication,
    name: "bench",
    ...options
  })

const readAll = (response: HttpClientResponse.HttpClientResponse) =>
  Effect.map(response.text, () => response.status >= 200 && response.status < 300)

/** `iterations` runs of `effect` in Effect's own loop primitive, timed inside the program. */
const timeLoop = <A, E, R>(effect: Effect.Effect<A, E, R>, iterations: number) =>
  Effect.gen(function*() {
    let i = 0
    const start = nowNs()
    yield* Effect.whileLoop({ while: () => i < iterations, body: () => effect, step: () => i++ })
    return nowNs() - start
  })

/** A load driver whose authenticated client is `authenticated(plain, provider)`. */
const loadWith = async (
  servers: Servers,
  authenticated: (
    plain: HttpClient.HttpClient,
    tokens: TokenProvider.Service
  ) => Effect.Effect<HttpClient.HttpClient, TokenError.InvalidConfiguration | TokenError.WrongHost>,
  /** The path the "authenticated" side requests: the open one for a plain-vs-plain control. */
  authenticatedPath: string = apiPaths.protected
): Promise<LoadDriver> => {
  const { value, runtime, close } = await session(
    Effect.gen(function*() {
      const tokens = yield* provider(servers)
      yield* tokens.get
      const plain = yield* HttpClient.HttpClient
      return { plain, authenticated: yield* authenticated(plain, tokens) }
    })
  )
  const openUrl = servers.apiOrigin + apiPaths.open
  const protectedUrl = servers.apiOrigin + authenticatedPath
  return {
    run: ({ requests, concurrency, authenticated }) =>
      runtime.runPromise(Effect.gen(function*() {
        const send = authenticated ? value.authenticated.get(protectedUrl) : value.plain.get(openUrl)
        const one = Effect.flatMap(send, readAll).pipe(Effect.orElseSucceed(() => false))
        let failed = 0
        const start = nowNs()
        yield* Effect.forEach(
          Array.from({ length: requests }),
          () =>
            Effect.map(one, (ok) => {
              if (!ok) failed++
            }),
          { concurrency, discard: true }
        )
        return { elapsedNs: nowNs() - start, failed }
      })),
    close
  }
}

/** A token source that answers at once, in process: the provider's own lifecycle only. */
const inProcessSource: TokenSource.TokenSource = {
  name: "bench",
  grantType: "client_credentials",
  fetch: () =>
    Effect.map(Clock.currentTimeMillis, (now) =>
      AccessToken.make({
        value: Redacted.make(randomBytes(24).toString("base64url")),
        issuedAt: now,
        lifetime: Duration.hours(1),
        lifetimeSource: "expires_in"
      }))
}

/** An HttpClient that answers every token request in process with a fresh token response. */
const inProcessTokenEndpoint = Layer.succeed(
  HttpClient.HttpClient,
  HttpClient.make((request) =>
    Effect.sync(() => HttpClientResponse.fromWeb(request, tokenResponse()))
  )
)

const cycler = async <E>(build: Effect.Effect<TokenProvider.Service, E, Scope.Scope | HttpClient.HttpClient>) => {
  const { value: tokens, runtime, close } = await session(build, inProcessTokenEndpoint)
  return {
    cycle: async (cycles: number) => {
      await runtime.runPromise(timeLoop(tokens.refresh, cycles))
    },
    close
  }
}

/**
 * Variants of effect-bearer that are not what a user runs, to show where its costs are:
 * reported apart from the comparison, never judged against a target.
 */
export const effectBearerDiagnostics = {
  load: [
    {
      label: "control: the plain client on both sides (any distance from 1.000 is this machine's noise)",
      open: (servers: Servers) => loadWith(servers, (plain) => Effect.succeed(plain), apiPaths.open)
    },
    {
      label: "`BearerHttpClient` with `timeout: \"30 seconds\"` (what opting into a per-request timeout costs)",
      open: (servers: Servers) =>
        loadWith(servers, (plain, tokens) =>
          BearerHttpClient.make(plain, tokens, { origins: [servers.apiOrigin], timeout: "30 seconds" }))
    },
    {
      label: "minimal `HttpClient.mapRequestEffect` adding `provider.get`'s token (no origin check, no 401 replay, no retry)",
      open: (servers: Servers) =>
        loadWith(servers, (plain, tokens) =>
          Effect.succeed(
            HttpClient.mapRequestEffect(
              plain,
              (request) =>
                tokens.get.pipe(
                  Effect.map((token) => HttpClientRequest.bearerToken(request, token.value)),
                  Effect.mapError((cause) => new HttpClientError.RequestError({ request, reason: "Encode", cause }))
                )
            )
          ))
    }
  ],
  /** The whole token-request path (`TokenEndpoint` + `TokenSource.fromEndpoint`) against an in-process endpoint. */
  fullPathRefreshCycler: () =>
    cycler(TokenProvider.fromEndpoint({
      url: "http://127.0.0.1:9/token",
      grant: Grant.clientCredentials,
      clientAuthentication,
      name: "bench"
    }))
}

export const effectBearer: Contender = {
  name: "effect-bearer",
  packageName: "@effect-bearer/core",
  usage: "`TokenProvider.fromEndpoint` (client_credentials, defaults: background refresh at 80–90 % of the " +
    "lifetime, expiry margin lifetime/30) over `NodeHttpClient.layerUndici`",

  stampede: async (servers, concurrent) => {
    const { value: outcome, close } = await session(
      Effect.gen(function*() {
        const tokens = yield* provider(servers)
        const results = yield* Effect.all(
          Array.from({ length: concurrent }, () => Effect.either(tokens.get)),
          { concurrency: "unbounded" }
        )
        const failures = results.filter((result) => result._tag === "Left")
        // TokenError messages never carry secrets.
        const first = failures[0]?.left
        return { failed: failures.length, ...(first === undefined ? {} : { firstError: `${first._tag}: ${first.message}` }) }
      })
    )
    await close()
    return outcome
  },

  warmReaders: async (servers) => {
    const { value, runtime, close } = await session(
      Effect.gen(function*() {
        const tokens = yield* provider(servers)
        yield* tokens.get
        const bare = yield* Ref.make(yield* tokens.get)
        return { tokens, bare }
      })
    )
    const { tokens, bare } = value
    const reader = (label: string, effect: Effect.Effect<unknown, unknown, TokenProvider.TokenProvider>): WarmReader => ({
      label,
      time: (iterations) =>
        runtime.runPromise(
          // The service is in context once, as in an application, not provided per read.
          Effect.provideService(timeLoop(effect, iterations), TokenProvider.TokenProvider, tokens)
        )
    })
    return {
      readers: [
        reader("bare `Ref.get` (baseline)", Ref.get(bare)),
        reader("`provider.get`", tokens.get),
        reader("`TokenProvider.get` (through the tag)", TokenProvider.get)
      ],
      close
    }
  },

  load: (servers) => loadWith(servers, (plain, tokens) => authenticate(plain, tokens, [servers.apiOrigin])),

  rotation: async (servers, { durationMs, requestsPerSecond }) => {
    const { value: outcome, close } = await session(
      Effect.gen(function*() {
        const tokens = yield* provider(servers)
        // The first token is acquired before the load starts: only rotations are measured.
        yield* tokens.get
        const client = yield* authenticate(yield* HttpClient.HttpClient, tokens, [servers.apiOrigin])
        const url = servers.apiOrigin + apiPaths.protected
        const latenciesMs: Array<number> = []
        let failed = 0
        const request = (id: number) =>
          Effect.suspend(() => {
            const start = nowNs()
            return client.get(url, { headers: requestHeaders(id) }).pipe(
              Effect.flatMap(readAll),
              Effect.orElseSucceed(() => false),
              Effect.map((ok) => {
                latenciesMs.push((nowNs() - start) / 1e6)
                if (!ok) failed++
              })
            )
          })
        const total = Math.round((durationMs / 1000) * requestsPerSecond)
        const fibers: Array<Fiber.RuntimeFiber<void>> = []
        const start = Date.now()
        // Open loop: requests start on schedule whether or not earlier ones finished.
        while (fibers.length < total) {
          const due = Math.min(total, Math.floor(((Date.now() - start) / 1000) * requestsPerSecond) + 1)
          while (fibers.length < due) fibers.push(yield* Effect.fork(request(fibers.length)))
          yield* Effect.sleep("2 millis")
        }
        yield* Fiber.joinAll(fibers)
        return { requests: total, failed, latenciesMs } satisfies RotationOutcome
      })
    )
    await close()
    return outcome
  },

  // The brief's "fast in-process TokenSource": the provider's cache, single flight, background
  // fiber and state, 100,000 times; the whole request path is a diagnostic (see above).
  refreshCycler: () => cycler(TokenProvider.make(inProcessSource))
}
