/**
 * What each of several OS processes sharing a token store does, for both lines: rounds of taking
 * the key's lock (waiting for its holder otherwise), reading the entry, writing the next
 * generation and releasing. With working exclusion every write lands (no `Stale`), so the final
 * generation is the sum of every process's rounds, whichever Effect line each process runs.
 */
import type { Store } from "./TokenStoreCases.js"

/** What one worker process reports. */
export interface Report {
  readonly written: number
  readonly stale: number
}

/** `rounds` locked increments of `key`'s generation; `stale` counts writes and releases that did not land. */
export const lockedIncrements = async (store: Store, key: string, rounds: number, label: string): Promise<Report> => {
  let written = 0
  let stale = 0
  for (let round = 0; round < rounds; round++) {
    let lock = await store.acquireLock(key, 10_000)
    while (lock === undefined) {
      await store.awaitChange(key, Number.MAX_SAFE_INTEGER, 2_000)
      lock = await store.acquireLock(key, 10_000)
    }
    const read = await store.get(key)
    const result = await store.compareAndSet(key, {
      value: `${label}:${round}`,
      generation: (read.entry?.generation ?? 0) + 1,
      expiresAt: read.now + 60_000
    })
    if (result._tag === "Written") written++
    else stale++
    if (!(await store.releaseLock(lock))) stale++
  }
  return { written, stale }
}

/** The line a worker prints when done (the Effect 3 line's workers print the same). */
export const formatReport = (report: Report): string => `done ${report.written} ${report.stale}\n`

/** The report in a worker's output, `undefined` when it has none. */
export const parseReport = (output: string): Report | undefined => {
  const match = /done (\d+) (\d+)/.exec(output)
  return match === null ? undefined : { written: Number(match[1]), stale: Number(match[2]) }
}
