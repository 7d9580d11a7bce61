import { describe, expect, it } from "vitest"
import * as TerminalText from "@effect-bearer/kernel/TerminalText"

describe("TerminalText", () => {
  it("removes colour, cursor and title sequences", () => {
    expect(TerminalText.stripEscapes("\u001b[1;31mred\u001b[0m \u001b]0;title\u0007done \u001b[2K")).toBe("red done ")
  })

  it("writes C1 controls, bidirectional and zero-width characters in JSON as escapes", () => {
    const shown = TerminalText.safeJson({ sub: "a\u009b2Jb\u202ec\u200bd\u001be" })
    expect(shown).toBe(`{"sub":"a\\u009b2Jb\\u202ec\\u200bd\\u001be"}`)
    expect(JSON.parse(shown)).toEqual({ sub: "a\u009b2Jb\u202ec\u200bd\u001be" })
  })

  it("turns colours off for NO_COLOR set to anything but the empty string", () => {
    expect([undefined, "", "1", "false"].map(TerminalText.noColor)).toEqual([false, false, true, true])
  })
})
