import { describe, expect, it } from "vitest"
import { Json } from "@effect-bearer/kernel"

describe("Json", () => {
  it("calls only non-null, non-array objects records", () => {
    expect([{}, { a: 1 }, null, [], "x", 1, undefined].map(Json.isRecord)).toEqual([true, true, false, false, false, false, false])
  })

  it("parses without throwing", () => {
    expect(Json.parse("{\"a\":1}")).toEqual({ a: 1 })
    expect(Json.parse("<html>")).toBeUndefined()
  })
})
