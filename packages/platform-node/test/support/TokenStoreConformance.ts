/**
 * Runs the shared `TokenStore` cases (`@effect-bearer/conformance/TokenStoreCases`) against an
 * Effect 3 store: each case gets the store's operations as promises, on a store built for the test.
 */
import { describe, expect, it } from "@effect/vitest"
import * as TokenStoreCases from "@effect-bearer/conformance/TokenStoreCases"
import { TokenStore } from "@effect-bearer/core"
import { Effect, type Layer } from "effect"
import { promised } from "./promisedStore.js"

/** A backend under test: the shared description and its layer, built for each test. */
export interface Backend extends TokenStoreCases.Backend {
  readonly layer: Layer.Layer<TokenStore.TokenStore, unknown>
}

/** Registers the shared cases for `backend`. */
export const conformance = (backend: Backend): void => {
  describe(`TokenStore conformance: ${backend.name}`, () => {
    for (const testCase of TokenStoreCases.cases) {
      if (testCase.needsGarbage === true && backend.plantGarbage === undefined) continue
      it.live(testCase.name, () =>
        Effect.gen(function*() {
          const store = yield* TokenStore.TokenStore
          yield* Effect.promise(() => testCase.run(promised(store), expect as TokenStoreCases.Expect, backend))
        }).pipe(Effect.provide(backend.layer)))
    }
  })
}
