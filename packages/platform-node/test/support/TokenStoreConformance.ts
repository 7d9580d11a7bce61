/**
 * Runs the shared `TokenStore` cases (`@effect-bearer/conformance/TokenStoreCases`) against an
 * Effect 3 store: each case gets the store's operations as promises, on a store built for the test;
 * the sharing cases get the token provider over it too.
 */
import { describe, expect, it } from "@effect/vitest"
import * as TokenStoreCases from "@effect-bearer/conformance/TokenStoreCases"
import { TokenStore } from "@effect-bearer/core"
import { Effect, type Layer } from "effect"
import { promised } from "./promisedStore.js"
import { sharing } from "./sharing.js"

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
    // The token provider does not share through the memory store: it is its own process's.
    if (backend.name === "memory") return
    for (const testCase of TokenStoreCases.sharingCases) {
      it.live(testCase.name, () =>
        Effect.gen(function*() {
          const store = yield* TokenStore.TokenStore
          yield* Effect.promise(async () => testCase.run(promised(store), await sharing(store), expect as TokenStoreCases.Expect))
        }).pipe(Effect.provide(backend.layer)))
    }
  })
}
