/**
 * The results.md section of the shared-store measure (issue 12, sharedStore.ts) and its
 * summary line.
 */
import { fixed, integer, withSpread, table } from "./format.js"
import type { Results } from "./report.js"
import type { SharedStoreRow, SharedStoreRun } from "./sharedStore.js"

/** Per lifetime, the requests in the window, and the multiple of the row's one-process figure (its first run). */
const cell = (run: SharedStoreRun, first: SharedStoreRun) =>
  `${fixed(run.perLifetime, 2)} (${integer(run.tokenRequests)}` +
  (run === first || first.tokenRequests === 0 ? ")" : `, ${fixed(run.tokenRequests / first.tokenRequests, 1)}×)`)

const total = (row: SharedStoreRow, field: "reads" | "expired" | "failed") =>
  integer(row.runs.reduce((sum, run) => sum + run[field], 0))

const firstFailure = (row: SharedStoreRow) => row.runs.find((run) => run.firstFailure !== undefined)?.firstFailure

export const sharedStoreSection = (results: Results): ReadonlyArray<string> => {
  const plan = results.plan.sharedStore
  const { rows, warmRead } = results.sharedStore
  const failures = rows.flatMap((row) => {
    const failure = firstFailure(row)
    return failure === undefined ? [] : [`- ${row.subject}, first failure: ${failure}`]
  })
  return [
    "## 6. One token for many processes (issue 12)",
    "",
    "N OS processes (each a Node process started for the run, through tsx like this one) read one client's token " +
    `from the bench's token server, whose tokens live ${plan.lifetimeSeconds} s (${plan.tokenLatencyMs} ms per token ` +
    `request). Each process fetches its first token, then, once every process has one, runs ${plan.readersPerProcess} ` +
    `concurrent readers for ${plan.windowSeconds} s (a read, then a 10–30 ms pause); the server counts the token ` +
    "requests in that window. effect-bearer: `TokenProvider.fromEndpoint` with each `TokenStore` layer in context " +
    "(memory: each process on its own; file: one fresh directory on this machine; Redis: a real `redis-server` on " +
    "127.0.0.1, started and stopped by PID, one fresh key prefix per run). The peers: the same cache as in §2, one " +
    "per process; none of them shares a token across processes, so theirs grow with N like the memory store's.",
    "",
    "Each cell: token requests per token lifetime (requests in the window ÷ lifetimes in it), then the requests in " +
    "the window and their multiple of the row's first (fewest processes) figure. One effect-bearer process refreshes " +
    "more often than once per lifetime (before the expiry margin, 1 s at least: about every 2 s for a 3 s token); " +
    "the peers refresh at or after expiry. What the table shows is the multiple: about N for the memory store and " +
    "the peers, about 1 for the file and Redis stores whatever N.",
    "",
    table(
      [
        "library, store",
        ...plan.processes.map((count) => `${count} process${count === 1 ? "" : "es"}`),
        "reads (all runs)",
        "expired tokens served",
        "failed reads"
      ],
      rows.map((row) => [
        row.subject,
        ...row.runs.map((run) => cell(run, row.runs[0]!)),
        total(row, "reads"),
        row.backend === "peer" ? "not told" : total(row, "expired"),
        total(row, "failed")
      ])
    ),
    "",
    ...(failures.length === 0 ? [] : [...failures, ""]),
    "The warm read with each store in context: `provider.get` on a warm `TokenProvider.fromEndpoint` over the " +
    "canned client (§ In process), its store layer built once in the provider's scope. The warm read never " +
    "touches the store, so every row should match the first: exactly in Effect operations and allocation, within the " +
    "machine's noise in CPU (which counts the whole process, the store client's idle connection included). " +
    "CPU: `process.cpuUsage` over " +
    `${integer(plan.warmRead.runs)} runs in one Effect loop, median of ${plan.warmRead.rounds} interleaved rounds; ` +
    "allocation and Effect operations as in § In process.",
    "",
    table(
      ["read", "CPU ns per read, median (lowest–highest round)", "allocated bytes per read", "Effect operations per read", "token requests"],
      warmRead.map((cost) => [
        cost.label,
        withSpread(cost.cpuMicroseconds * 1000, [cost.cpuSpread[0] * 1000, cost.cpuSpread[1] * 1000], 0),
        cost.allocatedBytes === undefined ? "n/a (a collection ran in every batch)" : integer(cost.allocatedBytes),
        integer(cost.operations),
        integer(cost.tokenRequests)
      ])
    ),
    ""
  ]
}

/** One line for the terminal: token requests per lifetime at the largest process count. */
export const sharedStoreSummary = (results: Results): string => {
  const count = results.plan.sharedStore.processes.at(-1)!
  const at = (row: SharedStoreRow) => row.runs.find((run) => run.processes === count)
  const figures = results.sharedStore.rows
    .filter((row) => row.backend !== "peer")
    .map((row) => `${row.backend} ${fixed(at(row)?.perLifetime ?? Number.NaN, 2)}`)
  const peers = results.sharedStore.rows.filter((row) => row.backend === "peer").map((row) => at(row)?.perLifetime ?? Number.NaN)
  return `  token requests per lifetime, ${count} processes: ${figures.join(", ")}; peers ` +
    `${fixed(Math.min(...peers), 2)}–${fixed(Math.max(...peers), 2)}`
}
