/**
 * The Effect 4 wrapper of the local provider server: served on a real `HttpServer`, its
 * clock is the fiber's `Clock` (the TestClock here), and a client that goes away ends the
 * request. The wire behaviour itself is tested once, in packages/local-provider-server.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Redacted } from "effect"
import { TestClock } from "effect/testing"
import { HttpClient } from "effect/http"
import { LocalProviderServer } from "@effect-bearer/providers"
import * as Server from "./support/server.js"

const up42AccountPassword = Effect.gen(function*() {
  const server = yield* Server.server
  const account = server.credentials.up42Account
  return yield* HttpClient.execute(
    Server.formPost(server.urls["up42-account"].tokenUrl, {
      username: account.username,
      password: Redacted.value(account.password),
      grant_type: "password",
      client_id: "up42-api"
    })
  )
})

describe("LocalProviderServer", () => {
  it.effect("listens on 127.0.0.1, names its URLs and environment by that origin, and answers 404 elsewhere", () =>
    Effect.gen(function*() {
      const server = yield* Server.server
      expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      expect(server.urls.hydrosat.tokenUrl).toBe(`${server.origin}/hydrosat/oauth2/token`)
      expect(server.environment["HYDROSAT_TOKEN_URL"]).toBe(server.urls.hydrosat.tokenUrl)
      expect(String(server.signingSecret)).not.toContain(Redacted.value(server.signingSecret))
      const response = yield* HttpClient.execute(Server.formPost(`${server.origin}/realms/public/token`, {}))
      expect(response.status).toBe(404)
      expect(yield* response.json).toMatchObject({ error: "not_found" })
    }).pipe(Effect.provide(Server.layer())))

  it.effect("its tokens expire on the fiber's clock: the API accepts one until the TestClock passes its lifetime", () =>
    Effect.gen(function*() {
      const server = yield* Server.server
      const body = (yield* (yield* up42AccountPassword).json) as { readonly access_token: string }
      expect((yield* Server.callApi(server.urls["up42-account"].apiUrl, body.access_token)).status).toBe(200)
      yield* TestClock.adjust("299 seconds")
      expect((yield* Server.callApi(server.urls["up42-account"].apiUrl, body.access_token)).status).toBe(200)
      yield* TestClock.adjust("1 second")
      expect((yield* Server.callApi(server.urls["up42-account"].apiUrl, body.access_token)).status).toBe(401)
    }).pipe(Effect.provide(Server.layer())))

  it.effect("a Slow fault sleeps on the fiber's clock before answering", () =>
    Effect.gen(function*() {
      const server = yield* Server.server
      yield* server.setFault("up42-account", LocalProviderServer.slow("30 seconds"))
      const fiber = yield* Effect.forkChild(up42AccountPassword)
      yield* Server.waitUntil(Effect.map(Effect.sync(() => fiber.pollUnsafe()), (exit) => exit === undefined))
      yield* Server.settle
      expect(fiber.pollUnsafe()).toBeUndefined()
      yield* TestClock.adjust("30 seconds")
      expect((yield* Fiber.join(fiber)).status).toBe(200)
    }).pipe(Effect.provide(Server.layer())))

  it.effect("a client that goes away ends a Slow fault's wait: the request is never answered nor recorded", () =>
    Effect.gen(function*() {
      const server = yield* Server.server
      yield* server.setFault("up42-account", LocalProviderServer.slow("30 seconds"))
      const fiber = yield* Effect.forkChild(up42AccountPassword)
      // The request is on the server, waiting on the TestClock.
      yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 200)))
      yield* Fiber.interrupt(fiber)
      yield* Server.settle
      yield* TestClock.adjust("30 seconds")
      yield* Server.settle
      expect(yield* server.requests("up42-account")).toEqual([])
    }).pipe(Effect.provide(Server.layer())))

  it.effect("rateLimited sends Retry-After in whole seconds", () =>
    Effect.gen(function*() {
      const server = yield* Server.server
      yield* server.setFault("up42-account", LocalProviderServer.rateLimited("7 seconds"), { times: 1 })
      const response = yield* up42AccountPassword
      expect(response.status).toBe(429)
      expect(response.headers["retry-after"]).toBe("7")
      expect((yield* up42AccountPassword).status).toBe(200)
      expect((yield* server.requests("up42-account")).map((request) => request.status)).toEqual([429, 200])
    }).pipe(Effect.provide(Server.layer())))
})
