/**
 * effect-bearer on Effect 4 as an end-to-end contender (bench/src/Contender.ts), used as the
 * README's Effect 4 section shows: `TokenProvider.fromEndpoint` (client_credentials) over
 * `NodeHttpClient.layerUndici` and `BearerHttpClient` for API calls. Every load is one Effect
 * program per run, never one per request, as bench/src/contenders/effectBearer.ts runs the
 * Effect 3 line.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import type { TokenError } from "@effect-bearer/core"
import { AccessToken, BearerHttpClient, Grant, TokenProvider } from "@effect-bearer/core"
import type { TokenSource } from "@effect-bearer/core"
import { Clock, Duration, Effect, Exit, Fiber, Layer, ManagedRuntime, Redacted, Ref, Result, Scope } from "effect"
import type { HttpClientResponse } from "effect/http"
import { HttpClient, HttpClientError, HttpClientRequest } from "effect/http"
import { randomBytes } from "node:crypto"
import type { Contender, LoadDriver, RotationOutcome, WarmReader } from "../../../bench/src/Contender.js"
import { requestHeaders } from "../../../bench/src/Contender.js"
import type { Servers } from "../../../bench/src/harness.js"
import { nowNs } from "../../../bench/src/harness.js"
import { apiPaths } from "../../../bench/src/protocol.js"
import { cannedClient, clientAuthentication } from "./cannedClient.js"

/** Effects run against one HTTP client layer, with a scope closed by `close`. */
const session = async <A, E>(
  build: Effect.Effect<A, E, Scope.Scope | HttpClient.HttpClient>,
  layer: Layer.Layer<HttpClient.HttpClient> = NodeHttpClient.layerUndici
) => {
  const runtime = ManagedRuntime.make(layer)
  const scope = Effect.runSync(Scope.make())
  const value = await runtime.runPromise(Scope.provide(scope)(build))
  return {
    value,
    runtime,
    close: async () => {
      await Effect.runPromise(Scope.close(scope, Exit.void))
      await runtime.dispose()
    }
  }
}

const provider = (servers: Servers) =>
  TokenProvider.fromEndpoint({ url: servers.tokenUrl, grant: Grant.clientCredentials, clientAuthentication, name: "bench" })

const readAll = (response: HttpClientResponse.HttpClientResponse) =>
  Effect.map(response.text, () => response.status >= 200 && response.status < 300)

/** `iterations` runs of `effect` in Effect's own loop primitive, timed inside the program. */
const timeLoop = <A, E, R>(effect: Effect.Effect<A, E, R>, iterations: number) =>
  Effect.suspend(() => {
    let i = 0
    const start = nowNs()
    return Effect.whileLoop({ while: () => i < iterations, body: () => effect, step: () => i++ }).pipe(
      Effect.map(() => nowNs() - start)
    )
  })

type Authenticate = (
  plain: HttpClient.HttpClient,
  tokens: TokenProvider.Service
) => Effect.Effect<HttpClient.HttpClient, TokenError.InvalidConfiguration | TokenError.WrongHost>

/** A load driver whose authenticated client is `authenticated(plain, provider)`, requesting `path`. */
const loadWith = async (servers: Servers, authenticated: Authenticate, path: string = apiPaths.protected): Promise<LoadDriver> => {
  const { value, runtime, close } = await session(
    Effect.gen(function*() {
      const tokens = yield* provider(servers)
      yield* tokens.get
      const plain = yield* HttpClient.HttpClient
      return { plain, authenticated: yield* authenticated(plain, tokens) }
    })
  )
  const openUrl = servers.apiOrigin + apiPaths.open
  const protectedUrl = servers.apiOrigin + path
  return {
    run: ({ requests, concurrency, authenticated }) =>
      runtime.runPromise(Effect.suspend(() => {
        const send = authenticated ? value.authenticated.get(protectedUrl) : value.plain.get(openUrl)
        const one = Effect.flatMap(send, readAll).pipe(Effect.orElseSucceed(() => false))
        let failed = 0
        const start = nowNs()
        return Effect.forEach(
          Array.from({ length: requests }),
          () =>
            Effect.map(one, (ok) => {
              if (!ok) failed++
            }),
          { concurrency, discard: true }
        ).pipe(Effect.map(() => ({ elapsedNs: nowNs() - start, failed })))
      })),
    close
  }
}

const authenticate: (origin: string) => Authenticate = (origin) => (plain, tokens) =>
  BearerHttpClient.make(plain, tokens, { origins: [origin] })

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

