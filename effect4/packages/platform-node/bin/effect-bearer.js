#!/usr/bin/env node
// The installed `effect-bearer` command of the Effect 4 line: the compiled CLI in dist/. In this
// repository, run it without a build: node scripts/effect4.mjs tsx --conditions=source packages/platform-node/src/bin.ts
import "../dist/bin.js"
