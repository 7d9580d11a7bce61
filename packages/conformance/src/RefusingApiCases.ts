/**
 * An API that refuses every fresh token (RFC 6750 §3.1 `invalid_token` for each), written once for
 * both lines: the bearer client spends two token requests, then fails at once with `Expired`
 * saying so, concurrent calls included; the next token the provider issues by its lifecycle earns
 * one replay again; a challenge repeating the token has it redacted; a refusal for scope alone does
 * not stop later replays; and once the API accepts the token, calls go through. Each line runs
 * the cases on its `BearerBench`.
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3.1
 */
import type { ApiAnswer, Case, TokenErrorView } from "./BearerBench.js"
import { causeOf, statusOf } from "./BearerBench.js"

export type { Case, Expect } from "./BearerBench.js"

const refuseAll = (): ApiAnswer => ({ status: 401 })
const paths = (count: number, prefix = "/items/") => Array.from({ length: count }, (_, i) => `${prefix}${i}`)

/** The cases. */
export const cases: ReadonlyArray<Case> = [
  {
    name: "20 calls cost two token requests, then fail at once with Expired saying the API refuses fresh tokens",
    provider: "refuses-all",
    run: async (bench, expect) => {
      const client = await bench.client()
      await bench.answer(refuseAll)
      const causes: Array<TokenErrorView | undefined> = []
      for (const path of paths(20)) causes.push(causeOf(await client.get(path)))
      expect(causes.map((cause) => cause?._tag === "Expired" && cause.reason)).toEqual(Array.from({ length: 20 }, () => "RejectedByResource"))
      expect(await bench.tokenRequests()).toBe(2)
      // tok-1, then tok-2 as its replay; every later call sends tok-2 once.
      expect(await bench.hits()).toBe(21)
      expect(causes[0]?.message).toContain("rejected a freshly issued token")
      for (const cause of causes.slice(1)) {
        expect(cause?.message).toContain("refused the previous freshly issued token too")
        expect(cause?.message).toContain("scope, audience and account permissions")
        expect(cause?.message).not.toContain("tok-")
      }
    }
  },
  {
    name: "concurrent calls cost two token requests as well",
    provider: "refuses-all-concurrent",
    run: async (bench, expect) => {
      const client = await bench.client()
      await bench.answer(refuseAll)
      await Promise.all(paths(25).map(client.get))
      await Promise.all(paths(25).map(client.get))
      expect(await bench.tokenRequests()).toBe(2)
    }
  },
  {
    name: "the next token the provider issues by its lifecycle earns one replay again",
    provider: "refuses-until-renewed",
    run: async (bench, expect) => {
      const client = await bench.client()
      await bench.answer(refuseAll)
      await client.get("/a")
      await client.get("/b")
      expect(await bench.tokenRequests()).toBe(2)
      // tok-2 expires; the call fetches tok-3, is refused, and replays once with tok-4.
      await bench.adjustClock(301_000)
      await client.get("/c")
      expect(await bench.tokenRequests()).toBe(4)
      expect((await bench.requests()).slice(-2).map((request) => request.token)).toEqual(["tok-3", "tok-4"])
    }
  },
  {
    name: "an API that repeats the refused token in its challenge has it redacted from the Expired error",
    provider: "echoes-token",
    run: async (bench, expect) => {
      const client = await bench.client()
      await bench.answer(({ token }) => ({
        status: 401,
        challenge: `Bearer error="invalid_token", error_description="token ${token} has the wrong audience"`
      }))
      for (const path of ["/a", "/b"]) {
        const outcome = await client.get(path)
        expect(causeOf(outcome)?.errorDescription).toBe("token <redacted> has the wrong audience")
        expect(outcome._tag === "Failure" ? outcome.leaks(["tok-1", "tok-2"]) : ["no failure"]).toEqual([])
      }
    }
  },
  {
    name: "a fresh token refused only for its scope on one request does not stop later replays",
    provider: "insufficient-scope",
    run: async (bench, expect) => {
      const client = await bench.client()
      await bench.answer(({ index, token }) =>
        index === 1
          ? { status: 401, challenge: "Bearer error=\"insufficient_scope\", scope=\"admin\"" }
          : token === "tok-3"
          ? { status: 200 }
          : { status: 401 }
      )
      await client.get("/admin")
      expect(statusOf(await client.get("/items"))).toBe(200)
      expect(await bench.tokenRequests()).toBe(3)
    }
  },
  {
    name: "once the API accepts the refused token, calls go through without a token request",
    provider: "refuses-then-accepts",
    run: async (bench, expect) => {
      const client = await bench.client()
      await bench.answer(refuseAll)
      await client.get("/a")
      await bench.answer(({ token }) => token === "tok-2" ? { status: 200 } : { status: 401 })
      expect(statusOf(await client.get("/b"))).toBe(200)
      expect(await bench.tokenRequests()).toBe(2)
    }
  }
]
