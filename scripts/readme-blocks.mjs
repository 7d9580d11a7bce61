#!/usr/bin/env node
// Every ```ts block of README.md and docs/*.md, compiled as written: each block is written to
// build/readme-blocks/<file>-<line>.ts (line N of the extracted file is line fence+N of the page) and
// typechecked with tsc against the workspace packages' declarations (`tsc -b` first: `pnpm check` runs it before).
// A block that drifts from the API fails `pnpm check`; errors point at the page's own line.
// `packages/platform-node/test/Readme.test.ts` runs the runnable blocks against the local provider server;
// scripts/pack-install.mjs compiles every block and runs the runnable ones again in an outside project.
import { spawnSync } from "node:child_process"
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { dirname, join, relative } from "node:path"
import { fileURLToPath } from "node:url"

/** The repository root. */
export const root = join(dirname(fileURLToPath(import.meta.url)), "..")

/** Where the blocks are written. */
export const outDir = join(root, "build", "readme-blocks")

/** The pages whose TypeScript blocks are compiled: README.md and docs/*.md. */
export const pages = () => [
  "README.md",
  ...readdirSync(join(root, "docs")).filter((name) => name.endsWith(".md")).sort().map((name) => `docs/${name}`)
]

/** Every ```ts block of a page: its page, its section (the heading above it), the line of its opening fence (1-based) and its code. */
export const extractBlocks = (page) => {
  const lines = readFileSync(join(root, page), "utf8").split("\n")
  const blocks = []
  let open = undefined
  let fenced = false
  let section = ""
  lines.forEach((line, index) => {
    if (open === undefined && /^```/.test(line)) fenced = !fenced
    if (open === undefined && !fenced && /^#{1,6} /.test(line)) section = line.replace(/^#+ /, "").trim()
    if (open === undefined && /^```(ts|typescript)\s*$/.test(line)) open = { page, section, line: index + 1, code: [] }
    else if (open !== undefined && /^```\s*$/.test(line)) {
      fenced = false
      blocks.push({ ...open, code: open.code.join("\n") + "\n", file: `${page.replace(/[/.]/g, "-")}-${open.line}.ts` })
      open = undefined
    } else if (open !== undefined) open.code.push(line)
  })
  return blocks
}

/** Every ```ts block of every page. */
export const allBlocks = () => pages().flatMap(extractBlocks)

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

/** tsc's `<dir>/<block file>(line,column)` locations as `<page>:<page line>:<column>`. */
export const toPageLines = (output, blocks) => {
  const byFile = new Map(blocks.map((block) => [block.file, block]))
  return output.replace(/(?:[\w./-]*\/)?([\w.-]+\.ts)\((\d+),(\d+)\)/g, (whole, file, line, column) => {
    const block = byFile.get(file)
    return block === undefined ? whole : `${block.page}:${block.line + Number(line)}:${column}`
  })
}

/** Writes every block and the tsconfig that compiles them; returns the blocks with their written paths. */
export const writeBlocks = () => {
  rmSync(outDir, { recursive: true, force: true })
  mkdirSync(outDir, { recursive: true })
  const blocks = allBlocks()
  for (const block of blocks) {
    // line 1 of the file is the line after the fence, so tsc's line N + fence line is the page's line
    writeFileSync(join(outDir, block.file), block.code)
  }
  const packages = readdirSync(join(root, "packages")).filter((name) =>
    existsSync(join(root, "packages", name, "package.json"))
  )
  const paths = Object.fromEntries(
    packages.flatMap((name) => [
      [`@effect-bearer/${name}`, [`../../packages/${name}/dist/index.d.ts`]],
      [`@effect-bearer/${name}/*`, [`../../packages/${name}/dist/*.d.ts`]]
    ])
  )
  writeFileSync(
    join(outDir, "tsconfig.json"),
    JSON.stringify(
      {
        extends: "../../tsconfig.base.json",
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

/** Typechecks the written blocks; returns tsc's exit status and its output with page lines. */
export const typecheckBlocks = (blocks) => {
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc")
  const result = spawnSync(process.execPath, [tsc, "-p", join(outDir, "tsconfig.json"), "--pretty", "false"], {
    cwd: root,
    encoding: "utf8"
  })
  return { status: result.status ?? 1, output: toPageLines(`${result.stdout}${result.stderr}`, blocks) }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const blocks = writeBlocks()
  const { output, status } = typecheckBlocks(blocks)
  if (status !== 0) {
    process.stderr.write(output)
    process.stderr.write(`readme-blocks: the TypeScript blocks above do not compile as written\n`)
    process.exit(1)
  }
  process.stdout.write(
    `readme-blocks: ${blocks.length} TypeScript blocks of ${pages().length} pages compile (${relative(root, outDir)})\n`
  )
}
