import { assert, it } from "@effect/vitest"
import { Effect } from "effect"
import { TestClock } from "effect/testing"
import { Provider } from "@effect-bearer/kernel"
import { Placeholder } from "@effect-bearer/core"

it.effect("runs on effect 4 with the shared kernel", () =>
  Effect.gen(function*() {
    yield* TestClock.adjust("1 second")
    assert.strictEqual(yield* Placeholder.hello, "effect 4")
    assert.isFunction(Provider.tokenUrl)
  }))
