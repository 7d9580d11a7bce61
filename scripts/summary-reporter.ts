import { writeSync } from "node:fs"
import { relative } from "node:path"
import type { Reporter, TestModule } from "vitest/node"

/**
 * Prints one closing line, `Tests: N passed, N failed, N skipped`, after vitest's own
 * summary, in the plain form CI reads in any language. With `EFFECT_BEARER_TEST_TIMINGS=1`
 * it first prints each file's import (collect) and test times, slowest first, and the
 * slowest imports: what to look at when the suite gets slow.
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
    const timings = process.env["EFFECT_BEARER_TEST_TIMINGS"] ? timingTable(modules) : ""
    // Written at exit so that it follows vitest's own summary.
    process.once("exit", () => writeSync(1, `${timings}Tests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`))
  }
}

const seconds = (millis: number) => (millis / 1000).toFixed(1).padStart(6)

/** One line a file (collect, tests, both), the sums, and the ten slowest imports by their own time. */
const timingTable = (modules: ReadonlyArray<TestModule>): string => {
  const rows = modules.map((module) => {
    const diagnostic = module.diagnostic()
    return { name: `${module.project.name}/${relative(module.project.config.root, module.moduleId)}`, collect: diagnostic.collectDuration, tests: diagnostic.duration, imports: diagnostic.importDurations }
  }).sort((a, b) => b.collect + b.tests - (a.collect + a.tests))
  const imports = new Map<string, number>()
  for (const row of rows) for (const [path, duration] of Object.entries(row.imports)) imports.set(path, (imports.get(path) ?? 0) + duration.selfTime)
  const sum = (pick: (row: (typeof rows)[number]) => number) => rows.reduce((total, row) => total + pick(row), 0)
  return [
    " collect  tests   both  file",
    ...rows.map((row) => `${seconds(row.collect)} ${seconds(row.tests)} ${seconds(row.collect + row.tests)}  ${row.name}`),
    `${seconds(sum((row) => row.collect))} ${seconds(sum((row) => row.tests))} ${seconds(sum((row) => row.collect + row.tests))}  (sum)`,
    " import (own time, summed over files)",
    ...[...imports].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([path, duration]) => `${seconds(duration)}  ${relative(process.cwd(), path)}`),
    ""
  ].join("\n")
}
