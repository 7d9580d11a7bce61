#!/usr/bin/env node
// The packages as a user meets them: `pnpm pack` each published package (after `tsc -b`), install the
// tarballs with the README's own Install command (npm, in a new project under the OS temp directory,
// outside the workspace), then in that project:
//   - compile a program with plain `tsc` (NodeNext, no `source` condition) and run it with `node`
//     against the local provider server: a token and an authenticated request;
//   - compile every ```ts block of README.md and docs/*.md with the same tsc run, and run the runnable ones
//     with `node` against the installed local provider server (scripts/readme-outside.mjs);
//   - require() every package from CommonJS (Node >= 20.19) and compile an import under `node10` resolution;
//   - run the `effect-bearer` bin; check that one copy of `effect` and `@effect/platform` is installed and
//     that each tarball carries README.md and LICENSE.
// `--effect4` does the same for the Effect 4 line: its packages from effect4/, the README's Effect 4 command, the
// ```ts effect4 blocks, everything run on Node >= 22.19 (scripts/effect4.mjs; scripts/pack-install-effect4.mjs
// holds that line's program and runners).
// Part of `pnpm check`; about 30-60 s, most of it npm. `--keep` keeps the project, `--no-build` packs dist as it is.
import { execFileSync, spawn, spawnSync } from "node:child_process"
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import * as Effect4 from "./effect4.mjs"
import * as Effect4Line from "./pack-install-effect4.mjs"
import * as ReadmeBlocks from "./readme-blocks.mjs"

const root = join(dirname(fileURLToPath(import.meta.url)), "..")
/** The line under test: the Effect 3 line, or with `--effect4` the Effect 4 line. */
const line = process.argv.includes("--effect4") ? "effect4" : "effect3"
/** The line's published packages, in dependency order, by name: their folders. */
const packageFolders = ReadmeBlocks.lines[line].packages
const published = Object.keys(packageFolders)
/** The Node that runs the installed programs: the Effect 4 line needs >= 22.19 (scripts/effect4.mjs). */
const node = line === "effect4" ? Effect4.node() : process.execPath
/** That Node first on PATH, for the bin's `#!/usr/bin/env node`. */
const nodeEnv = { ...process.env, PATH: `${dirname(node)}:${process.env.PATH ?? ""}` }
const started = Date.now()
const keep = process.argv.includes("--keep")

const step = (what) => process.stdout.write(`pack-install: ${what} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`)
const fail = (message) => {
  process.stderr.write(`pack-install: ${message}\n`)
  process.exitCode = 1
  throw Object.assign(new Error(message), { reported: true })
}
const run = (command, args, options) => {
  const result = spawnSync(command, args, { encoding: "utf8", ...options })
  if (result.status !== 0) {
    fail(`${command} ${args.join(" ")} exited ${result.status}\n${result.stdout ?? ""}${result.stderr ?? ""}`)
  }
  return result.stdout
}
/** {@link run} in the background: resolves when the command succeeds. */
const runInBackground = (command, args, options) =>
  new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] })
    let output = ""
    child.stdout.on("data", (chunk) => (output += chunk))
    child.stderr.on("data", (chunk) => (output += chunk))
    child.on("error", reject)
    child.on("close", (status) => {
      if (status === 0) resolve(output)
      else {
        try {
          fail(`${command} ${args.join(" ")} exited ${status}\n${output}`)
        } catch (error) {
          reject(error)
        }
      }
    })
  })
/** pnpm as `pnpm check` runs it (npm_execpath), else the pinned one through npx. */
const pnpm = (args) =>
  process.env.npm_execpath !== undefined && /pnpm/.test(process.env.npm_execpath)
    ? [process.execPath, [process.env.npm_execpath, ...args]]
    : ["npx", ["-y", "pnpm@10.34.9", ...args]]

