/**
 * The local provider server on 127.0.0.1 (port 0) through Node, and an undici
 * `HttpClient`: every test talks to the server through the real HTTP stack.
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import { Duration, Effect, Fiber, Layer, Option, TestClock, TestServices } from "effect"
import { createServer } from "node:http"
import { LocalProviderServer } from "@effect-bearer/providers"

/** The server and a client; build it inside each test so that every test starts fresh. */
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

/**
 * Waits (on the live clock, a few milliseconds at a time, at most about five seconds)
 * until a condition on real I/O holds, e.g. that a request reached the server.
 */
export const waitUntil = <E, R>(condition: Effect.Effect<boolean, E, R>): Effect.Effect<void, E | Error, R> =>
  Effect.gen(function*() {
    for (let attempt = 0; attempt < 200; attempt++) {
      if (yield* condition) return
      yield* settle
    }
    return yield* Effect.fail(new Error("waitUntil: the condition never held"))
  })

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
