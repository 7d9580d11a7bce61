import { createHash } from "node:crypto"
import { describe, expect, it } from "vitest"
import { TokenStoreKey } from "@effect-bearer/kernel"

const identity: TokenStoreKey.CredentialIdentity = {
  tokenUrl: "https://idp.example/oauth/token",
  clientId: "app",
  grantType: "client_credentials",
  scope: "read write",
  audience: "https://api.example"
}

describe("TokenStoreKey", () => {
  it("is v1- and the SHA-256 of the canonical text, safe as a file name and a Redis key", async () => {
    const key = await TokenStoreKey.make(identity)
    expect(key).toBe(`v1-${createHash("sha256").update(TokenStoreKey.canonicalText(identity)).digest("hex")}`)
    expect(TokenStoreKey.isKey(key)).toBe(true)
    expect(TokenStoreKey.isKey("v1-../etc")).toBe(false)
  })

  it("differs whenever one identifying field differs", async () => {
    const variants: ReadonlyArray<TokenStoreKey.CredentialIdentity> = [
      identity,
      { ...identity, tokenUrl: "https://idp.example/oauth/token2" },
      { ...identity, clientId: "app2" },
      { ...identity, grantType: "password", username: "ana" },
      { ...identity, grantType: "password", username: "bob" },
      { ...identity, scope: "read" },
      { ...identity, scope: undefined },
      { ...identity, audience: "https://other.example" },
      { ...identity, audience: undefined }
    ]
    const keys = await Promise.all(variants.map(TokenStoreKey.make))
    expect(new Set(keys).size).toBe(variants.length)
  })

  it("does not depend on the order or repetition of scope tokens", async () => {
    expect(await TokenStoreKey.make({ ...identity, scope: "write  read read" })).toBe(await TokenStoreKey.make(identity))
  })

  it("cannot be confused by separators inside fields", async () => {
    const a = await TokenStoreKey.make({ tokenUrl: "u", clientId: "a\",\"b", grantType: "g" })
    const b = await TokenStoreKey.make({ tokenUrl: "u\",\"a", clientId: "b", grantType: "g" })
    expect(a).not.toBe(b)
  })

  it("never contains a secret: the canonical text has only identifying fields", () => {
    const withExtras = { ...identity, clientSecret: "s3cr3t", password: "hunter2" } as TokenStoreKey.CredentialIdentity
    expect(TokenStoreKey.canonicalText(withExtras)).not.toMatch(/s3cr3t|hunter2/)
  })
})
