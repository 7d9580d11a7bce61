/**
 * vitest's globalSetup for this package (vitest.config.ts): bundles the scripts tests start
 * as child processes, once per run, from their TypeScript sources. A bundle starts in a
 * fraction of the time `node --import tsx` takes (see test-support's ScriptBundle). Tests
 * find them with Scripts.ts (this module runs in vitest's own process, not in a test's).
 */
import * as ScriptBundle from "@effect-bearer/test-support/ScriptBundle"
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import type { ProvidedContext } from "vitest"

const platformNode = fileURLToPath(new URL("../../", import.meta.url))

const prefix = "effect-bearer-scripts-"

/** Each script, by the name tests start it by. */
const entries = {
  /** `effect-bearer`, as the installed command runs it. */
  cli: "src/bin.ts",
  /** A token store user across processes: storeWorker.ts. */
  storeWorker: "test/support/storeWorker.ts",
  /** A token provider sharing through a store: tokenWorker.ts. */
  tokenWorker: "test/support/tokenWorker.ts",
  /** A file store lock holder that hangs: holdFileLock.ts. */
  holdFileLock: "test/support/holdFileLock.ts"
} as const

/** The name of a bundled script. */
export type Name = keyof typeof entries

declare module "vitest" {
  export interface ProvidedContext {
    readonly scripts: Readonly<Record<Name, string>>
  }
}

/**
 * Bundles the scripts below this package's node_modules (where `redis` resolves) and hands
 * their paths to the tests; removes them after the run. (`project` is vitest's TestProject,
 * typed by what is used: vitest/node's own types need @types/debug.)
 */
export default async function setup(project: {
  readonly provide: <Key extends keyof ProvidedContext>(key: Key, value: ProvidedContext[Key]) => void
}): Promise<() => void> {
  const parent = join(platformNode, "node_modules", ".cache")
  mkdirSync(parent, { recursive: true })
  // What an interrupted run left (a day old: a run going on beside this one keeps its own).
  for (const name of readdirSync(parent)) {
    const path = join(parent, name)
    if (name.startsWith(prefix) && Date.now() - statSync(path).mtimeMs > 86_400_000) rmSync(path, { recursive: true, force: true })
  }
  const directory = mkdtempSync(join(parent, prefix))
  const scripts = await ScriptBundle.bundle({
    entries: Object.fromEntries(Object.entries(entries).map(([name, path]) => [name, join(platformNode, path)])) as Record<Name, string>,
    directory,
    // node-redis is CommonJS imported with import(): bundled, its named exports are lost.
    external: ["redis"]
  })
  project.provide("scripts", scripts)
  return () => rmSync(directory, { recursive: true, force: true })
}
