/**
 * The user's sealing key of the file and Redis stores, decoded once when the store is built.
 *
 * @internal
 */
import * as TokenStore from "@effect-bearer/core/TokenStore"
import { Effect, Redacted, Result } from "effect"

/** `encoded` decoded; an invalid key is a defect (the layer dies) with a message that never holds it. */
export const decode = (encoded: Redacted.Redacted<string> | undefined): Effect.Effect<Redacted.Redacted<Uint8Array> | undefined> =>
  encoded === undefined
    ? Effect.succeed(undefined)
    : Result.match(TokenStore.decodeSealingKey(encoded), { onFailure: (reason) => Effect.die(new Error(reason)), onSuccess: Effect.succeed })
