import { describe, expect, it } from "vitest"
import { ResourceRefusal } from "@effect-bearer/kernel"

describe("ResourceRefusal.errorFields", () => {
  it("reads the Bearer challenge's fields", () => {
    expect(
      ResourceRefusal.errorFields("Bearer error=\"invalid_token\", error_description=\"expired\", error_uri=\"https://e/x\"", [])
    ).toEqual({ error: "invalid_token", errorDescription: "expired", errorUri: "https://e/x" })
  })

  it("removes a refused token the API repeats, and control characters", () => {
    const fields = ResourceRefusal.errorFields("Bearer error=\"invalid_token\", error_description=\"tok-9\u001b[31m refused\"", [
      "tok-9"
    ])
    expect(fields.errorDescription).not.toContain("tok-9")
    expect(fields.errorDescription).not.toContain("\u001b")
  })

  it("is empty without a Bearer challenge", () => {
    expect(ResourceRefusal.errorFields(undefined, [])).toEqual({})
    expect(ResourceRefusal.errorFields("Basic realm=\"x\"", [])).toEqual({})
  })
})
