/**
 * Scripts that tests start as child processes, each bundled from its TypeScript sources into
 * one JavaScript file, once per test run. `node --import tsx` spends 2-4 s of CPU per process
 * resolving and loading several hundred modules through its loader; a bundle starts in about
 * 0.4 s, and it is built from the same sources (the "source" export condition), so it never
 * runs a stale build.
 */
import { build } from "esbuild"
import { join } from "node:path"

/** What to bundle: entry name to TypeScript file, and the packages left to Node to load. */
export interface Options<Name extends string> {
  readonly entries: Readonly<Record<Name, string>>
  /**
   * A directory below the package whose `node_modules` holds the {@link external} packages
   * (they are resolved from the bundles' own location).
   */
  readonly directory: string
  /** Packages not bundled: CommonJS packages imported dynamically, whose names bundling loses. */
  readonly external?: ReadonlyArray<string>
}

/**
 * Bundles each entry, with its workspace sources and dependencies, into `<directory>/<name>.mjs`
 * (shared code in chunks beside them), and returns each entry's path.
 */
export const bundle = async <Name extends string>(options: Options<Name>): Promise<Record<Name, string>> => {
  await build({
    entryPoints: options.entries,
    outdir: options.directory,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    conditions: ["source"],
    external: [...options.external ?? []],
    // Bundled CommonJS code calls `require` for Node's own modules.
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    logLevel: "error"
  })
  return Object.fromEntries(
    Object.keys(options.entries).map((name) => [name, join(options.directory, `${name}.mjs`)])
  ) as Record<Name, string>
}
