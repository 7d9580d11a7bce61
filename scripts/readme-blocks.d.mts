// The types of readme-blocks.mjs, for the tests that import it.

/** One ```ts block of a page. */
export interface Block {
  /** The page, relative to the repository root, e.g. `README.md`, `docs/providers.md`. */
  readonly page: string
  /** The heading above the block. */
  readonly section: string
  /** The line of the opening fence (1-based). */
  readonly line: number
  readonly code: string
  /** The written file's name, e.g. `README-md-50.ts`. */
  readonly file: string
}

/** The repository root. */
export declare const root: string
/** Where the blocks are written: build/readme-blocks. */
export declare const outDir: string
/** README.md and docs/*.md. */
export declare const pages: () => ReadonlyArray<string>
/** The two lines: ```ts blocks are Effect 3 code, ```ts effect4 blocks Effect 4 code. */
export type Line = "effect3" | "effect4"
/** Each line's fence, output folder and packages (by name, their folder). */
export declare const lines: Record<Line, { readonly fence: RegExp; readonly outDir: string; readonly packages: Readonly<Record<string, string>> }>
/** Every ```ts block of a page (```ts effect4 for that line). */
export declare const extractBlocks: (page: string, line?: Line) => ReadonlyArray<Block>
/** Writes every block of a line and its tsconfig; returns them with their written paths. */
export declare const writeBlocks: (line?: Line) => ReadonlyArray<Block & { readonly path: string }>
/** Typechecks a line's written blocks. */
export declare const typecheckBlocks: (blocks: ReadonlyArray<Block>, line?: Line) => { readonly status: number; readonly output: string }
/** Every ```ts block of every page (```ts effect4 for that line). */
export declare const allBlocks: (line?: Line) => ReadonlyArray<Block>
/** Whether a block runs a program rather than only declaring one. */
export declare const runsProgram: (block: Block) => boolean
/** The blocks that run a program, by page and section. */
export declare const runnable: ReadonlyArray<{ readonly page: string; readonly section: string }>
/** The Effect 4 line's blocks that run a program. */
export declare const runnableEffect4: ReadonlyArray<{ readonly page: string; readonly section: string }>
/** tsc's block-file locations as page lines. */
export declare const toPageLines: (output: string, blocks: ReadonlyArray<Block>) => string
