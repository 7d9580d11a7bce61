// The Effect 4 line's runner for the README's runnable ```ts effect4 blocks in the outside project that
// `pack-install.mjs --effect4` builds (readme-outside.mjs is the Effect 3 line's): copied there as
// readme-outside.mjs and run on Node >= 22.19 with the preload whose hook gives the blocks the redirected
// `NodeHttpClient.layerUndici`. The local provider server is the installed Effect 4 @effect-bearer/platform-node's;
// the checks are readme-checks.mjs's, shared with the Effect 3 line.
import { NodeLocalProviderServer } from "@effect-bearer/platform-node"
import { LocalProviderServer } from "@effect-bearer/providers"
import { Effect, ManagedRuntime, Redacted } from "effect"
import { firstProvider, runBlocks } from "./readme-checks.mjs"
import { routeTo, routing } from "./readme-redirect.mjs"

/** Runs `body` with a local provider server routed to, its control surface as promises; the server closes after. */
const withServer = async (body) => {
  const runtime = ManagedRuntime.make(NodeLocalProviderServer.layer())
  try {
    const server = await runtime.runPromise(Effect.service(LocalProviderServer.LocalProviderServer))
    routing.route = routeTo(server.origin)
    return await body(server, {
      credentials: server.credentials,
      requests: (provider, endpoint) => runtime.runPromise(server.requests(provider, endpoint)),
      requestCount: (provider) => runtime.runPromise(server.requestCount(provider))
    })
  } finally {
    await runtime.dispose()
  }
}

await runBlocks({
  "On Effect 4": (run) =>
    withServer((server, promises) => firstProvider(promises, run, Redacted.value(server.credentials.hydrosat.clientSecret)))
})
