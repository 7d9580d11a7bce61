#!/usr/bin/env node
// Every ```ts block of README.md and docs/*.md, compiled as written: each block is written to
// build/readme-blocks/<file>-<line>.ts (line N of the extracted file is line fence+N of the page) and
// typechecked with tsc against the workspace packages' declarations (`tsc -b` first: `pnpm check` runs it before).
// A block that drifts from the API fails `pnpm check`; errors point at the page's own line.
// `packages/platform-node/test/Readme.test.ts` runs the runnable blocks against the local provider server;
// scripts/pack-install.mjs compiles every block and runs the runnable ones again in an outside project.
import { spawnSync } from "node:child_process"
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { dirname, join, relative } from "node:path"
import { fileURLToPath } from "node:url"

/** The repository root. */
export const root = join(dirname(fileURLToPath(import.meta.url)), "..")

/**
 * The two lines' blocks: a ```ts block is Effect 3 code (the designed line), a ```ts effect4 block the same program
 * for the Effect 4 line. Each line's blocks compile in a folder of that line's workspace, so that `effect` is
 * that line's, against that line's packages' declarations.
 */
export const lines = {
  effect3: {
    fence: /^```(ts|typescript)\s*$/,
    outDir: join(root, "build", "readme-blocks"),
    packages: { kernel: "packages/kernel", "local-provider-server": "packages/local-provider-server", core: "packages/core", providers: "packages/providers", "platform-node": "packages/platform-node" }
  },
  effect4: {
    fence: /^```ts effect4\s*$/,
    outDir: join(root, "effect4", "build", "readme-blocks"),
    packages: { kernel: "packages/kernel", "local-provider-server": "packages/local-provider-server", core: "effect4/packages/core", providers: "effect4/packages/providers", "platform-node": "effect4/packages/platform-node" }
  }
}

/** Where the Effect 3 line's blocks are written. */
export const outDir = lines.effect3.outDir

/** The pages whose TypeScript blocks are compiled: README.md and docs/*.md. */
export const pages = () => [
  "README.md",
  ...readdirSync(join(root, "docs")).filter((name) => name.endsWith(".md")).sort().map((name) => `docs/${name}`)
]

/** Every ```ts block of a page (```ts effect4 for that line): its page, its section (the heading above it), the line of its opening fence (1-based) and its code. */
export const extractBlocks = (page, lineName = "effect3") => {
  const blocks = []
  let open = undefined
  let fenced = false
  let section = ""
  const text = readFileSync(join(root, page), "utf8").split("\n")
  text.forEach((line, index) => {
    if (open === undefined && /^```/.test(line)) fenced = !fenced
    if (open === undefined && !fenced && /^#{1,6} /.test(line)) section = line.replace(/^#+ /, "").trim()
    if (open === undefined && lines[lineName].fence.test(line)) open = { page, section, line: index + 1, code: [] }
    else if (open !== undefined && /^```\s*$/.test(line)) {
      fenced = false
      blocks.push({ ...open, code: open.code.join("\n") + "\n", file: `${page.replace(/[/.]/g, "-")}-${open.line}.ts` })
      open = undefined
    } else if (open !== undefined) open.code.push(line)
  })
  return blocks
}

/** Every ```ts block of every page (```ts effect4 for that line). */
export const allBlocks = (line = "effect3") => pages().flatMap((page) => extractBlocks(page, line))

/** Whether a block runs a program (Effect.runPromise, runtime.runPromise, runMain, …) rather than only declaring one. */
export const runsProgram = (block) => /\brun(Promise|PromiseExit|Fork|Sync|SyncExit|Callback|Main)\b/.test(block.code)

/**
 * The blocks that run a program, by page and section: Readme.test.ts runs each in the workspace and
 * pack-install.mjs in the outside project, and both check that this list is every block {@link runsProgram} finds.
 */
export const runnable = [
  { page: "README.md", section: "Your first provider" },
  { page: "README.md", section: "The core in one example" },
  { page: "docs/http-client.md", section: "Several APIs in one program, and callers outside Effect" }
]

/** The Effect 4 line's blocks that run a program (pack-install.mjs --effect4 runs them in an outside project). */
export const runnableEffect4 = [{ page: "README.md", section: "On Effect 4" }]

/** tsc's `<dir>/<block file>(line,column)` locations as `<page>:<page line>:<column>`. */
export const toPageLines = (output, blocks) => {
  const byFile = new Map(blocks.map((block) => [block.file, block]))
  return output.replace(/(?:[\w./-]*\/)?([\w.-]+\.ts)\((\d+),(\d+)\)/g, (whole, file, line, column) => {
    const block = byFile.get(file)
    return block === undefined ? whole : `${block.page}:${block.line + Number(line)}:${column}`
  })
}

/** Writes every block of a line and the tsconfig that compiles them; returns the blocks with their written paths. */
export const writeBlocks = (line = "effect3") => {
  const { outDir, packages } = lines[line]
  rmSync(outDir, { recursive: true, force: true })
  mkdirSync(outDir, { recursive: true })
  const blocks = allBlocks(line)
  for (const block of blocks) {
    // line 1 of the file is the line after the fence, so tsc's line N + fence line is the page's line
    writeFileSync(join(outDir, block.file), block.code)
  }
  const paths = Object.fromEntries(
    Object.entries(packages).flatMap(([name, dir]) => [
      [`@effect-bearer/${name}`, [`${relative(outDir, join(root, dir))}/dist/index.d.ts`]],
      [`@effect-bearer/${name}/*`, [`${relative(outDir, join(root, dir))}/dist/*.d.ts`]]
    ])
  )
  writeFileSync(
    join(outDir, "tsconfig.json"),
    JSON.stringify(
      {
        extends: relative(outDir, join(root, "tsconfig.base.json")),
        compilerOptions: {
          composite: false,
          incremental: false,
          declaration: false,
          declarationMap: false,
          sourceMap: false,
          noEmit: true,
          // a page's example may name a layer it does not use in the same block
          noUnusedLocals: false,
          // as a user compiles: the libraries' own declarations are not this check's subject
          skipLibCheck: true,
          // the workspace packages as they are published (their dist declarations)
          paths
        },
        include: ["*.ts"]
      },
      null,
      2
    ) + "\n"
  )
  return blocks.map((block) => ({ ...block, path: join(outDir, block.file) }))
}

/** Typechecks a line's written blocks; returns tsc's exit status and its output with page lines. */
export const typecheckBlocks = (blocks, line = "effect3") => {
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc")
  const result = spawnSync(process.execPath, [tsc, "-p", join(lines[line].outDir, "tsconfig.json"), "--pretty", "false"], {
    cwd: root,
    encoding: "utf8"
  })
  return { status: result.status ?? 1, output: toPageLines(`${result.stdout}${result.stderr}`, blocks) }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const line of Object.keys(lines)) {
    const blocks = writeBlocks(line)
    if (blocks.length === 0) {
      process.stderr.write(`readme-blocks: no ${line} TypeScript blocks in ${pages().join(", ")}\n`)
      process.exit(1)
    }
    const { output, status } = typecheckBlocks(blocks, line)
    if (status !== 0) {
      process.stderr.write(output)
      process.stderr.write(`readme-blocks: the ${line} TypeScript blocks above do not compile as written\n`)
      process.exit(1)
    }
    process.stdout.write(
      `readme-blocks: ${blocks.length} ${line} TypeScript blocks of ${pages().length} pages compile (${relative(root, lines[line].outDir)})\n`
    )
  }
}