const cycler = async <E>(build: Effect.Effect<TokenProvider.Service, E, Scope.Scope | HttpClient.HttpClient>) => {
  const { value: tokens, runtime, close } = await session(build, Layer.succeed(HttpClient.HttpClient, cannedClient()))
  return {
    cycle: async (cycles: number) => {
      await runtime.runPromise(timeLoop(tokens.refresh, cycles))
    },
    close
  }
}

/** Variants that show where the costs are, reported apart and never judged (the Effect 3 line's too). */
export const diagnostics = {
  load: [
    {
      label: "Effect 4: control, the plain client on both sides (any distance from 1.000 is this machine's noise)",
      open: (servers: Servers) => loadWith(servers, (plain) => Effect.succeed(plain), apiPaths.open)
    },
    {
      label: "Effect 4: minimal `HttpClient.mapRequestEffect` adding `provider.get`'s token",
      open: (servers: Servers) =>
        loadWith(servers, (plain, tokens) =>
          Effect.succeed(HttpClient.mapRequestEffect(plain, (request) =>
            tokens.get.pipe(
              Effect.map((token) => HttpClientRequest.bearerToken(request, token.value)),
              Effect.mapError((cause) =>
                new HttpClientError.HttpClientError({ reason: new HttpClientError.EncodeError({ request, cause }) })
              )
            ))))
    }
  ],
  /** The whole token-request path (`TokenEndpoint` + `TokenSource.fromEndpoint`) over the canned client. */
  fullPathRefreshCycler: () =>
    cycler(TokenProvider.fromEndpoint({
      url: "http://127.0.0.1:9/token",
      grant: Grant.clientCredentials,
      clientAuthentication,
      name: "bench"
    }))
}

export const effectBearerEffect4: Contender = {
  name: "effect-bearer (Effect 4)",
  packageName: "@effect-bearer/core",
  usage: "the Effect 4 line (4.x on effect 4.1): `TokenProvider.fromEndpoint` (client_credentials, defaults) over " +
    "`NodeHttpClient.layerUndici`; its cache is `Effect.cachedInvalidateWithTTL` (time to live from each result)",

  stampede: async (servers, concurrent) => {
    const { value: outcome, close } = await session(
      Effect.gen(function*() {
        const tokens = yield* provider(servers)
        const results = yield* Effect.all(Array.from({ length: concurrent }, () => Effect.result(tokens.get)), {
          concurrency: "unbounded"
        })
        const failures = results.filter(Result.isFailure)
        // TokenError messages never carry secrets.
        const first = failures[0]?.failure
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
        const bare = yield* Ref.make(yield* tokens.get)
        return { tokens, bare }
      })
    )
    const { tokens, bare } = value
    const reader = (label: string, effect: Effect.Effect<unknown, unknown, TokenProvider.TokenProvider>): WarmReader => ({
      label,
      time: (iterations) =>
        // The service is in context once, as in an application, not provided per read.
        runtime.runPromise(Effect.provideService(timeLoop(effect, iterations), TokenProvider.TokenProvider, tokens))
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

  load: (servers) => loadWith(servers, authenticate(servers.apiOrigin)),

  rotation: async (servers, { durationMs, requestsPerSecond }) => {
    const { value: outcome, close } = await session(
      Effect.gen(function*() {
        const tokens = yield* provider(servers)
        // The first token is acquired before the load starts: only rotations are measured.
        yield* tokens.get
        const client = yield* authenticate(servers.apiOrigin)(yield* HttpClient.HttpClient, tokens)
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
        const fibers: Array<Fiber.Fiber<void>> = []
        const start = Date.now()
        // Open loop: requests start on schedule whether or not earlier ones finished.
        while (fibers.length < total) {
          const due = Math.min(total, Math.floor(((Date.now() - start) / 1000) * requestsPerSecond) + 1)
          while (fibers.length < due) fibers.push(yield* Effect.forkChild(request(fibers.length)))
          yield* Effect.sleep("2 millis")
        }
        yield* Fiber.joinAll(fibers)
        return { requests: total, failed, latenciesMs } satisfies RotationOutcome
      })
    )
    await close()
    return outcome
  },

  // The provider's cache, single flight, background fiber and state, 100,000 times over an
  // in-process source; the whole request path is a diagnostic (above).
  refreshCycler: () => cycler(TokenProvider.make(inProcessSource))
}
