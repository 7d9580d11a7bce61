import { describe, expect, it } from "vitest"
import { RetrySafety } from "@effect-bearer/kernel"

describe("RetrySafety.isIdempotentMethod", () => {
  it.each([
    ["GET", true],
    ["HEAD", true],
    ["OPTIONS", true],
    ["PUT", true],
    ["DELETE", true],
    ["POST", false],
    ["PATCH", false]
  ])("%s is idempotent: %s", (method, idempotent) => {
    expect(RetrySafety.isIdempotentMethod(method)).toBe(idempotent)
  })
})

describe("RetrySafety.wasNotProcessed", () => {
  it.each([
    [408, true],
    [429, true],
    [500, false],
    [503, false],
    [401, false]
  ])("%s says the server did not act: %s", (status, notProcessed) => {
    expect(RetrySafety.wasNotProcessed(status)).toBe(notProcessed)
  })
})
