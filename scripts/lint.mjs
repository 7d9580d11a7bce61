// Checks what tsc does not: patterns that are defects in this repository.
// Run by `pnpm lint` after the typecheck.
import { readdirSync, readFileSync, statSync } from "node:fs"
import { join } from "node:path"

const roots = ["packages/kernel/src", "packages/local-provider-server/src", "packages/test-support/src", "packages/core/src", "packages/providers/src", "packages/platform-node/src", "examples/src", "bench/src"]
const rules = [
  { pattern: /\bas any\b/, why: "`as any` hides type errors" },
  { pattern: /@ts-ignore/, why: "@ts-ignore hides type errors; fix the type or use @ts-expect-error with a reason" },
  { pattern: /\b(it|test|describe)\.(only|skip)\b/, why: "focused or skipped tests" },
  { pattern: /from "(effect|@effect\/[^"]+|node:[^"]+)"/, why: "the kernel and the local provider server are plain TypeScript: no Effect, no Node APIs", only: /packages\/(kernel|local-provider-server)\/src/ },
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
for (const file of [...roots, "packages/kernel/test", "packages/local-provider-server/test", "packages/core/test", "packages/providers/test", "packages/platform-node/test"].flatMap(files)) {
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
