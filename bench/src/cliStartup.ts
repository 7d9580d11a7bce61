/**
 * The CLI's start-up time (issue 14, item 5): the built bin, spawned as a user runs it,
 * for `--help` and for `token oauth2` against the bench's local token endpoint (its
 * settings in the `OAUTH2_*` variables). Wall time from spawn to exit, median of runs.
 */
import { spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import type { Servers } from "./harness.js"
import { median, nowNs } from "./harness.js"
import { credentials } from "./protocol.js"

const bin = fileURLToPath(new URL("../../packages/platform-node/bin/effect-bearer.js", import.meta.url))

export interface CliStartupRow {
  readonly command: string
  readonly medianMs: number
  readonly spread: readonly [number, number]
  /** Runs that did not exit 0 with output on stdout. */
  readonly failed: number
}

const runOnce = (args: ReadonlyArray<string>, env: Record<string, string>) =>
  new Promise<{ readonly ms: number; readonly ok: boolean }>((resolve) => {
    const start = nowNs()
    const child = spawn(process.execPath, [bin, ...args], {
      env: { PATH: process.env["PATH"] ?? "", NO_COLOR: "1", ...env },
      stdio: ["ignore", "pipe", "ignore"]
    })
    let output = 0
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.length
    })
    child.on("close", (code) => resolve({ ms: (nowNs() - start) / 1e6, ok: code === 0 && output > 0 }))
  })

export const cliStartup = async (servers: Servers, runs: number): Promise<ReadonlyArray<CliStartupRow>> => {
  const tokenEnvironment = {
    OAUTH2_TOKEN_URL: servers.tokenUrl,
    OAUTH2_CLIENT_ID: credentials.clientId,
    OAUTH2_CLIENT_SECRET: credentials.clientSecret
  }
  const commands = [
    { command: "effect-bearer --help", args: ["--help"], env: {} },
    { command: "effect-bearer token oauth2", args: ["token", "oauth2"], env: tokenEnvironment }
  ]
  const samples = commands.map(() => ({ ms: [] as Array<number>, failed: 0 }))
  // Untimed first runs: the file system cache, not the CLI, would pay for the first read.
  for (const { args, env } of commands) await runOnce(args, env)
  for (let run = 0; run < runs; run++) {
    for (const [i, { args, env }] of commands.entries()) {
      const outcome = await runOnce(args, env)
      samples[i]!.ms.push(outcome.ms)
      if (!outcome.ok) samples[i]!.failed++
    }
  }
  return commands.map(({ command }, i) => ({
    command,
    medianMs: median(samples[i]!.ms),
    spread: [Math.min(...samples[i]!.ms), Math.max(...samples[i]!.ms)],
    failed: samples[i]!.failed
  }))
}
