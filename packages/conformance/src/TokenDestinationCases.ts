/**
 * Where the bearer client sends the token, written once for both lines: to the allowed origin
 * (fetched once), never to another origin (sent there without it, or refused with WrongHost
 * ForeignOrigin), and which origins and options `make` refuses, without echoing a pasted secret.
 * Each line runs the cases on its `BearerBench`.
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-5.3
 */
import type { Case } from "./BearerBench.js"
import { causeOf, statusOf } from "./BearerBench.js"

export type { Case, Expect } from "./BearerBench.js"

/** The cases. */
export const cases: ReadonlyArray<Case> = [
  {
    name: "adds the provider's token to requests to an allowed origin, fetching it once",
    provider: "allowed-origin",
    run: async (bench, expect) => {
      const client = await bench.client()
      expect(statusOf(await client.get("/a"))).toBe(200)
      expect(statusOf(await client.get("/b"))).toBe(200)
      expect((await bench.requests()).map((r) => r.authorization)).toEqual(["Bearer tok-1", "Bearer tok-1"])
      expect(await bench.tokenRequests()).toBe(1)
    }
  },
  {
    name: "sends a request to another origin without the token by default",
    provider: "foreign-default",
    run: async (bench, expect) => {
      const client = await bench.client()
      expect(statusOf(await client.get(bench.foreign.url("/download?signature=abc")))).toBe(200)
      const [received] = await bench.foreign.requests()
      expect(received).toBeDefined()
      expect(received?.authorization).toBeUndefined()
      expect(await bench.tokenRequests()).toBe(0)
    }
  },
  {
    name: "refuses another origin with WrongHost ForeignOrigin when onForeignOrigin is fail",
    provider: "foreign-fail",
    run: async (bench, expect) => {
      const client = await bench.client({ onForeignOrigin: "fail" })
      const outcome = await client.get(bench.foreign.url("/x?q=1"))
      const cause = causeOf(outcome)
      expect(cause?._tag).toBe("WrongHost")
      expect(cause?.reason).toBe("ForeignOrigin")
      expect(cause?.location).toBe(bench.foreign.origin)
      expect(cause?.endpoint).toBe(bench.foreign.url("/x"))
      expect(outcome._tag === "Failure" && outcome.invalidUrl).toBe(true)
      expect((await bench.foreign.requests()).length).toBe(0)
    }
  },
  {
    name: "refuses a plain http origin that is not loopback when made",
    provider: "plain-http-origin",
    run: async (bench, expect) => {
      expect(await bench.refusal({ origins: ["http://api.example.com"] })).toMatchObject({ _tag: "WrongHost", reason: "InsecureEndpoint" })
      // Loopback over plain http is fine: that is what the local test servers are.
      expect(await bench.refusal({ origins: ["http://localhost:8080", "http://[::1]:1"] })).toBeUndefined()
    }
  },
  {
    name: "rejects options that cannot work with InvalidConfiguration, without echoing the value",
    provider: "bad-options",
    run: async (bench, expect) => {
      const settingOf = async (options: Parameters<typeof bench.refusal>[0]) => {
        const error = await bench.refusal(options)
        return error?._tag === "InvalidConfiguration" ? [error.setting, error.message] : [error?._tag, error?.message]
      }
      expect((await settingOf({ origins: [] }))[0]).toBe("origins")
      const [setting, message] = await settingOf({ origins: ["https://user:hunter2@api.example.com"] })
      expect(setting).toBe("origins[0]")
      expect(message).not.toContain("hunter2")
      expect((await settingOf({ origins: ["https://api.example.com/v2"] }))[0]).toBe("origins[0]")
      expect((await settingOf({ origins: ["api.example.com"] }))[0]).toBe("origins[0]")
      expect((await settingOf({ origins: ["https://api.example.com"], timeoutMillis: 0 }))[0]).toBe("timeout")
    }
  }
]
