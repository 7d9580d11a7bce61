/**
 * Soak test, run by hand (not part of `pnpm test`):
 *
 *   pnpm soak -- --minutes 10 [--concurrency 10] [--interval-ms 50]
 *
 * Starts the local provider server on 127.0.0.1 with 5-second access tokens (and
 * 20-second refresh tokens for the UP42 account and generic OAuth2, so the refresh
 * grant and its fall back to the password grant both happen), then for N minutes makes
 * concurrent authenticated API calls for every provider through `NodeBearerHttpClient`,
 * in real time. It prints progress, then per provider: API calls, failures, token
 * requests and 401 replays. It exits with 1 when any call failed (or a provider made
 * none), 0 otherwise.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Console, Context, Duration, Effect, Fiber, Layer, Schedule } from "effect"
import { parseArgs } from "node:util"
import type { TokenProvider } from "../packages/core/src/index.js"
import {
  Bitquery,
  Hydrosat,
  LocalProviderServer,
  OAuth2,
  Up42Account,
  Up42Project
} from "../packages/providers/src/index.js"
import { NodeBearerHttpClient, NodeLocalProviderServer } from "../packages/platform-node/src/index.js"

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== "--"),
  options: {
    minutes: { type: "string", default: "1" },
    concurrency: { type: "string", default: "10" },
    "interval-ms": { type: "string", default: "50" }
  }
})

const positive = (name: string, raw: string) => {
  const value = Number(raw)
  if (!Number.isFinite(value) || value <= 0) {
    process.stderr.write(`soak: --${name} must be a positive number, got "${raw}"\n`)
    process.exit(2)
  }
  return value
}
const minutes = positive("minutes", values.minutes)
const concurrency = Math.ceil(positive("concurrency", values.concurrency))
const interval = Duration.millis(positive("interval-ms", values["interval-ms"]))
const duration = Duration.millis(minutes * 60_000)

const tokenLifetime = Duration.seconds(5)
const refreshLifetime = Duration.seconds(20)

/** One provider as a user's program builds it, pointed at the local server. */
interface Target {
  readonly id: LocalProviderServer.ProviderId
  readonly tokens: (server: LocalProviderServer.Service) => Layer.Layer<TokenProvider.TokenProvider, unknown, HttpClient.HttpClient>
  readonly request: (server: LocalProviderServer.Service) => HttpClientRequest.HttpClientRequest
}

const targets: ReadonlyArray<Target> = [
  {
    id: "up42-project",
    tokens: (server) =>
      Up42Project.layer({ ...server.credentials.up42Projects[0]!, tokenUrl: server.urls["up42-project"].tokenUrl }),
    request: (server) => HttpClientRequest.get(server.urls["up42-project"].apiUrl)
  },
  {
    id: "up42-account",
    tokens: (server) =>
      Up42Account.layer({
        username: server.credentials.up42Account.username,
        password: server.credentials.up42Account.password,
        tokenUrl: server.urls["up42-account"].tokenUrl
      }),
    request: (server) => HttpClientRequest.get(server.urls["up42-account"].apiUrl)
  },
  {
    id: "bitquery",
    tokens: (server) =>
      Bitquery.layer({
        clientId: server.credentials.bitquery.clientId,
        clientSecret: server.credentials.bitquery.clientSecret,
        tokenUrl: server.urls.bitquery.tokenUrl
      }),
    request: (server) =>
      HttpClientRequest.post(server.urls.bitquery.apiUrl).pipe(
        HttpClientRequest.bodyUnsafeJson({ query: "{ EVM { Blocks(limit: {count: 1}) { Block { Number } } } }" })
      )
  },
  {
    id: "hydrosat",
    tokens: (server) =>
      Hydrosat.layer({
        clientId: server.credentials.hydrosat.clientId,
        clientSecret: server.credentials.hydrosat.clientSecret,
        tokenUrl: server.urls.hydrosat.tokenUrl
      }),
    request: (server) => HttpClientRequest.get(server.urls.hydrosat.apiUrl)
  },
  {
    id: "oauth2",
    tokens: (server) =>
      OAuth2.layer({
        clientId: server.credentials.oauth2.clientId,
        clientSecret: server.credentials.oauth2.clientSecret,
        tokenUrl: server.urls.oauth2.tokenUrl
      }),
    request: (server) => HttpClientRequest.get(server.urls.oauth2.apiUrl)
  }
]

interface Tally {
  calls: number
  failures: number
  readonly reasons: Map<string, number>
}

const count = (tally: Tally, ok: boolean, reason: string) => {
  tally.calls++
  if (!ok) {
    tally.failures++
    tally.reasons.set(reason, (tally.reasons.get(reason) ?? 0) + 1)
  }
}

