import { Effect } from "effect"
export const hello = Effect.succeed("effect 4")
