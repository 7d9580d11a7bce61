/**
 * What the bearer client does with an API's 401 (RFC 6750 §3.1), written once for both lines: it
 * invalidates the token, fetches one fresh token and replays the request once; a fresh token
 * refused too fails with `Expired` (RejectedByResource), never looping; 100 concurrent calls
 * through a revoked or an expired token cost one token request; a challenge of another scheme is
 * the API's own answer; a stream body is not replayed. Each line runs the cases on its `BearerBench`.
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3.1
 */
import type { Case } from "./BearerBench.js"
import { causeOf, statusOf } from "./BearerBench.js"

export type { Case, Expect } from "./BearerBench.js"

const hundred = Array.from({ length: 100 }, (_, i) => `/items/${i}`)

/** The cases. */
export const cases: ReadonlyArray<Case> = [
  {
    name: "invalidates the token, fetches one fresh token and replays the request once",
    provider: "replay",
    run: async (bench, expect) => {
      const client = await bench.clientWithRevokedToken()
      expect(statusOf(await client.post("/orders", "{}"))).toBe(200)
      expect((await bench.requests()).map((r) => [r.method, r.path, r.authorization, r.body])).toEqual([
        ["GET", "/warm", "Bearer tok-1", ""],
        ["POST", "/orders", "Bearer tok-1", "{}"],
        ["POST", "/orders", "Bearer tok-2", "{}"]
      ])
      expect(await bench.tokenRequests()).toBe(2)
    }
  },
  {
    name: "fails with Expired (RejectedByResource) when the fresh token is refused too, never looping",
    provider: "second-401",
    run: async (bench, expect) => {
      await bench.answer(() => ({ status: 401 }))
      const client = await bench.client({ retries: 5 })
      const outcome = await client.get("/scenes?bbox=1,2,3,4")
      const cause = causeOf(outcome)
      expect(cause?._tag).toBe("Expired")
      expect(cause?._tag === "Expired" && cause.reason).toBe("RejectedByResource")
      expect(cause?.endpoint).toBe(bench.apiUrl("/scenes"))
      expect(cause?.status).toBe(401)
      expect(cause?.error).toBe("invalid_token")
      expect(cause?.errorDescription).toBe("The access token expired")
      expect(outcome._tag === "Failure" && outcome.statusError).toBe(true)
      expect(outcome._tag === "Failure" && outcome.responseStatus).toBe(401)
      expect(cause?.message).not.toContain("tok-")
      expect(await bench.hits()).toBe(2)
      expect(await bench.tokenRequests()).toBe(2)
    }
  },
  {
    name: "100 concurrent requests through a revoked token cause one token request and 100 successes",
    provider: "revoked-100",
    run: async (bench, expect) => {
      const client = await bench.clientWithRevokedToken()
      const outcomes = await Promise.all(hundred.map((path) => client.get(path)))
      expect(outcomes.map(statusOf)).toEqual(Array.from({ length: 100 }, () => 200))
      expect(await bench.tokenRequests()).toBe(2)
      expect((await bench.requests()).filter((r) => r.authorization === "Bearer tok-2").length).toBe(100)
    }
  },
  {
    name: "100 concurrent requests after the token expired cause one token request and no 401",
    provider: "expired-100",
    run: async (bench, expect) => {
      const client = await bench.client()
      await client.get("/warm")
      await bench.adjustClock(301_000)
      await bench.revoke("tok-1")
      const outcomes = await Promise.all(hundred.map((path) => client.get(path)))
      expect(outcomes.map(statusOf)).toEqual(Array.from({ length: 100 }, () => 200))
      expect(await bench.tokenRequests()).toBe(2)
      expect(await bench.hits()).toBe(101)
    }
  },
  {
    name: "a 401 that asks for another scheme is the API's own answer: returned as it is",
    provider: "basic-challenge",
    run: async (bench, expect) => {
      await bench.answer(() => ({ status: 401, challenge: "Basic realm=\"legacy\"" }))
      const client = await bench.client()
      expect(statusOf(await client.get("/legacy"))).toBe(401)
      expect(await bench.hits()).toBe(1)
      expect(await bench.tokenRequests()).toBe(1)
    }
  },
  {
    name: "a stream body is not replayed: the 401 is returned and the next request gets a fresh token",
    provider: "stream-body",
    run: async (bench, expect) => {
      const client = await bench.clientWithRevokedToken()
      expect(statusOf(await client.upload("/upload", ["chunk-1", "chunk-2"]))).toBe(401)
      expect((await bench.requests()).filter((r) => r.path === "/upload").map((r) => r.body)).toEqual(["chunk-1chunk-2"])
      // The refused token was invalidated, so the caller's next attempt goes through.
      expect(statusOf(await client.get("/after"))).toBe(200)
      expect((await bench.requests()).at(-1)?.authorization).toBe("Bearer tok-2")
      expect(await bench.tokenRequests()).toBe(2)
    }
  }
]
