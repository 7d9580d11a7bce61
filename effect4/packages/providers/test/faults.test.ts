/**
 * Every provider against every fault of the local server (the version-free table of
 * `@effect-bearer/conformance/ProviderFaults`): each failure arrives as its documented
 * error tag, never as a defect, and an opaque success gets the provider's documented lifetime.
 */
import { describe, expect, layer } from "@effect/vitest"
import * as ProviderFaults from "@effect-bearer/conformance/ProviderFaults"
import { Duration, Effect, Fiber, Schedule } from "effect"
import { TestClock } from "effect/testing"
import type { TokenError } from "@effect-bearer/core"
import type { Provider } from "@effect-bearer/providers"
import { LocalProviderServer } from "@effect-bearer/providers"
import * as Server from "./support/server.js"

/** No retry and no background refresh: each test sees exactly one token request. */
const once = { retry: Schedule.recurs(0), backgroundRefresh: false, timeout: "2 seconds" } as const

interface Subject {
  readonly make: (server: LocalProviderServer.Service) => Provider.Make
  readonly defaultLifetime: Duration.Duration
  readonly hints: Partial<Record<TokenError.TokenError["_tag"], string>>
}

const subjects = Object.fromEntries(ProviderFaults.providers.map((id) => {
  const module = Server.modules[id]
  const make = (server: LocalProviderServer.Service): Provider.Make =>
    module.make({ ...Server.localCredentials(server, id).options, tokenUrl: server.urls[id].tokenUrl, ...once } as never)
  return [id, { make, defaultLifetime: module.defaultLifetime, hints: "hints" in module ? module.hints : {} }]
})) as Record<ProviderFaults.ProviderId, Subject>

/** The table's fault as this line's server takes it. */
const faultOf = (fault: ProviderFaults.Fault): LocalProviderServer.Fault =>
  fault._tag === "Status"
    ? { _tag: "Status", status: fault.status, retryAfter: fault.retryAfter === undefined ? undefined : Duration.millis(fault.retryAfter) }
    : fault

layer(Server.layer())("faults", (it) => {
  for (const id of ProviderFaults.providers) {
    const subject = subjects[id]
    describe(id, () => {
      for (const row of ProviderFaults.table) {
        it.effect(`${row.name} is ${row.error._tag}`, () =>
          Effect.gen(function*() {
            const server = yield* Server.fresh
            yield* server.setFault(id, faultOf(row.fault), { times: 1 })
            const error = yield* Effect.flip(Effect.flatMap(subject.make(server), (tokens) => tokens.get))
            expect(error).toMatchObject(ProviderFaults.expectedFields(row.error))
            if (row.error.retryAfterSeconds !== undefined) {
              expect(error).toMatchObject({ retryAfter: Duration.seconds(row.error.retryAfterSeconds) })
            }
            const hint = subject.hints[error._tag as TokenError.TokenError["_tag"]]
            if (hint !== undefined) expect(error.message).toContain(hint)
          }))
      }

      it.effect("a response slower than the timeout is TemporarilyUnavailable (Timeout)", () =>
        Effect.gen(function*() {
          const server = yield* Server.fresh
          yield* server.setFault(id, LocalProviderServer.slow("30 seconds"), { times: 1 })
          const tokens = yield* subject.make(server)
          const fiber = yield* Effect.forkChild(tokens.get)
          yield* Server.waitUntil(Effect.map(server.requestCount(id), (count) => count > 0))
          yield* TestClock.adjust("2 seconds")
          const error = yield* Effect.flip(Fiber.join(fiber))
          expect(error).toMatchObject({ _tag: "TemporarilyUnavailable", reason: "Timeout" })
          // The server's wait ends too, so that no request is left in flight when the block's server closes.
          yield* TestClock.adjust("30 seconds")
          yield* Server.settle
        }))

      it.effect("an opaque token without expires_in gets the provider's documented lifetime", () =>
        Effect.gen(function*() {
          const server = yield* Server.fresh
          yield* server.setFault(id, LocalProviderServer.opaqueToken, { times: 1 })
          const token = yield* Effect.flatMap(subject.make(server), (tokens) => tokens.get)
          expect(token.lifetimeSource).toBe("default")
          expect(token.lifetime).toEqual(subject.defaultLifetime)
        }))
    })
  }
})
