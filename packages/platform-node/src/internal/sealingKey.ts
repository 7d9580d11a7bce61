/**
 * The user's sealing key of the file and Redis stores, decoded once when the store is built.
 */
import { TokenStore } from "@effect-bearer/core"
import type { Redacted } from "effect"
import { Effect, Either } from "effect"

/** `encoded` decoded; an invalid key is a defect (the layer dies) with a message that never holds it. */
export const decode = (
  encoded: Redacted.Redacted<string> | undefined
): Effect.Effect<Redacted.Redacted<Uint8Array> | undefined> =>
  encoded === undefined
    ? Effect.succeed(undefined)
    : Either.match(TokenStore.decodeSealingKey(encoded), {
      onLeft: (reason) => Effect.dieMessage(reason),
      onRight: Effect.succeed
    })
