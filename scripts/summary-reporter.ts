import { writeSync } from "node:fs"
import type { Reporter, TestModule } from "vitest/node"

/**
 * Prints one closing line, `Tests: N passed, N failed, N skipped`, after vitest's own
 * summary, in the plain form CI reads in any language.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    let passed = 0
    let failed = 0
    let skipped = 0
    for (const module of modules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state
        if (state === "passed") passed++
        else if (state === "failed") failed++
        else skipped++
      }
      if (module.state() === "failed" && [...module.children.allTests()].length === 0) failed++
    }
    // Written at exit so that it follows vitest's own summary.
    process.once("exit", () => writeSync(1, `Tests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`))
  }
}