/** The README's Install command for a line: the `npm install …` line of the Install section naming that line's `effect`. */
export const readmeInstallCommand = (lineName = line) => {
  const readme = readFileSync(join(root, "README.md"), "utf8")
  const section = readme.split(/^## /m).find((part) => part.startsWith("Install"))
  const effect = lineName === "effect4" ? "effect@^4" : "effect@^3"
  const command = section?.split("\n").find((l) => l.startsWith("npm install ") && l.includes(` ${effect}`))
  if (command === undefined) fail(`README.md has no \`## Install\` section with an \`npm install ${effect}…\` line`)
  return command.trim().split(/\s+/)
}

/** The Effect 3 line's program, its README runners and what it installs beside the packages (scripts/pack-install-effect4.mjs: the Effect 4 line's). */
const effect3 = {
  typesNode: "@types/node@^20.19.0",
  effectPackages: ["effect", "@effect/platform", "@effect/platform-node"],
  runners: {
    "readme-routes.mjs": "readme-routes.mjs",
    "readme-checks.mjs": "readme-checks.mjs",
    "readme-redirect.mjs": "readme-redirect.mjs",
    "readme-outside.mjs": "readme-outside.mjs"
  },
  runnable: ReadmeBlocks.runnable
}
const lineSettings = line === "effect4" ? Effect4Line : effect3

const programEffect3 = `import { HttpClient } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { Console, Effect, Layer } from "effect"
import { BearerHttpClient, TokenProvider } from "@effect-bearer/core"
import * as TokenError from "@effect-bearer/core/TokenError"
import { Provider } from "@effect-bearer/kernel"
import { NodeLocalProviderServer } from "@effect-bearer/platform-node"
import { Hydrosat, LocalProviderServer } from "@effect-bearer/providers"

const program = Effect.gen(function*() {
  const server = yield* LocalProviderServer.LocalProviderServer
  const { apiUrl, tokenUrl } = server.urls.hydrosat
  const Api = BearerHttpClient.layer({ origins: [new URL(apiUrl).origin] }).pipe(
    Layer.provideMerge(Hydrosat.layer({ ...server.credentials.hydrosat, tokenUrl })),
    Layer.provide(NodeHttpClient.layerUndici)
  )
  const status = yield* Effect.gen(function*() {
    const token = yield* TokenProvider.get
    const client = yield* HttpClient.HttpClient
    const response = yield* client.get(apiUrl)
    return { status: response.status, redacted: String(token.value) }
  }).pipe(Effect.provide(Api))
  const tokenRequests = yield* server.requestCount("hydrosat")
  yield* Console.log(JSON.stringify({ ...status, tokenRequests, retryable: typeof TokenError.isRetryable, kernel: typeof Provider }))
})

Effect.runPromise(program.pipe(Effect.provide(NodeLocalProviderServer.layer()))).catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
`

const requireAll = `const assert = require("node:assert")
for (const name of ${JSON.stringify(published.map((name) => `@effect-bearer/${name}`))}) {
  const module = require(name)
  assert.ok(Object.keys(module).length > 0, name + " exports nothing through require()")
}
assert.strictEqual(typeof require("@effect-bearer/core/TokenProvider").get, "object")
console.log("require: ok")
`

const node10Program = `import { TokenProvider } from "@effect-bearer/core"
import { Hydrosat } from "@effect-bearer/providers"
import { CredentialsFile } from "@effect-bearer/platform-node"
import { Provider } from "@effect-bearer/kernel"

export const names = [typeof TokenProvider.get, Hydrosat.name, typeof CredentialsFile.load, typeof Provider]
`

/** The preload under which the README's runnable blocks run: a resolve hook (scripts/readme-redirect.mjs says why). */
const readmePreload = `import { register } from "node:module"
register("./readme-hooks.mjs", import.meta.url)
`
/** The blocks' (and only the blocks') \`@effect/platform-node\` is readme-platform-node.mjs. */
const readmeHooks = `const blocks = new URL("./out/readme/", import.meta.url).href
const routed = new URL("./readme-platform-node.mjs", import.meta.url).href
export const resolve = (specifier, context, next) =>
  specifier === "@effect/platform-node" && context.parentURL?.startsWith(blocks) === true
    ? { url: routed, shortCircuit: true }
    : next(specifier, context)
`
const readmePlatformNode = `import { NodeHttpClient as original } from "@effect/platform-node"
import { routedNodeHttpClient } from "./readme-redirect.mjs"
export * from "@effect/platform-node"
export const NodeHttpClient = routedNodeHttpClient(original)
`

/** Writes every README and docs block under readme/ and what runs the runnable ones; returns the blocks and the run's list. */
const writeReadme = (project) => {
  const blocks = ReadmeBlocks.allBlocks(line)
  mkdirSync(join(project, "readme"))
  for (const block of blocks) writeFileSync(join(project, "readme", block.file), block.code)
  const runnable = lineSettings.runnable.map(({ page, section }) => {
    const block = blocks.find((block) => block.page === page && block.section === section)
    if (block === undefined) fail(`${page} has no TypeScript block under "${section}"`)
    return { page, section, compiled: join(project, "out", "readme", block.file.replace(/\.ts$/, ".js")) }
  })
  for (const block of blocks.filter(ReadmeBlocks.runsProgram)) {
    if (!runnable.some(({ page, section }) => block.page === page && block.section === section)) {
      fail(`${block.page} "${block.section}" runs a program but is not in readme-blocks.mjs's runnable list`)
    }
  }
  writeFileSync(join(project, "readme-blocks.json"), JSON.stringify(runnable, null, 2))
  writeFileSync(join(project, "readme-preload.mjs"), readmePreload)
  writeFileSync(join(project, "readme-hooks.mjs"), readmeHooks)
  writeFileSync(join(project, "readme-platform-node.mjs"), readmePlatformNode)
  for (const [file, as] of Object.entries(lineSettings.runners)) copyFileSync(join(root, "scripts", file), join(project, as))
  return { blocks, files: blocks.map((block) => `readme/${block.file}`) }
}

const main = async () => {
  if (!process.argv.includes("--no-build")) {
    step("tsc -b (the published packages)")
    const projects = Object.values(packageFolders).map((folder) => join(root, folder))
    run(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-b", ...projects], { cwd: root })
  }

  const work = mkdtempSync(join(tmpdir(), "effect-bearer-pack-"))
  try {
    const tarballs = join(work, "tarballs")
    mkdirSync(tarballs)
    await Promise.all(
      published.map((name) => runInBackground(...pnpm(["pack", "--pack-destination", tarballs]), { cwd: join(root, packageFolders[name]) }))
    )
    const tarballOf = Object.fromEntries(
      readdirSync(tarballs).map((file) => [file.replace(/^effect-bearer-(.+)-\d+\.\d+\.\d+.*\.tgz$/, "$1"), join(tarballs, file)])
    )
    for (const name of published) {
      if (tarballOf[name] === undefined) fail(`no tarball for ${name} in ${readdirSync(tarballs).join(", ")}`)
      const files = run("tar", ["-tzf", tarballOf[name]]).split("\n")
      for (const file of ["package/README.md", "package/LICENSE", "package/dist/index.js", "package/dist/index.d.ts"]) {
        if (!files.includes(file)) fail(`the ${name} tarball lacks ${file.slice("package/".length)}`)
      }
      const license = execFileSync("tar", ["-xzOf", tarballOf[name], "package/LICENSE"], { encoding: "utf8" })
      if (license !== readFileSync(join(root, "LICENSE"), "utf8")) fail(`the ${name} tarball's LICENSE is not the root LICENSE`)
    }
    step("packed")

    const project = join(work, "project")
    mkdirSync(project)
    // the README's command, with each @effect-bearer package it names taken from its tarball
    const named = new Set()
    const [npm, ...args] = readmeInstallCommand().map((word) => {
      const match = /^@effect-bearer\/([a-z-]+)(@.*)?$/.exec(word)
      if (match === null) return word
      named.add(match[1])
      return tarballOf[match[1]] ?? fail(`the Install command names ${word}, which is not packed`)
    })
    // and the ones it does not name (the kernel, a dependency of core) from theirs too, not from the registry
    const overrides = Object.fromEntries(
      published.filter((name) => !named.has(name)).map((name) => [`@effect-bearer/${name}`, `file:${tarballOf[name]}`])
    )
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "outside", private: true, type: "module", overrides }, null, 2))
    const npmOptions = { cwd: project, env: { ...process.env, npm_config_audit: "false", npm_config_fund: "false", npm_config_update_notifier: "false" } }
    run(npm, [...args, "--prefer-offline"], npmOptions)
    step("installed with the README's command")
    for (const name of published) {
      const manifest = join(project, "node_modules", "@effect-bearer", name, "package.json")
      if (!existsSync(manifest)) fail(`@effect-bearer/${name} is not installed`)
      // an exact pin of an Effect package gives the user a second copy beside their own
      const { dependencies = {}, peerDependencies = {} } = JSON.parse(readFileSync(manifest, "utf8"))
      for (const [dependency, range] of Object.entries({ ...dependencies, ...peerDependencies })) {
        if (/^(effect|@effect\/|@effect-bearer\/)/.test(dependency) && !range.startsWith("^")) {
          fail(`@effect-bearer/${name} pins ${dependency} to ${range}, not a caret range`)
        }
      }
    }
    run("npm", ["install", "--save-dev", "--prefer-offline", lineSettings.typesNode], npmOptions)
    step("installed @types/node")

    // one copy of each Effect package
    const copies = (name) => {
      const found = []
      const walk = (dir) => {
        for (const entry of readdirSync(dir, { withFileTypes: true })) {
          if (!entry.isDirectory()) continue
          const path = join(dir, entry.name)
          if (entry.name.startsWith("@")) walk(path)
          else {
            const manifest = join(path, "package.json")
            if (existsSync(manifest) && JSON.parse(readFileSync(manifest, "utf8")).name === name) found.push(path)
            if (existsSync(join(path, "node_modules"))) walk(join(path, "node_modules"))
          }
        }
      }
      walk(join(project, "node_modules"))
      return found
    }
    for (const name of lineSettings.effectPackages) {
      const found = copies(name)
      if (found.length !== 1) fail(`${found.length} copies of ${name} installed:\n  ${found.join("\n  ")}`)
    }

    const tsc = join(root, "node_modules", "typescript", "bin", "tsc")
    writeFileSync(join(project, "node10.ts"), node10Program)
    writeFileSync(
      join(project, "tsconfig.node10.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          module: "CommonJS",
          moduleResolution: "node10",
          strict: true,
          skipLibCheck: true,
          types: ["node"],
          noEmit: true
        },
        files: ["node10.ts"]
      })
    )
    // in the background, beside the NodeNext compile (each loads every declaration of Effect)
    const node10 = runInBackground(process.execPath, [tsc, "-p", "tsconfig.node10.json"], { cwd: project })
    node10.catch(() => undefined) // reported when awaited; not unhandled when an earlier step fails
    writeFileSync(join(project, "main.ts"), line === "effect4" ? Effect4Line.program : programEffect3)
    const readme = writeReadme(project)
    writeFileSync(
      join(project, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          skipLibCheck: true,
          types: ["node"],
          rootDir: ".",
          outDir: "out"
        },
        files: ["main.ts", ...readme.files]
      })
    )
    const compiled = spawnSync(process.execPath, [tsc, "-p", "tsconfig.json", "--pretty", "false"], { cwd: project, encoding: "utf8" })
    if (compiled.status !== 0) {
      fail(`tsc (NodeNext) in the outside project failed:\n${ReadmeBlocks.toPageLines(`${compiled.stdout}${compiled.stderr}`, readme.blocks)}`)
    }
    step(`compiled main.ts and the ${readme.blocks.length} README and docs blocks with tsc (NodeNext)`)
    const output = run(node, [join(project, "out", "main.js")], { cwd: project, timeout: 30_000 })
    const result = JSON.parse(output.trim().split("\n").pop() ?? "{}")
    if (result.status !== 200 || result.tokenRequests !== 1 || result.redacted !== "<redacted>") {
      fail(`the installed program did not get one token and a 200: ${output}`)
    }
    step(`ran with node: ${output.trim()}`)
    const ran = run(node, ["--import", "./readme-preload.mjs", "readme-outside.mjs", "readme-blocks.json"], {
      cwd: project,
      timeout: 60_000
    })
    step(`ran the README's runnable blocks with node:\n  ${ran.trim().split("\n").join("\n  ")}`)

    writeFileSync(join(project, "require.cjs"), requireAll)
    run(node, [join(project, "require.cjs")], { cwd: project })
    await node10
    step("require() from CommonJS and node10 resolution")

    const help = spawnSync(join(project, "node_modules", ".bin", "effect-bearer"), ["--help"], { cwd: project, encoding: "utf8", env: nodeEnv })
    if (help.status !== 0 || !/effect-bearer/.test(help.stdout)) fail(`effect-bearer --help exited ${help.status}: ${help.stderr}`)
    step("the effect-bearer bin")
  } finally {
    if (keep) process.stdout.write(`pack-install: kept ${work}\n`)
    // node_modules takes seconds to delete: in the background, not on the check's clock
    else spawn("rm", ["-rf", work], { detached: true, stdio: "ignore" }).unref()
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    await main()
    step(`done (${line})`)
  } catch (error) {
    process.exitCode = 1
    if (error?.reported !== true) process.stderr.write(`${String(error)}\n`)
  }
}
