import { describe, expect, it } from "vitest"
import * as CliExitCode from "@effect-bearer/kernel/CliExitCode"

class Tagged extends Error {
  constructor(readonly _tag: string) {
    super(_tag)
  }
}

describe("CliExitCode", () => {
  it("gives each error its own code, and anything else Unexpected", () => {
    expect(CliExitCode.ofErrorTag("InvalidCredentials")).toBe(10)
    expect(CliExitCode.ofErrorTag("InvalidJwt")).toBe(30)
    expect(CliExitCode.ofErrorTag("Interrupted")).toBe(1)
    expect(CliExitCode.ofErrorTag("toString")).toBe(1)
    expect(CliExitCode.hasOwnExitCode(new Tagged("WrongHost"))).toBe(true)
    expect(CliExitCode.hasOwnExitCode(new Tagged("Success"))).toBe(false)
    expect(CliExitCode.hasOwnExitCode({ _tag: "WrongHost" })).toBe(false)
  })

  it("names the variables of an unusable cache, never their values", () => {
    expect(CliExitCode.unusableCacheWarning(["EFFECT_BEARER_STORE_KEY", "EFFECT_BEARER_STORE_KEY"])).toBe(
      "effect-bearer: EFFECT_BEARER_STORE_KEY is not valid (a sealing key is at least 32 bytes in base64: openssl rand -base64 32); the token cache is not used in this run"
    )
    expect(CliExitCode.unusableCacheWarning([])).toBe("effect-bearer: the token cache settings are invalid; the token cache is not used in this run")
  })
})
