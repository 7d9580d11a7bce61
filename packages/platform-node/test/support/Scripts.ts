/**
 * The scripts tests start as child processes, bundled once per run by bundleScripts.ts: a
 * bundle starts in a fraction of the time `node --import tsx` takes.
 */
import { inject } from "vitest"
import type { Name } from "./bundleScripts.js"

/** The path of the bundled `name`, to run with `node <path> ...args`. */
export const path = (name: Name): string => inject("scripts")[name]
