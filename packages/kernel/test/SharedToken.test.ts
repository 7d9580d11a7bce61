import { describe, expect, it } from "vitest"
import { Seal, SharedToken } from "@effect-bearer/kernel"

const token: SharedToken.StoredToken = {
  value: "tok",
  issuedAt: 1_000,
  expiresAt: 301_000,
  lifetimeSource: "expires_in",
  scope: null,
  refreshToken: "rt",
  refreshExpiresAt: null
}

describe("SharedToken", () => {
  it.each([
    ["a token", token, true],
    ["an empty value", { ...token, value: "" }, false],
    ["an expiry before the issue", { ...token, expiresAt: 0 }, false],
    ["an unknown lifetime source", { ...token, lifetimeSource: "guess" }, false],
    ["a numeric scope", { ...token, scope: 3 }, false],
    ["null", null, false]
  ])("isStoredToken: %s", (_, value, expected) => {
    expect(SharedToken.isStoredToken(value)).toBe(expected)
  })

  it.each([
    ["a marker", { generation: 2, endpoint: "e", reason: "ServerError", status: 503 }, true],
    ["a marker without status", { generation: 2, endpoint: "e", reason: "Timeout", status: null }, true],
    ["an unknown reason", { generation: 2, endpoint: "e", reason: "Other", status: null }, false]
  ])("isFailureMarker: %s", (_, value, expected) => {
    expect(SharedToken.isFailureMarker(value)).toBe(expected)
  })

  it("deriveKeys: one store key per credential; a store's own sealing key makes another sealing key", async () => {
    const identity = { tokenUrl: "https://auth.example/token", clientId: "c", grantType: "client_credentials" }
    const plain = await SharedToken.deriveKeys(identity, ["secret"], undefined)
    const withStoreKey = await SharedToken.deriveKeys(identity, ["secret"], "store-key")
    expect(withStoreKey.storeKey).toBe(plain.storeKey)
    const sealed = await SharedToken.sealJson(plain.sealingKey, token)
    expect(await SharedToken.openJson(plain.sealingKey, sealed, SharedToken.isStoredToken)).toEqual(token)
    expect(await SharedToken.openJson(withStoreKey.sealingKey, sealed, SharedToken.isStoredToken)).toBeUndefined()
  })

  it("seals and opens a token; another key, or a value of another shape, opens to undefined", async () => {
    const key = await Seal.deriveKey({ storeKey: "v1-a", secrets: ["secret"] })
    const other = await Seal.deriveKey({ storeKey: "v1-a", secrets: ["other"] })
    const sealed = await SharedToken.sealJson(key, token)
    expect(await SharedToken.openJson(key, sealed, SharedToken.isStoredToken)).toEqual(token)
    expect(await SharedToken.openJson(other, sealed, SharedToken.isStoredToken)).toBeUndefined()
    expect(await SharedToken.openJson(key, sealed, SharedToken.isFailureMarker)).toBeUndefined()
    expect(await SharedToken.openJson(key, "garbage", SharedToken.isStoredToken)).toBeUndefined()
  })

  it("bounds: the lock outlives the fetch by 2 s up to the store's limit, waits and holds are capped", () => {
    expect(SharedToken.lockTimeToLive(10_000, 0, undefined)).toBe(12_000)
    expect(SharedToken.lockTimeToLive(3_000, 0, undefined)).toBe(5_000)
    expect(SharedToken.lockTimeToLive(3_000, 0, 4_000)).toBe(4_000)
    expect(SharedToken.waitForHolder(60_000, 0)).toBe(5_000)
    expect(SharedToken.waitForHolder(0, 10)).toBe(1)
    expect([SharedToken.failureHold(undefined), SharedToken.failureHold(7_000), SharedToken.failureHold(86_400_000)]).toEqual([1_000, 7_000, 30_000])
    expect(SharedToken.failureKey("v1-a")).toBe("v1-a-failed")
  })

  it("keeps a token until its refresh token expires, a day past its expiry without a known one", () => {
    expect(SharedToken.keepUntil(100, undefined)).toBe(100)
    expect(SharedToken.keepUntil(100, { expiresAt: 500 })).toBe(500)
    expect(SharedToken.keepUntil(100, { expiresAt: 50 })).toBe(100)
    expect(SharedToken.keepUntil(100, { expiresAt: undefined })).toBe(86_400_100)
  })
})
