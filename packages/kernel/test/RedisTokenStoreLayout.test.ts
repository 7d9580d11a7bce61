import { describe, expect, it } from "vitest"
import * as RedisTokenStoreLayout from "@effect-bearer/kernel/RedisTokenStoreLayout"

describe("RedisTokenStoreLayout", () => {
  it("puts the entry, the lock and the channel of a key under the prefix", () => {
    expect(RedisTokenStoreLayout.entryKey("app:", "v1-k")).toBe("app:token:v1-k")
    expect(RedisTokenStoreLayout.lockKey("app:", "v1-k")).toBe("app:lock:v1-k")
    expect(RedisTokenStoreLayout.changeChannel("app:", "v1-k")).toBe("app:changed:v1-k")
    expect(RedisTokenStoreLayout.defaultKeyPrefix).toBe("effect-bearer:")
  })

  it("reads a TIME reply as epoch milliseconds", () => {
    expect(RedisTokenStoreLayout.millisOf("1700000000", "123999")).toBe(1_700_000_000_123)
  })

  it("writes whole milliseconds of at least 1 as the entry's PXAT", () => {
    expect(RedisTokenStoreLayout.compareAndSetArguments("p:", "k", { generation: 2, expiresAt: 1234.9 }, "{}")).toEqual([
      "{}",
      "2",
      "1234",
      "p:changed:k"
    ])
    expect(RedisTokenStoreLayout.compareAndSetArguments("p:", "k", { generation: 1, expiresAt: 0.2 }, "{}")[2]).toBe("1")
  })

  it("reconnects after 50 ms doubling up to 2 s, with under 100 ms of jitter", () => {
    expect(RedisTokenStoreLayout.reconnectDelay(0, 0)).toBe(50)
    expect(RedisTokenStoreLayout.reconnectDelay(3, 0)).toBe(400)
    expect(RedisTokenStoreLayout.reconnectDelay(50, 0.999)).toBe(2_099)
  })
})
