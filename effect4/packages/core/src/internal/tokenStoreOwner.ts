import { Effect } from "effect"

/**
 * A random lock owner: 128 bits from the platform's cryptographic generator, not Effect's
 * seedable `Random` (guessable, and equal across processes seeded alike).
 *
 * @internal
 */
export const makeOwner: Effect.Effect<string> = Effect.sync(() =>
  Array.from(globalThis.crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, "0")).join("")
)
