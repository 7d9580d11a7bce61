/**
 * A worker thread that keeps replacing a path (atomically, by rename) with each of a few files in
 * turn, as fast as it can: both lines' `CredentialsFile` tests load the path meanwhile to show
 * that the checks and the read go through one open file. A thread, not a fiber: fibers would
 * take turns in lockstep with the loads and never swap between the check and the read.
 */
import { Worker } from "node:worker_threads"

/** A running swapper. */
export interface FileSwapper {
  readonly stop: () => Promise<void>
}

/** Starts swapping `files` in at `path`; resolves once `path` exists. */
export const startSwapping = (path: string, files: ReadonlyArray<string>): Promise<FileSwapper> =>
  new Promise((resolve, reject) => {
    const worker = new Worker(
      `const { linkSync, renameSync, rmSync } = require("node:fs")
       const { parentPort, workerData: { path, files } } = require("node:worker_threads")
       const swap = (file) => {
         rmSync(path + ".next", { force: true }) // left behind when file already was the path's
         linkSync(file, path + ".next")
         renameSync(path + ".next", path)
       }
       swap(files[0])
       parentPort.postMessage("swapping")
       for (;;) for (const file of files) swap(file)`,
      { eval: true, workerData: { path, files } }
    )
    worker.once("message", () => resolve({ stop: async () => void (await worker.terminate()) }))
    worker.once("error", reject)
  })

/** Bytes this process has read so far (Linux `/proc/self/io`), to see how much of a file a load read. */
export const bytesReadByThisProcess = async (): Promise<number> => {
  const { readFile } = await import("node:fs/promises")
  return Number(/rchar: (\d+)/.exec(await readFile("/proc/self/io", "utf8"))?.[1])
}
