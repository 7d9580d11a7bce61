/**
 * The Effect 4 line in `pnpm bench`: runs effect4/bench (its in-process measures and its
 * end-to-end contender, from the built 4.x packages) through `node scripts/effect4.mjs`,
 * which puts a Node >= 22.19 under it (the pinned one from the npm registry on this
 * machine's Node 20), and reads back its JSON. It runs after this line's measures, with
 * servers of its own, so neither line's timings share a moment with the other's.
 */
import { spawn } from "node:child_process"
import { existsSync, readFileSync, rmSync } from "node:fs"
import { fileURLToPath } from "node:url"
import type { NotApplicable } from "./Contender.js"
import { notApplicable } from "./Contender.js"
import type { Effect4Results } from "./effect4Results.js"

const script = fileURLToPath(new URL("../../scripts/effect4.mjs", import.meta.url))
const output = fileURLToPath(new URL("../build/effect4-results.json", import.meta.url))

export const effect4Line = async (quick: boolean): Promise<Effect4Results | NotApplicable> => {
  rmSync(output, { force: true })
  const code = await new Promise<number | null>((resolve, reject) => {
    // The same Node flags as this line's run (package.json's bench script); paths are relative to effect4/.
    const child = spawn(
      process.execPath,
      [script, "tsx", "--expose-gc", "--max-semi-space-size=64", "bench/src/main.ts", output],
      { stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, BENCH_QUICK: quick ? "1" : "0" } }
    )
    child.once("error", reject)
    child.once("exit", resolve)
  })
  if (code !== 0) return notApplicable(`the Effect 4 line's run exited with ${code} (its output is above)`)
  if (!existsSync(output)) return notApplicable(`the Effect 4 line's run wrote no ${output}`)
  return JSON.parse(readFileSync(output, "utf8")) as Effect4Results
}
