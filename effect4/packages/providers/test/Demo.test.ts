/**
 * The Effect 4 demo (`pnpm demo:effect4`) runs to the end against the local provider server and
 * exits 0: it dies, and so exits non-zero, when anything it shows did not happen.
 */
import { Providers } from "@effect-bearer/kernel"
import { execFile } from "node:child_process"
import { fileURLToPath } from "node:url"
import { expect, it } from "vitest"

/** The Effect 4 workspace, where `examples/src/demo.ts` lives. */
const workspace = fileURLToPath(new URL("../../../", import.meta.url))

/** This environment without any provider's credentials: every provider is played locally. */
const withoutCredentials = (): NodeJS.ProcessEnv => {
  const names = new Set(Providers.all.flatMap((provider) => provider.environment.variables.map((variable) => variable.name)))
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !names.has(name)))
}

it("the demo shows every step against the local provider server and exits 0", async () => {
  const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
    const child = execFile(
      process.execPath,
      ["--import", "tsx", "--conditions=source", "examples/src/demo.ts"],
      { cwd: workspace, env: withoutCredentials(), timeout: 60_000 },
      (_, stdout) => resolve({ code: child.exitCode, stdout })
    )
  })
  expect(code, stdout).toBe(0)
  for (const heading of ["1. A token for each provider", "3. The background refresh", "5. Each documented failure"]) {
    expect(stdout).toContain(heading)
  }
  expect(stdout).toContain("not one token, secret or password printed")
}, 90_000)
