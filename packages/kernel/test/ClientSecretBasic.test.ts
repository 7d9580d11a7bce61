import { describe, expect, it } from "vitest"
import { ClientSecretBasic } from "@effect-bearer/kernel"

const decoded = (header: string) => Buffer.from(header.replace(/^Basic /, ""), "base64").toString("utf8")

describe("ClientSecretBasic", () => {
  it("is Basic base64(id:secret) for plain ASCII credentials, as curl -u sends them", () => {
    expect(ClientSecretBasic.authorization("project-1", "key-2")).toBe(`Basic ${Buffer.from("project-1:key-2").toString("base64")}`)
  })

  it("form-encodes the id and the secret before Base64 (RFC 6749 §2.3.1)", () => {
    expect(decoded(ClientSecretBasic.authorization("my client", "p:ss/wörd+%"))).toBe("my+client:p%3Ass%2Fw%C3%B6rd%2B%25")
  })
})

describe("ClientSecretBasic.parse", () => {
  const basic = (text: string) => `Basic ${Buffer.from(text).toString("base64")}`

  it.each([
    ["plain ASCII", "project-1", "key-2"],
    ["reserved and non-ASCII characters", "my client", "p:ss/wörd+% ü&="],
    ["an empty secret", "client", ""]
  ])("reads back what authorization builds: %s", (_, clientId, clientSecret) => {
    expect(ClientSecretBasic.parse(ClientSecretBasic.authorization(clientId, clientSecret))).toEqual({ clientId, clientSecret })
  })

  it("accepts any case of the scheme and surrounding spaces", () => {
    expect(ClientSecretBasic.parse(`basic   ${Buffer.from("a:b").toString("base64")}  `)).toEqual({ clientId: "a", clientSecret: "b" })
  })

  it("splits at the first colon: the id has none once form-encoded", () => {
    expect(ClientSecretBasic.parse(basic("id:se:cret"))).toEqual({ clientId: "id", clientSecret: "se:cret" })
  })

  it.each([
    ["no header", undefined],
    ["another scheme", "Bearer abc"],
    ["no credentials", "Basic"],
    ["not Base64", "Basic ***"],
    ["Base64 without its padding", "Basic YTpiYw"],
    ["padding in the middle", "Basic YQ==YTpi"],
    ["no colon", basic("client")],
    ["a malformed escape", basic("client:%zz")],
    ["bytes that are not UTF-8", `Basic ${Buffer.from([0x61, 0x3a, 0xff]).toString("base64")}`]
  ])("is undefined for %s", (_, header) => {
    expect(ClientSecretBasic.parse(header)).toBeUndefined()
  })

  it("formDecode reads + as a space and %XX as UTF-8", () => {
    expect(ClientSecretBasic.formDecode("a+b%3A%C3%BC")).toBe("a b:ü")
    expect(ClientSecretBasic.formDecode("%E0%A4%A")).toBeUndefined()
  })
})
