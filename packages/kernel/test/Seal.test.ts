import { describe, expect, it } from "vitest"
import { Seal } from "@effect-bearer/kernel"

const storeKey = `v1-${"a".repeat(64)}`
const otherStoreKey = `v1-${"b".repeat(64)}`
const plaintext = JSON.stringify({ access_token: "eyJ.secret.token", refresh_token: "rt-1" })

const tamper = (sealed: string, index: number): string => {
  const characters = sealed.split("")
  characters[index] = characters[index] === "A" ? "B" : "A"
  return characters.join("")
}

describe("Seal", () => {
  it("opens what it sealed, and the sealed text holds neither the plaintext nor the secret", async () => {
    const key = await Seal.deriveKey({ storeKey, secrets: ["client-s3cr3t"] })
    const sealed = await Seal.seal(key, plaintext)
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]+$/)
    expect(sealed).not.toContain("eyJ")
    expect(sealed).not.toContain("client-s3cr3t")
    expect(await Seal.open(key, sealed)).toEqual({ _tag: "Opened", plaintext })
  })

  it("uses a fresh IV each time", async () => {
    const key = await Seal.deriveKey({ storeKey, secrets: ["client-s3cr3t"] })
    expect(await Seal.seal(key, plaintext)).not.toBe(await Seal.seal(key, plaintext))
  })

  it("derives the same key from the same secrets in another process (deterministic HKDF)", async () => {
    const sealed = await Seal.seal(await Seal.deriveKey({ storeKey, secrets: ["s", "pw"] }), plaintext)
    const again = await Seal.deriveKey({ storeKey, secrets: ["s", "pw"] })
    expect(await Seal.open(again, sealed)).toEqual({ _tag: "Opened", plaintext })
  })

  it("shows nothing of the key: only the store key is visible or serialisable", async () => {
    const key = await Seal.deriveKey({ storeKey, secrets: ["client-s3cr3t"] })
    expect(Object.keys(key)).toEqual(["storeKey"])
    expect(JSON.stringify(key)).toBe(JSON.stringify({ storeKey }))
  })

  it("refuses a key it did not derive", async () => {
    await expect(Seal.seal({ storeKey }, plaintext)).rejects.toThrow(/not a key made by Seal.deriveKey/)
  })

  it("treats a value sealed under other credentials as NotAuthentic", async () => {
    const sealed = await Seal.seal(await Seal.deriveKey({ storeKey, secrets: ["secret-a"] }), plaintext)
    const foreign = await Seal.deriveKey({ storeKey, secrets: ["secret-b"] })
    expect(await Seal.open(foreign, sealed)).toEqual({ _tag: "Unusable", reason: "NotAuthentic" })
  })

  it("does not let a value move to another store key, even under the same secret", async () => {
    const sealed = await Seal.seal(await Seal.deriveKey({ storeKey, secrets: ["same"] }), plaintext)
    const moved = await Seal.deriveKey({ storeKey: otherStoreKey, secrets: ["same"] })
    expect(await Seal.open(moved, sealed)).toEqual({ _tag: "Unusable", reason: "NotAuthentic" })
  })

  it("keeps the boundaries between secrets: (ab, c) is not (a, bc)", async () => {
    const sealed = await Seal.seal(await Seal.deriveKey({ storeKey, secrets: ["ab", "c"] }), plaintext)
    const shifted = await Seal.deriveKey({ storeKey, secrets: ["a", "bc"] })
    expect((await Seal.open(shifted, sealed))._tag).toBe("Unusable")
  })

  it("accepts a key the user provides as bytes", async () => {
    const userKey = globalThis.crypto.getRandomValues(new Uint8Array(32))
    const key = await Seal.deriveKey({ storeKey, secrets: [userKey] })
    expect(await Seal.open(key, await Seal.seal(key, plaintext))).toEqual({ _tag: "Opened", plaintext })
  })

  it("refuses to derive a key from no secret", async () => {
    await expect(Seal.deriveKey({ storeKey, secrets: [] })).rejects.toThrow(/needs a secret/)
    await expect(Seal.deriveKey({ storeKey, secrets: ["", new Uint8Array(0)] })).rejects.toThrow(/needs a secret/)
  })

  it("returns Unusable for tampered, truncated, foreign-format and garbage values, and never throws", async () => {
    const key = await Seal.deriveKey({ storeKey, secrets: ["client-s3cr3t"] })
    const sealed = await Seal.seal(key, plaintext)
    const cases: ReadonlyArray<readonly [string, string]> = [
      [tamper(sealed, 10), "NotAuthentic"],
      [tamper(sealed, sealed.length - 2), "NotAuthentic"],
      [sealed.slice(0, -4), "NotAuthentic"],
      [sealed.slice(0, 20), "Malformed"],
      ["v1.", "Malformed"],
      ["v1.!!!not-base64", "Malformed"],
      ["garbage", "Malformed"],
      ["", "Malformed"],
      [`v2.${sealed.slice(3)}`, "UnknownVersion"],
      ["{\"access_token\":\"plain\"}", "Malformed"]
    ]
    for (const [value, reason] of cases) {
      expect(await Seal.open(key, value), value).toEqual({ _tag: "Unusable", reason })
    }
  })
})
