import { describe, expect, it } from "vitest"
import * as FileTokenStoreLayout from "@effect-bearer/kernel/FileTokenStoreLayout"

describe("FileTokenStoreLayout", () => {
  it("accepts keys of TokenStoreKey's shape and refuses anything that walks paths", () => {
    expect(FileTokenStoreLayout.isSafeKey(`v1-${"a".repeat(64)}`)).toBe(true)
    for (const key of ["../etc", "a/b", "", ".hidden", "a".repeat(202), "a b"]) expect(FileTokenStoreLayout.isSafeKey(key)).toBe(false)
  })

  it("reads back the owner and expiry of a lock it wrote", () => {
    const lock = { owner: "o-1", expiresAt: 1_700_000_000_000 }
    expect(FileTokenStoreLayout.decodeLock(FileTokenStoreLayout.encodeLock(lock))).toEqual(lock)
    expect(FileTokenStoreLayout.decodeLock("")).toBeUndefined()
    expect(FileTokenStoreLayout.decodeLock(JSON.stringify({ owner: 1, expiresAt: 2 }))).toBeUndefined()
  })

  it("holds a lock until its expiry, or an unreadable one for a lifetime after its modification", () => {
    expect(FileTokenStoreLayout.heldUntil(FileTokenStoreLayout.encodeLock({ owner: "o", expiresAt: 500 }), 100, 60_000)).toBe(500)
    expect(FileTokenStoreLayout.heldUntil("{half", 100, 60_000)).toBe(60_100)
  })
})
