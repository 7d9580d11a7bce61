#!/usr/bin/env node
// The installed `effect-bearer` command: the compiled CLI in dist/. In this repository,
// run it without a build: pnpm cli token hydrosat (tsx with the "source" condition).
import "../dist/bin.js"
