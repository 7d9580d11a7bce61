import { Effect } from "effect"
import type { Scope } from "effect"
import type { Options, Service } from "../TokenProvider.js"
import type * as TokenSource from "../TokenSource.js"

/** @internal */
export const make = (source: TokenSource.TokenSource, _options: Options = {}): Effect.Effect<Service, never, Scope.Scope> =>
  Effect.succeed({ name: source.name, get: source.fetch({ _tag: "None" } as never), invalidate: () => Effect.void, refresh: source.fetch({ _tag: "None" } as never) })
