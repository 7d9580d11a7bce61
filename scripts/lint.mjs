// Checks what tsc does not: patterns that are defects in this repository.
// Run by `pnpm lint` after the typecheck.
import { readdirSync, readFileSync, statSync } from "node:fs"
import { join } from "node:path"

const roots = [
  "packages/kernel/src", "packages/local-provider-server/src", "packages/conformance/src", "packages/test-support/src",
  "packages/core/src", "packages/providers/src", "packages/platform-node/src", "examples/src", "bench/src",
  "effect4/packages/core/src", "effect4/packages/providers/src", "effect4/packages/platform-node/src", "effect4/examples/src", "effect4/bench/src"
]
const tests = [
  "packages/kernel/test", "packages/local-provider-server/test", "packages/core/test", "packages/providers/test",
  "packages/platform-node/test", "effect4/packages/core/test", "effect4/packages/providers/test", "effect4/packages/platform-node/test"
]
const rules = [
  { pattern: /\bas any\b/, why: "`as any` hides type errors" },
  { pattern: /@ts-ignore/, why: "@ts-ignore hides type errors; fix the type or use @ts-expect-error with a reason" },
  { pattern: /\b(it|test|describe)\.(only|skip)\b/, why: "focused or skipped tests" },
  { pattern: /from "(effect|@effect\/[^"]+|node:[^"]+)"/, why: "the kernel and the local provider server are plain TypeScript: no Effect, no Node APIs", only: /packages\/(kernel|local-provider-server)\/src/ },
  { pattern: /from "(effect|@effect\/[^"]+)"/, why: "the conformance tables are version-free: both lines' suites run them", only: /packages\/conformance\/src/ },
  { pattern: /from "@effect\/schema/, why: "@effect/schema is deprecated: Schema comes from effect" },
  { pattern: /from "@effect\/(platform|experimental|cli)["/]/, why: "the Effect 4 line: HTTP, persistence and the CLI modules are in effect itself (effect/http, effect/persistence, effect/cli)", only: /^effect4\// },
  { pattern: /console\.(log|error|warn)\(/, why: "console.* in library code: use Effect's Logger or Console", only: /packages\/[^/]+\/src/ }
]
const files = (dir) => {
  try {
    return readdirSync(dir).flatMap((name) => {
      const path = join(dir, name)
      return statSync(path).isDirectory() ? files(path) : path.endsWith(".ts") ? [path] : []
    })
  } catch {
    return []
  }
}
const problems = []
for (const file of [...roots, ...tests].flatMap(files)) {
  readFileSync(file, "utf8").split("\n").forEach((line, index) => {
    for (const rule of rules) {
      if ((rule.only === undefined || rule.only.test(file)) && rule.pattern.test(line)) {
        problems.push(`${file}:${index + 1}: ${rule.why}`)
      }
    }
  })
}
if (problems.length > 0) {
  process.stderr.write(problems.join("\n") + "\n")
  process.exit(1)
}
process.stdout.write(`lint: ${roots.length} source roots clean\n`)
