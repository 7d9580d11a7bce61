/**
 * Runs several store worker OS processes at once against one store, of either Effect line, and
 * collects what each reports: the proof that a store's lock and generations hold across
 * processes, and across the two lines (the same keys, entries and locks).
 */
import * as StoreWorker from "@effect-bearer/conformance/StoreWorker"
import { execFile } from "node:child_process"
import { fileURLToPath } from "node:url"

/** Each line's worker script and the package it runs in (where its imports resolve). */
const workers = {
  effect4: {
    script: fileURLToPath(new URL("./storeWorker.ts", import.meta.url)),
    cwd: fileURLToPath(new URL("../../", import.meta.url))
  },
  effect3: {
    script: fileURLToPath(new URL("../../../../../packages/platform-node/test/support/storeWorker.ts", import.meta.url)),
    cwd: fileURLToPath(new URL("../../../../../packages/platform-node/", import.meta.url))
  }
} as const

/** The Effect line a worker runs. */
export type Line = keyof typeof workers

const runOne = (line: Line, args: ReadonlyArray<string>): Promise<StoreWorker.Report> =>
  new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "--conditions=source", workers[line].script, ...args],
      { timeout: 120_000, cwd: workers[line].cwd },
      (error, stdout, stderr) => {
        const report = StoreWorker.parseReport(stdout)
        if (error !== null || report === undefined) reject(new Error(`${line} worker failed: ${String(error)}\n${stderr}`))
        else resolve(report)
      }
    )
  })

/** Starts one worker per entry of `lines` on `backend` at once, each doing `rounds` locked increments of `key`. */
export const runWorkers = (
  lines: ReadonlyArray<Line>,
  backend: "file" | "redis",
  target: string,
  key: string,
  rounds: number
): Promise<ReadonlyArray<StoreWorker.Report>> =>
  Promise.all(lines.map((line) => runOne(line, [backend, target, key, String(rounds)])))
