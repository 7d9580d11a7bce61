/**
 * Runs several `storeWorker.ts` OS processes at once against one store and collects what
 * each reports: the proof that a store's lock and generations hold across processes.
 */
import { execFile } from "node:child_process"
import * as Scripts from "./Scripts.js"

/** What one worker process reported. */
export interface WorkerReport {
  readonly written: number
  readonly stale: number
}

const runOne = (args: ReadonlyArray<string>): Promise<WorkerReport> =>
  new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [Scripts.path("storeWorker"), ...args],
      { timeout: 120_000 },
      (error, stdout, stderr) => {
        const match = /done (\d+) (\d+)/.exec(stdout)
        if (error !== null || match === null) reject(new Error(`worker failed: ${String(error)}\n${stderr}`))
        else resolve({ written: Number(match[1]), stale: Number(match[2]) })
      }
    )
  })

/** Starts `processes` workers on `backend` at once, each doing `rounds` locked increments of `key`. */
export const runWorkers = (
  backend: "file" | "redis",
  target: string,
  key: string,
  options: { readonly processes: number; readonly rounds: number }
): Promise<ReadonlyArray<WorkerReport>> =>
  Promise.all(Array.from({ length: options.processes }, () => runOne([backend, target, key, String(options.rounds)])))