/** Calls the provider's API in a loop until `deadline` (epoch ms), each call counted. */
const worker = (client: HttpClient.HttpClient, request: HttpClientRequest.HttpClientRequest, tally: Tally, deadline: number) =>
  Effect.gen(function*() {
    while (Date.now() < deadline) {
      yield* client.execute(request).pipe(
        Effect.flatMap((response) =>
          Effect.as(response.arrayBuffer, response.status === 200 ? "ok" : `HTTP ${response.status}`)
        ),
        Effect.timeout("30 seconds"),
        Effect.match({
          onFailure: (error) => count(tally, false, error._tag),
          onSuccess: (outcome) => count(tally, outcome === "ok", outcome)
        })
      )
      yield* Effect.sleep(interval)
    }
  })

const program = Effect.gen(function*() {
  const server = yield* LocalProviderServer.LocalProviderServer
  const started = Date.now()
  const deadline = started + Duration.toMillis(duration)
  yield* Console.log(
    `soak: ${minutes} min, ${targets.length} providers × ${concurrency} concurrent callers every ${
      Duration.format(interval)
    }, ${Duration.format(tokenLifetime)} tokens, server ${server.origin}`
  )

  const runs = yield* Effect.forEach(targets, (target) =>
    Effect.gen(function*() {
      const context = yield* Layer.build(
        NodeBearerHttpClient.layer(target.tokens(server), { origins: [server.origin] })
      )
      const client = Context.get(context, HttpClient.HttpClient)
      const tally: Tally = { calls: 0, failures: 0, reasons: new Map() }
      return { target, client, tally }
    }))

  const progress = Effect.gen(function*() {
    const calls = runs.reduce((sum, run) => sum + run.tally.calls, 0)
    const failures = runs.reduce((sum, run) => sum + run.tally.failures, 0)
    const tokenRequests = yield* Effect.forEach(runs, (run) => server.requestCount(run.target.id, "token"))
    yield* Console.log(
      `  ${Math.round((Date.now() - started) / 1000)}s: ${calls} calls, ${failures} failures, ${
        tokenRequests.reduce((a, b) => a + b, 0)
      } token requests`
    )
  })
  const reporter = yield* progress.pipe(Effect.repeat(Schedule.spaced("15 seconds")), Effect.delay("15 seconds"), Effect.fork)

  yield* Effect.forEach(
    runs.flatMap((run) => Array.from({ length: concurrency }, () => worker(run.client, run.target.request(server), run.tally, deadline))),
    (effect) => effect,
    { concurrency: "unbounded", discard: true }
  )
  yield* Fiber.interrupt(reporter)

  const elapsed = (Date.now() - started) / 1000
  const expectedTokens = Math.round(elapsed / (Duration.toSeconds(tokenLifetime) * 0.85))
  yield* Console.log(`\nsoak finished after ${elapsed.toFixed(0)} s (about ${expectedTokens} token requests expected per provider)\n`)
  yield* Console.log("provider      calls   failures  token requests  API requests  401 replays")
  let failed = false
  for (const run of runs) {
    const tokenRequests = yield* server.requestCount(run.target.id, "token")
    const apiRequests = yield* server.requestCount(run.target.id, "api")
    const replays = Math.max(0, apiRequests - run.tally.calls)
    if (run.tally.failures > 0 || run.tally.calls === 0) failed = true
    yield* Console.log(
      `${run.target.id.padEnd(12)} ${String(run.tally.calls).padStart(7)} ${String(run.tally.failures).padStart(9)} ${
        String(tokenRequests).padStart(15)
      } ${String(apiRequests).padStart(13)} ${String(replays).padStart(12)}`
    )
    for (const [reason, n] of run.tally.reasons) yield* Console.log(`               ${n} × ${reason}`)
  }
  const total = runs.reduce((sum, run) => sum + run.tally.calls, 0)
  const failures = runs.reduce((sum, run) => sum + run.tally.failures, 0)
  yield* Console.log(`\ntotal: ${total} calls, ${failures} failures`)
  if (failed) return yield* Effect.fail(`soak failed: ${failures} failures`)
  yield* Console.log("soak passed: 0 failures")
})

program.pipe(
  Effect.scoped,
  Effect.provide(
    NodeLocalProviderServer.layer({
      lifetimes: {
        "up42-project": tokenLifetime,
        "up42-account": tokenLifetime,
        bitquery: tokenLifetime,
        hydrosat: tokenLifetime,
        oauth2: tokenLifetime
      },
      refreshLifetimes: { "up42-account": refreshLifetime, oauth2: refreshLifetime }
    })
  ),
  NodeRuntime.runMain
)
