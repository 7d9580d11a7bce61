import { describe, expect, it } from "vitest"
import { Url } from "@effect-bearer/kernel"

describe("Url.isLoopback", () => {
  it.each([
    ["localhost", true],
    ["127.0.0.1", true],
    ["127.10.20.30", true],
    ["[::1]", true],
    ["::1", true],
    ["example.com", false],
    ["127.0.0.1.example.com", false],
    ["10.0.0.1", false]
  ])("%s is loopback: %s", (hostname, loopback) => {
    expect(Url.isLoopback(hostname)).toBe(loopback)
  })
})

describe("Url.display", () => {
  it("drops userinfo, query and fragment", () => {
    expect(Url.display(new URL("https://user:pass@auth.example.com:8443/token?secret=x#frag")))
      .toBe("https://auth.example.com:8443/token")
  })
})

describe("Url.withoutFragment", () => {
  it("keeps the query and drops the fragment", () => {
    expect(Url.withoutFragment(new URL("https://auth.example.com/token?a=1#frag"))).toBe("https://auth.example.com/token?a=1")
  })
})

describe("Url.checkEndpoint", () => {
  it.each([
    ["https://auth.example.com/token", "Accepted"],
    ["https://auth.example.com/token?tenant=1", "Accepted"],
    ["http://127.0.0.1:8080/token", "Accepted"],
    ["http://localhost/token", "Accepted"],
    ["http://auth.example.com/token", "Insecure"],
    ["ftp://auth.example.com/token", "InvalidUrl"],
    ["auth.example.com/token", "InvalidUrl"],
    ["https://id:secret@auth.example.com/token", "CarriesCredentials"],
    ["http://id:secret@auth.example.com/token", "CarriesCredentials"]
  ])("%s is %s", (raw, tag) => {
    expect(Url.checkEndpoint(raw)._tag).toBe(tag)
  })
})

describe("Url.checkIssuer", () => {
  it.each([
    ["https://auth.example.com/realms/public", "Accepted"],
    ["https://auth.example.com/realms/public?x=1", "HasQueryOrFragment"],
    ["https://auth.example.com/realms/public#x", "HasQueryOrFragment"],
    ["http://auth.example.com/?x=1", "HasQueryOrFragment"],
    ["https://id:secret@auth.example.com", "CarriesCredentials"],
    ["http://auth.example.com", "Insecure"],
    ["not a url", "InvalidUrl"]
  ])("%s is %s", (raw, tag) => {
    expect(Url.checkIssuer(raw)._tag).toBe(tag)
  })
})
