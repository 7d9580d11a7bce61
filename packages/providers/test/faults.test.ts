/**
 * Every provider against every fault of the local server (the version-free table of
 * `@effect-bearer/conformance/ProviderFaults`): each failure arrives as its documented
 * error tag, never as a defect, and a malformed or opaque success is recognised for what it is.
 */
import { describe, expect, layer } from "@effect/vitest"
import * as ProviderFaults from "@effect-bearer/conformance/ProviderFaults"
import { Duration, Effect, Fiber, Option, Schedule, TestClock } from "effect"
import type { Scope } from "effect"
import type * as HttpClient from "@effect/platform/HttpClient"
import type { TokenError, TokenProvider } from "@effect-bearer/core"
import { LocalProviderServer, Provider } from "@effect-bearer/providers"
import * as Server from "./support/server.js"

/** No retry and no background refresh: each test sees exactly one token request. */
const once = { retry: Schedule.stop, backgroundRefresh: false, timeout: "2 seconds" } as const

type Make = (
  server: LocalProviderServer.Service,
  options?: Provider.Options
) => Effect.Effect<
  TokenProvider.Service,
  TokenError.InvalidConfiguration | TokenError.WrongHost,
  HttpClient.HttpClient | Scope.Scope
>

const subjects = Object.fromEntries(ProviderFaults.providers.map((id) => {
  const module = Server.modules[id]
  const make: Make = (server, options) =>
    module.make({ ...Server.localCredentials(server, id).options, tokenUrl: server.urls[id].tokenUrl, ...once, ...options } as never)
  return [id, { make, defaultLifetime: module.defaultLifetime, hints: "hints" in module ? module.hints : {} }]
})) as Record<ProviderFaults.ProviderId, {
  readonly make: Make
  readonly defaultLifetime: Duration.Duration
  readonly hints: Partial<Record<TokenError.TokenError["_tag"], string>>
}>

/** The table's fault as this line's server takes it. */
const faultOf = (fault: ProviderFaults.Fault): LocalProviderServer.Fault =>
  fault._tag === "Status"
    ? { _tag: "Status", status: fault.status, retryAfter: fault.retryAfter === undefined ? undefined : Duration.millis(fault.retryAfter) }
    : fault

layer(Server.layer())("faults", (it) => {
  for (const id of ProviderFaults.providers) {
    const provider = { id, ...subjects[id] }
    describe(id, () => {
      for (const row of ProviderFaults.table) {
        it.effect(`${row.name} is ${row.error._tag}`, () =>
          Effect.gen(function*() {
            const server = yield* Server.server
            yield* server.clearFaults
            yield* server.setFault(provider.id, faultOf(row.fault), { times: 1 })
            const tokens = yield* provider.make(server)
            const error = yield* Effect.flip(tokens.get)
            expect(error).toMatchObject(ProviderFaults.expectedFields(row.error))
            if (row.error.retryAfterSeconds !== undefined) {
              expect(error).toMatchObject({ retryAfter: Duration.seconds(row.error.retryAfterSeconds) })
            }
            const hint = provider.hints[error._tag]
            if (hint !== undefined) expect(error.message).toContain(hint)
          }).pipe(Effect.scoped))
      }

      it.effect("a response slower than the timeout is TemporarilyUnavailable (Timeout)", () =>
        Effect.gen(function*() {
          const server = yield* Server.server
          yield* server.clearFaults
          yield* server.setFault(provider.id, LocalProviderServer.slow("30 seconds"), { times: 1 })
          const before = yield* server.requestCount(provider.id)
          const tokens = yield* provider.make(server)
          const fiber = yield* Effect.fork(tokens.get)
          yield* Server.waitUntil(Effect.map(server.requestCount(provider.id), (count) => count > before))
          yield* TestClock.adjust("2 seconds")
          const error = yield* Effect.flip(Fiber.join(fiber))
          expect(error).toMatchObject({ _tag: "TemporarilyUnavailable", reason: "Timeout" })
        }).pipe(Effect.scoped))

      it.effect("acquisitionTimeout is passed on: a response slower than it is TemporarilyUnavailable (Timeout) then", () =>
        Effect.gen(function*() {
          // Regression: the providers dropped the option, so the request's own timeout (here an hour) was the only limit.
          const server = yield* Server.server
          yield* server.clearFaults
          yield* server.setFault(provider.id, LocalProviderServer.slow("30 seconds"), { times: 1 })
          const before = yield* server.requestCount(provider.id)
          const tokens = yield* provider.make(server, { timeout: "1 hour", acquisitionTimeout: "2 seconds" })
          const fiber = yield* Effect.fork(tokens.get)
          yield* Server.waitUntil(Effect.map(server.requestCount(provider.id), (count) => count > before))
          yield* TestClock.adjust("2 seconds")
          yield* Server.waitUntil(Effect.map(Fiber.poll(fiber), Option.isSome))
          const error = yield* Effect.flip(Fiber.join(fiber))
          expect(error).toMatchObject({ _tag: "TemporarilyUnavailable", reason: "Timeout" })
          // The server's wait ends too, so that no request is left in flight when the block's server closes.
          yield* TestClock.adjust("30 seconds")
          yield* Server.settle
        }).pipe(Effect.scoped))

      it.effect("an opaque token without expires_in gets the provider's documented lifetime", () =>
        Effect.gen(function*() {
          const server = yield* Server.server
          yield* server.clearFaults
          yield* server.setFault(provider.id, LocalProviderServer.opaqueToken, { times: 1 })
          const token = yield* Effect.flatMap(provider.make(server), (tokens) => tokens.get)
          expect(token.lifetimeSource).toBe("default")
          expect(token.lifetime).toEqual(provider.defaultLifetime)
        }).pipe(Effect.scoped))
    })
  }
})
