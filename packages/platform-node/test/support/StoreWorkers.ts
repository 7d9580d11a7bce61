/**
 * Runs several `storeWorker.ts` OS processes at once against one store and collects what
 * each reports: the proof that a store's lock and generations hold across processes.
 */
import * as StoreWorker from "@effect-bearer/conformance/StoreWorker"
import { execFile } from "node:child_process"
import * as Scripts from "./Scripts.js"

const runOne = (args: ReadonlyArray<string>): Promise<StoreWorker.Report> =>
  new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [Scripts.path("storeWorker"), ...args],
      { timeout: 120_000 },
      (error, stdout, stderr) => {
        const report = StoreWorker.parseReport(stdout)
        if (error !== null || report === undefined) reject(new Error(`worker failed: ${String(error)}\n${stderr}`))
        else resolve(report)
      }
    )
  })

/** Starts `processes` workers on `backend` at once, each doing `rounds` locked increments of `key`. */
export const runWorkers = (
  backend: "file" | "redis",
  target: string,
  key: string,
  options: { readonly processes: number; readonly rounds: number }
): Promise<ReadonlyArray<StoreWorker.Report>> =>
  Promise.all(Array.from({ length: options.processes }, () => runOne([backend, target, key, String(options.rounds)])))
