/**
 * The sizes of every measure: the full run, and the quick smoke run (`BENCH_QUICK=1`,
 * about a minute) that only proves every measure works.
 */

import type { CostPlan } from "./authenticatedRequest.js"
import type { SharedStorePlan } from "./sharedStore.js"

/** The sizes of every measure; `quick` shrinks them for a smoke run. */
export interface Plan {
  readonly authenticatedRequest: CostPlan
  readonly tokenRequest: { readonly cycles: number; readonly rounds: number; readonly costs: CostPlan }
  /** `pairs`: provider and floor runs back to back, per reader count. */
  readonly stampedeInProcess: { readonly readers: ReadonlyArray<number>; readonly latencyMs: number; readonly pairs: number }
  readonly tagRead: CostPlan
  readonly scale: { readonly providers: number; readonly idleSeconds: number; readonly checkpoints: number }
  readonly cliStartup: { readonly runs: number }
  readonly stampede: { readonly concurrent: number; readonly tokenLatencyMs: number }
  readonly warmRead: { readonly iterations: number; readonly rounds: number }
  /** `rounds`: every client's plain and authenticated runs, all clients interleaved in each round. */
  readonly throughput: { readonly requests: number; readonly concurrency: number; readonly rounds: number }
  readonly rotation: {
    readonly lifetimeSeconds: number
    readonly tokenLatencyMs: number
    readonly durationMs: number
    readonly requestsPerSecond: number
  }
  /** `checkpoints`: heap readings between `first` and `total` cycles, besides those two. */
  readonly memory: { readonly warmUp: number; readonly first: number; readonly total: number; readonly checkpoints: number }
  /** Issue 12: token requests per lifetime across OS processes, per store and peer. */
  readonly sharedStore: SharedStorePlan
  /** effect-bearer variants that show where its costs are (not judged). */
  readonly diagnostics: { readonly fullPath: Plan["memory"] }
}

export const fullPlan: Plan = {
  authenticatedRequest: { runs: 5_000, rounds: 15, allocationBatch: 200 },
  tokenRequest: { cycles: 500, rounds: 11, costs: { runs: 300, rounds: 7, allocationBatch: 30 } },
  stampedeInProcess: { readers: [1_000, 10_000, 100_000], latencyMs: 50, pairs: 7 },
  tagRead: { runs: 200_000, rounds: 15, allocationBatch: 10_000 },
  scale: { providers: 1_000, idleSeconds: 30, checkpoints: 6 },
  cliStartup: { runs: 10 },
  stampede: { concurrent: 10_000, tokenLatencyMs: 50 },
  warmRead: { iterations: 200_000, rounds: 15 },
  throughput: { requests: 1_500, concurrency: 16, rounds: 15 },
  rotation: { lifetimeSeconds: 3, tokenLatencyMs: 20, durationMs: 9_000, requestsPerSecond: 200 },
  memory: { warmUp: 5_000, first: 1_000, total: 100_000, checkpoints: 9 },
  sharedStore: {
    processes: [1, 2, 4, 8],
    lifetimeSeconds: 3,
    tokenLatencyMs: 20,
    windowSeconds: 12,
    readersPerProcess: 4,
    warmRead: { runs: 200_000, rounds: 15, allocationBatch: 10_000 }
  },
  diagnostics: { fullPath: { warmUp: 1_000, first: 1_000, total: 10_000, checkpoints: 9 } }
}

export const quickPlan: Plan = {
  authenticatedRequest: { runs: 1_000, rounds: 2, allocationBatch: 50 },
  tokenRequest: { cycles: 30, rounds: 2, costs: { runs: 30, rounds: 1, allocationBatch: 10 } },
  stampedeInProcess: { readers: [1_000, 10_000], latencyMs: 50, pairs: 1 },
  tagRead: { runs: 20_000, rounds: 2, allocationBatch: 2_000 },
  scale: { providers: 200, idleSeconds: 2, checkpoints: 2 },
  cliStartup: { runs: 1 },
  stampede: { concurrent: 1_000, tokenLatencyMs: 50 },
  warmRead: { iterations: 20_000, rounds: 3 },
  throughput: { requests: 300, concurrency: 16, rounds: 1 },
  rotation: { lifetimeSeconds: 2, tokenLatencyMs: 20, durationMs: 3_000, requestsPerSecond: 100 },
  memory: { warmUp: 200, first: 100, total: 1_000, checkpoints: 1 },
  sharedStore: {
    processes: [1, 2],
    lifetimeSeconds: 2,
    tokenLatencyMs: 20,
    windowSeconds: 4,
    readersPerProcess: 2,
    warmRead: { runs: 20_000, rounds: 2, allocationBatch: 2_000 }
  },
  diagnostics: { fullPath: { warmUp: 100, first: 100, total: 500, checkpoints: 1 } }
}


/**
 * The pairs of a stampede row of `readers`: at least `pairs`, and as many more as keep every row
 * at the same number of reads as a `pairs`-pair row of 10,000 readers. A 1,000-reader run is about
 * 20 ms of CPU, where one collection or timer tick moves a pair's ratio by half (pairs from 0.85× to
 * 2.24× in one run); 70 pairs of it weigh what 7 pairs of 10,000 readers do.
 */
export const stampedePairs = (plan: { readonly pairs: number }, readers: number): number =>
  Math.max(plan.pairs, Math.ceil((plan.pairs * 10_000) / readers))
