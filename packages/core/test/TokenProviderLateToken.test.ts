/**
 * A token that arrives already past its usable time: the conformance TokenProviderCases (shared with
 * the Effect 4 line; the regressions they guard are named there) over `TokenProvider.make` and a
 * slow source (support/SlowSource.ts), on the TestClock.
 */
import { describe, expect, it } from "@effect/vitest"
import * as TokenProviderCases from "@effect-bearer/conformance/TokenProviderCases"
import * as SlowSource from "./support/SlowSource.js"

describe("TokenProvider with a token that arrives past its usable time", () => {
  for (const row of TokenProviderCases.lateTokenCases) it.scoped(row.name, () => SlowSource.runCase(row, expect))
})
