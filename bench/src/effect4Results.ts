/**
 * Version-free: what the Effect 4 line's part of `pnpm bench` (effect4/bench, run on Node
 * >= 22.19) hands to this process as JSON, in the shapes of this line's measures. Its
 * end-to-end rows name their contender by label: a contender's functions stay in the process
 * that ran it.
 */
import type { AuthenticatedRequestCost } from "./authenticatedRequest.js"
import type { Cost } from "./effectCost.js"
import type {
  Diagnostic,
  MemoryResult,
  RotationResult,
  Row,
  StampedeResult,
  ThroughputResult,
  WarmReadResult
} from "./measures.js"
import type { ScaleResult } from "./scaleMeasure.js"
import type { StampedeInProcessRow } from "./stampedeInProcess.js"
import type { TagReadCosts } from "./tagRead.js"

export interface Effect4Results {
  readonly quick: boolean
  /** Where `@effect-bearer/core` 4.x was loaded from: its built dist/. */
  readonly libraryEntry: string
  readonly versions: { readonly node: string; readonly effect: string; readonly platformNode: string; readonly core: string }
  /** How the contender uses the library. */
  readonly usage: string
  readonly inProcess: {
    readonly request: ReadonlyArray<AuthenticatedRequestCost>
    /** `provider.refresh`, then `TokenEndpoint.requestToken` alone. */
    readonly token: ReadonlyArray<Cost>
    readonly tag: TagReadCosts
    readonly stampede: ReadonlyArray<StampedeInProcessRow>
    readonly scale: ScaleResult
  }
  readonly warmRead: { readonly baselineNs: number; readonly rows: ReadonlyArray<Diagnostic<ReadonlyArray<WarmReadResult>>> }
  readonly stampede: ReadonlyArray<Diagnostic<StampedeResult>>
  /** The contender, then the control (the plain client on both sides), then the minimal `mapRequestEffect`. */
  readonly throughput: ReadonlyArray<Diagnostic<ThroughputResult>>
  readonly rotation: ReadonlyArray<Diagnostic<RotationResult>>
  /** The contender (the provider's own lifecycle), then the whole token-request path. */
  readonly memory: ReadonlyArray<Diagnostic<MemoryResult>>
  readonly elapsedSeconds: number
  readonly loadAverage: { readonly start: number; readonly end: number }
}

/** Rows with their contender's name instead of the contender. */
export const labelled = <A>(rows: ReadonlyArray<Row<A>>): ReadonlyArray<Diagnostic<A>> =>
  rows.map(({ contender, result }) => ({ label: contender.name, result }))
