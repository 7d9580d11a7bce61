#!/usr/bin/env node
/**
 * The `effect-bearer` executable: runs {@link Cli.run} on Node with an undici HTTP
 * client, and exits with the code of {@link Cli.exitCodes} for how it ended.
 *
 * @since 0.1.0
 */
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Effect, Layer } from "effect"
import * as Cli from "./Cli.js"

Cli.run(process.argv).pipe(
  Effect.provide(Layer.mergeAll(NodeContext.layer, NodeHttpClient.layerUndici, Cli.logger)),
  NodeRuntime.runMain({
    // Cli.run has written the message to stderr already; runMain's report would repeat it.
    disableErrorReporting: true,
    // Cli.logger logs to stderr: stdout is for the token alone.
    disablePrettyLogger: true,
    teardown: (exit, onExit) => onExit(Cli.exitCodeOf(exit))
  })
)
