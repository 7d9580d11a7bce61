#!/usr/bin/env node
/**
 * The `effect-bearer` executable of the Effect 4 line: runs {@link Cli.run} on Node with an undici
 * HTTP client, and exits with the code of {@link Cli.exitCodes} for how it ended.
 *
 * @since 4.0.0
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as NodeServices from "@effect/platform-node/NodeServices"
import { Effect, Layer } from "effect"
import * as Cli from "./Cli.js"

Cli.run(process.argv).pipe(
  Effect.provide(Layer.mergeAll(NodeServices.layer, NodeHttpClient.layerUndici, Cli.logger)),
  NodeRuntime.runMain({
    // Cli.run has written the message to stderr already; runMain's report would repeat it.
    disableErrorReporting: true,
    teardown: (exit, onExit) => onExit(Cli.exitCodeOf(exit))
  })
)
