/**
 * The bearer client's retries of transient answers, written once for both lines: a 5xx retried on
 * the schedule with the still-valid token, a `Retry-After` beyond `maximumRetryAfter` returned at
 * once, a stream body sent once, a POST not sent again after a 503 but sent again after a 429, and
 * `idempotent` letting POST queries be retried; token errors are not retried. The cases that move a clock step by step stay in
 * each line's suite. Each line runs the cases on its `BearerBench`.
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3
 */
import { clientSecret } from "./BearerObservability.js"
import type { Case } from "./BearerBench.js"
import { causeOf, statusOf } from "./BearerBench.js"

export type { Case, Expect } from "./BearerBench.js"

/** The cases. */
export const cases: ReadonlyArray<Case> = [
  {
    name: "retries 5xx on the schedule without fetching the still-valid token again",
    provider: "retry-5xx",
    run: async (bench, expect) => {
      await bench.answer(({ index }) => index < 2 ? { status: 503 } : { status: 200 })
      const client = await bench.client({ retries: 3 })
      expect(statusOf(await client.get("/flaky"))).toBe(200)
      expect(await bench.hits()).toBe(3)
      expect((await bench.requests()).map((r) => r.authorization)).toEqual(["Bearer tok-1", "Bearer tok-1", "Bearer tok-1"])
      expect(await bench.tokenRequests()).toBe(1)
    }
  },
  {
    name: "a Retry-After beyond maximumRetryAfter returns the 429 at once",
    provider: "retry-after-too-long",
    run: async (bench, expect) => {
      await bench.answer(() => ({ status: 429, retryAfter: "3600" }))
      const client = await bench.client({ retries: 3, maximumRetryAfterMillis: 60_000 })
      expect(statusOf(await client.get("/limited"))).toBe(429)
      expect(await bench.hits()).toBe(1)
    }
  },
  {
    name: "a stream body is sent once even when the answer is transient",
    provider: "stream-429",
    run: async (bench, expect) => {
      await bench.answer(() => ({ status: 429 }))
      const client = await bench.client({ retries: 3 })
      expect(statusOf(await client.upload("/upload", ["once"], "PUT"))).toBe(429)
      expect(await bench.hits()).toBe(1)
    }
  },
  {
    name: "a POST is not sent again after a 503: the server may have acted on it",
    provider: "post-503",
    run: async (bench, expect) => {
      await bench.answer(() => ({ status: 503 }))
      const client = await bench.client({ retries: 3 })
      expect(statusOf(await client.post("/orders", "{}"))).toBe(503)
      expect(await bench.hits()).toBe(1)
    }
  },
  {
    name: "a POST is sent again after a 429: the server did not act on it",
    provider: "post-429",
    run: async (bench, expect) => {
      await bench.answer(({ index }) => index === 0 ? { status: 429 } : { status: 200 })
      const client = await bench.client({ retries: 3 })
      expect(statusOf(await client.post("/orders", "{}"))).toBe(200)
      expect(await bench.hits()).toBe(2)
    }
  },
  {
    name: "idempotent lets POST queries (GraphQL) be retried after a 503",
    provider: "post-query",
    run: async (bench, expect) => {
      await bench.answer(({ index }) => index === 0 ? { status: 503 } : { status: 200 })
      const client = await bench.client({ retries: 3, idempotentPathSuffix: "/graphql" })
      expect(statusOf(await client.post("/graphql", "{ query }"))).toBe(200)
      expect((await bench.requests()).map((r) => r.body)).toEqual(["{ query }", "{ query }"])
    }
  },
  {
    name: "token errors are not retried: InvalidCredentials reaches the caller after one token request",
    provider: "invalid-credentials",
    run: async (bench, expect) => {
      await bench.refuseTokens()
      const client = await bench.client({ retries: 5 })
      const outcome = await client.get("/x")
      expect(causeOf(outcome)?._tag).toBe("InvalidCredentials")
      expect(outcome._tag === "Failure" && outcome.message).not.toContain(clientSecret)
      expect(await bench.tokenRequests()).toBe(1)
      expect(await bench.hits()).toBe(0)
    }
  }
]
