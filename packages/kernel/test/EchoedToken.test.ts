import { describe, expect, it } from "vitest"
import { EchoedToken } from "@effect-bearer/kernel"

describe("EchoedToken.fromAuthorization", () => {
  it("reads the token of a Bearer header, whatever the scheme's case", () => {
    expect(EchoedToken.fromAuthorization("Bearer abc.def")).toBe("abc.def")
    expect(EchoedToken.fromAuthorization("bearer  xyz")).toBe("xyz")
  })

  it("reads nothing from another scheme or no header", () => {
    expect(EchoedToken.fromAuthorization("Basic dXNlcjpwYXNz")).toBeUndefined()
    expect(EchoedToken.fromAuthorization(undefined)).toBeUndefined()
  })
})

describe("EchoedToken.remove", () => {
  it("replaces the token in nested strings of plain objects, arrays and prototype-less records", () => {
    const headers = Object.assign(Object.create(null), { "www-authenticate": "Bearer error=\"tok-1 refused\"" })
    expect(EchoedToken.remove({ status: 401, headers, list: ["tok-1", 2] }, "tok-1")).toEqual({
      status: 401,
      headers: { "www-authenticate": "Bearer error=\"<redacted> refused\"" },
      list: ["<redacted>", 2]
    })
  })

  it("replaces the token in a record over a prototype-less prototype (Effect 3's Headers)", () => {
    const headers = Object.assign(Object.create(Object.create(null)), { "www-authenticate": "Bearer error=\"tok-1\"" })
    expect(EchoedToken.remove({ headers }, "tok-1")).toEqual({ headers: { "www-authenticate": "Bearer error=\"<redacted>\"" } })
  })

  it("replaces the token as a URL or a form carries it (URL- or form-encoded), not only as it was sent", () => {
    const token = "a+b/c="
    const headers = { "www-authenticate": `Bearer error="invalid_token", error_uri="https://api.example/errors?token=a%2Bb%2Fc%3D"` }
    expect(EchoedToken.remove({ headers, body: "token=a%2Bb%2Fc%3D or a+b/c=" }, token)).toEqual({
      headers: { "www-authenticate": "Bearer error=\"invalid_token\", error_uri=\"https://api.example/errors?token=<redacted>\"" },
      body: "token=<redacted> or <redacted>"
    })
  })

  it("leaves class instances as they are", () => {
    const date = new Date(0)
    expect(EchoedToken.remove(date, "1970")).toBe(date)
  })
})
