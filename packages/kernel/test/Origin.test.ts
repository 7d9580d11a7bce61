import { describe, expect, it } from "vitest"
import { Origin } from "@effect-bearer/kernel"

describe("Origin.check: a configured origin", () => {
  it.each([
    ["https://api.example.com", "Accepted", "https://api.example.com"],
    ["https://api.example.com/", "Accepted", "https://api.example.com"],
    ["https://API.Example.COM:443", "Accepted", "https://api.example.com"],
    ["https://api.example.com:8443", "Accepted", "https://api.example.com:8443"],
    ["https://bücher.example", "Accepted", "https://xn--bcher-kva.example"],
    ["http://localhost:8080", "Accepted", "http://localhost:8080"],
    ["http://127.1:8080", "Accepted", "http://127.0.0.1:8080"],
    ["http://127.10.20.30", "Accepted", "http://127.10.20.30"],
    ["http://[::1]:1", "Accepted", "http://[::1]:1"],
    ["http://[0:0:0:0:0:0:0:1]:1", "Accepted", "http://[::1]:1"]
  ])("%s is %s as %s", (raw, tag, origin) => {
    const result = Origin.check(raw)
    expect(result._tag).toBe(tag)
    expect(result._tag === "Accepted" && result.url.origin).toBe(origin)
  })

  it.each([
    ["api.example.com", "InvalidUrl"],
    ["not a url", "InvalidUrl"],
    ["", "InvalidUrl"],
    ["ftp://api.example.com", "UnsupportedScheme"],
    ["wss://api.example.com", "UnsupportedScheme"],
    ["https://user:hunter2@api.example.com", "NotAnOrigin"],
    ["https://user@api.example.com", "NotAnOrigin"],
    ["https://api.example.com/v2", "NotAnOrigin"],
    ["https://api.example.com?tenant=1", "NotAnOrigin"],
    ["https://api.example.com#top", "NotAnOrigin"],
    ["http://user:hunter2@api.example.com", "NotAnOrigin"],
    ["http://api.example.com", "Insecure"],
    ["http://127.0.0.1.example.com", "Insecure"],
    ["http://localhost.", "Insecure"],
    ["http://10.0.0.1", "Insecure"],
    ["http://[::ffff:127.0.0.1]", "Insecure"]
  ])("%s is %s", (raw, tag) => {
    expect(Origin.check(raw)._tag).toBe(tag)
  })

  it("keeps no userinfo in what a rejected origin reports", () => {
    const result = Origin.check("https://user:hunter2@api.example.com")
    expect(result._tag === "NotAnOrigin" && result.url.origin).toBe("https://api.example.com")
  })
})

describe("Origin.destination: where a request's URL stands", () => {
  const allowList = (...origins: ReadonlyArray<string>) =>
    Origin.allowList(origins.map((raw) => {
      const result = Origin.check(raw)
      if (result._tag !== "Accepted") throw new Error(`${raw} is ${result._tag}`)
      return result.url
    }))

  const rows: ReadonlyArray<readonly [allowed: ReadonlyArray<string>, request: string, destination: string]> = [
    [["https://api.example.com"], "https://api.example.com/projects?page=2", "Allowed"],
    [["https://api.example.com"], "https://API.EXAMPLE.com:443/projects", "Allowed"],
    [["https://api.example.com"], "https://api.example.com:8443/projects", "Foreign"],
    [["https://api.example.com"], "https://api.example.com./projects", "Foreign"],
    [["https://api.example.com"], "https://api.example.com.evil.example/", "Foreign"],
    [["https://api.example.com"], "https://api.example.com@evil.example/", "Foreign"],
    [["https://api.example.com"], "https://evil.example/?https://api.example.com", "Foreign"],
    [["https://api.example.com"], "https://sub.api.example.com/", "Foreign"],
    [["https://api.example.com"], "http://api.example.com/projects", "InsecureDowngrade"],
    [["https://api.example.com"], "http://api.example.com:8080/projects", "InsecureDowngrade"],
    [["https://api.example.com"], "http://evil.example/", "Foreign"],
    [["https://api.example.com"], "ws://api.example.com/", "Foreign"],
    [["https://bücher.example"], "https://xn--bcher-kva.example/", "Allowed"],
    [["https://xn--bcher-kva.example"], "https://BÜCHER.example/", "Allowed"],
    [["http://127.0.0.1:8080"], "http://127.1:8080/", "Allowed"],
    [["http://127.0.0.1:8080"], "http://localhost:8080/", "Foreign"],
    [["http://127.0.0.1:8080"], "https://127.0.0.1:8080/", "Foreign"],
    [["http://[::1]:8080"], "http://[0:0:0:0:0:0:0:1]:8080/", "Allowed"],
    [["https://localhost:8443"], "http://localhost:8443/", "Foreign"],
    [["https://api.example.com", "http://localhost:8080"], "http://localhost:8080/x", "Allowed"],
    [["https://api.example.com", "https://files.example.com"], "https://files.example.com/a", "Allowed"]
  ]
  for (const [allowed, request, destination] of rows) {
    it(`${request} against ${allowed.join(", ")} is ${destination}`, () => {
      expect(Origin.destination(allowList(...allowed), new URL(request))).toBe(destination)
    })
  }
})
