import { describe, expect, it } from "vitest"
import { TokenDestination } from "@effect-bearer/kernel"

const accepted = (origins: ReadonlyArray<string>) => {
  const checked = TokenDestination.checkOrigins(origins)
  if (checked._tag !== "Accepted") throw new Error(`not accepted: ${checked._tag}`)
  return checked.destinations
}

describe("TokenDestination.checkOrigins", () => {
  it("refuses an empty list, naming the setting", () => {
    expect(TokenDestination.checkOrigins([])).toMatchObject({ _tag: "InvalidConfiguration", setting: "origins" })
  })

  it.each([
    ["https://user:hunter2@api.example.com"],
    ["https://api.example.com/v2"],
    ["api.example.com"],
    ["ftp://api.example.com"]
  ])("refuses %s as origins[1], without repeating it", (origin) => {
    const checked = TokenDestination.checkOrigins(["https://ok.example.com", origin])
    expect(checked).toMatchObject({ _tag: "InvalidConfiguration", setting: "origins[1]" })
    expect(JSON.stringify(checked)).not.toContain("hunter2")
  })

  it("refuses plain http to another machine as Insecure, naming the origin", () => {
    expect(TokenDestination.checkOrigins(["http://api.example.com"])).toEqual({
      _tag: "Insecure",
      origin: "http://api.example.com"
    })
  })

  it("accepts https origins and loopback over plain http, as the URL parser serialises them", () => {
    expect(accepted(["https://API.example.com:443", "http://localhost:8080"]).originPrefixes).toEqual([
      "https://api.example.com/",
      "http://localhost:8080/"
    ])
  })
})

describe("TokenDestination.isSurelyAllowed", () => {
  const destinations = accepted(["https://api.example.com"])

  it("recognises an allowed origin's URL without parsing", () => {
    expect(TokenDestination.isSurelyAllowed(destinations, "https://api.example.com/projects")).toBe(true)
  })

  it("leaves other spellings to the parser", () => {
    expect(TokenDestination.isSurelyAllowed(destinations, "https://API.example.com/projects")).toBe(false)
    expect(TokenDestination.isSurelyAllowed(destinations, "https://api.example.com@evil.example/")).toBe(false)
  })
})

describe("TokenDestination.route", () => {
  const destinations = accepted(["https://api.example.com"])
  const route = (url: string, onForeignOrigin: "sendWithoutToken" | "fail" = "sendWithoutToken") =>
    TokenDestination.route(destinations, onForeignOrigin, new URL(url))

  it("sends the token to an allowed origin", () => {
    expect(route("https://API.example.com:443/x")._tag).toBe("WithToken")
  })

  it("refuses the API's own host over plain http, without the query", () => {
    expect(route("http://api.example.com/projects?page=2")).toEqual({
      _tag: "Refused",
      reason: "InsecureEndpoint",
      endpoint: "http://api.example.com/projects"
    })
  })

  it("sends to another origin without the token by default", () => {
    expect(route("https://cdn.example.com/file?signature=abc")._tag).toBe("WithoutToken")
  })

  it("refuses another origin when told to fail, naming it", () => {
    expect(route("https://cdn.example.com/file?signature=abc", "fail")).toEqual({
      _tag: "Refused",
      reason: "ForeignOrigin",
      endpoint: "https://cdn.example.com/file",
      location: "https://cdn.example.com"
    })
  })
})
