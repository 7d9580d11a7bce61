import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { Cli } from "@effect-bearer/platform-node"
import * as Spawn from "./support/Spawn.js"

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url")
const jwt = (claims: Record<string, unknown>) =>
  `${base64url({ alg: "HS512", typ: "JWT" })}.${base64url(claims)}.c2lnbmF0dXJl`

const nowSeconds = () => Math.floor(Date.now() / 1000)

describe.concurrent("effect-bearer decode", () => {
  it.live("shows the header, the claims and the time left of a JWT given as an argument", () =>
    Effect.gen(function*() {
      const token = jwt({ sub: "project-1", iat: nowSeconds(), exp: nowSeconds() + 300 })
      const result = yield* Spawn.cli(["decode", token])
      expect(result.exitCode).toBe(0)
      expect(result.stderr).toBe("")
      expect(result.stdout).toContain(`"alg":"HS512"`)
      expect(result.stdout).toContain(`"sub": "project-1"`)
      expect(result.stdout).toMatch(/expires\s+\S+Z \(in [34]m( \d+s)?\)/)
    }), 30_000)

  it.live("reads the JWT from standard input, e.g. piped from `effect-bearer token`", () =>
    Effect.gen(function*() {
      const token = jwt({ sub: "piped", exp: nowSeconds() + 3600 })
      const result = yield* Spawn.cli(["decode"], { stdin: `${token}\n` })
      expect(result.exitCode).toBe(0)
      expect(result.stdout).toContain(`"sub": "piped"`)
      expect(result.stdout).toMatch(/\(in (1h|5\dm( \d+s)?)\)/)
    }), 30_000)

  it.live("says how long ago an expired JWT expired, and still exits 0", () =>
    Effect.gen(function*() {
      const token = jwt({ sub: "old", iat: nowSeconds() - 600, exp: nowSeconds() - 120 })
      const result = yield* Spawn.cli(["decode", token])
      expect(result.exitCode).toBe(0)
      expect(result.stdout).toMatch(/expired\s+\S+Z \(2m( \d+s)? ago\)/)
    }), 30_000)

  it.live("--json prints the header, claims and seconds left as JSON", () =>
    Effect.gen(function*() {
      const exp = nowSeconds() + 300
      const result = yield* Spawn.cli(["decode", "--json", jwt({ sub: "json", exp })])
      expect(result.exitCode).toBe(0)
      const parsed = JSON.parse(result.stdout)
      expect(parsed.header).toEqual({ alg: "HS512", typ: "JWT" })
      expect(parsed.claims).toMatchObject({ sub: "json", exp })
      expect(parsed.expired).toBe(false)
      // The process may take a while to start on a busy machine; the count is from its Clock.
      expect(parsed.seconds_left).toBeGreaterThan(200)
      expect(parsed.seconds_left).toBeLessThanOrEqual(300)
    }), 30_000)

  it.live("refuses an opaque token with its own exit code and a message on stderr", () =>
    Effect.gen(function*() {
      const result = yield* Spawn.cli(["decode", "ory_at_opaque-token"])
      expect(result.exitCode).toBe(Cli.exitCodes.InvalidJwt)
      expect(result.stdout).toBe("")
      expect(result.stderr).toContain("InvalidJwt")
      expect(result.stderr).toContain("not a JWT")
      expect(result.stderr).not.toContain("ory_at_opaque-token")
    }), 30_000)

  it.live("says what to do when there is nothing to decode", () =>
    Effect.gen(function*() {
      const result = yield* Spawn.cli(["decode"], { stdin: "" })
      expect(result.exitCode).toBe(Cli.exitCodes.InvalidJwt)
      expect(result.stderr).toContain("No token to decode")
    }), 30_000)
})

describe.concurrent("effect-bearer command line", () => {
  it.live("an unknown subcommand is a usage error, exit code 2", () =>
    Effect.gen(function*() {
      const result = yield* Spawn.cli(["fetch-everything"])
      expect(result.exitCode).toBe(Cli.exitCodes.InvalidCommandLine)
      expect(result.stdout).toBe("")
      expect(result.stderr).not.toBe("")
    }), 30_000)

  it.live("--help lists the subcommands on stdout and exits 0", () =>
    Effect.gen(function*() {
      const result = yield* Spawn.cli(["--help"])
      expect(result.exitCode).toBe(0)
      expect(result.stdout).toContain("token")
      expect(result.stdout).toContain("decode")
    }), 30_000)
})
