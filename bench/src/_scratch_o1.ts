import * as HttpClient from "@effect/platform/HttpClient"
import { Grant, TokenEndpoint } from "@effect-bearer/core"
import { Effect } from "effect"
import { authenticatedRequest } from "./authenticatedRequest.js"
import { tagRead } from "./tagRead.js"
import { cannedClient, cannedEndpoint, cannedProvider, cannedTokenEndpoint, scoped } from "./cannedClient.js"
import { measureCosts, subject } from "./effectCost.js"

const which = process.argv[2] ?? "all"
const fmt = (c: any) => `${c.label.padEnd(60)} ${c.cpuMicroseconds.toFixed(2).padStart(9)} µs [${c.cpuSpread.map((x: number) => x.toFixed(1)).join("–")}]  ${String(Math.round(c.allocatedBytes ?? -1)).padStart(8)} B  ${c.operations} ops`
if (which === "all" || which === "req") {
  for (const c of await authenticatedRequest({ runs: 3000, rounds: 7, allocationBatch: 200 })) console.log(fmt(c))
}
if (which === "all" || which === "token") {
  const endpoint = cannedEndpoint()
  const { value: tokens, close } = await scoped(cannedProvider(endpoint))
  const runtime = Effect.runSync(Effect.provideService(Effect.runtime<HttpClient.HttpClient>(), HttpClient.HttpClient, cannedClient(endpoint)))
  const tokenEndpoint = await Effect.runPromise(cannedTokenEndpoint)
  for (const c of await measureCosts([
    subject("provider.refresh", runtime, tokens.refresh),
    subject("requestToken alone", runtime, TokenEndpoint.requestToken(tokenEndpoint, Grant.clientCredentials))
  ], { runs: 300, rounds: 7, allocationBatch: 30 })) console.log(fmt(c))
  await close()
}
if (which === "all" || which === "tag") {
  const t = await tagRead({ runs: 100_000, rounds: 7, allocationBatch: 10_000 })
  for (const c of Object.values(t)) console.log(fmt(c))
}
