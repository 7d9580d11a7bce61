/**
 * Target 2: the CPU of one token request in process (request, response decoding, the new
 * token stored), every library through its in-process endpoint (see inProcess.ts and
 * cannedClient.ts), in interleaved rounds; and for effect-bearer the exact Effect
 * operations and allocation of `provider.refresh` and of `TokenEndpoint.requestToken` alone.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import { Grant, TokenEndpoint } from "@effect-bearer/core"
import { Effect } from "effect"
import type { Contender, NotApplicable, RefreshCycler } from "./Contender.js"
import { isNotApplicable, notApplicable } from "./Contender.js"
import type { CostPlan } from "./authenticatedRequest.js"
import { cannedClient, cannedEndpoint, cannedProvider, cannedTokenEndpoint, scoped } from "./cannedClient.js"
import type { Cost } from "./effectCost.js"
import { measureCosts, subject } from "./effectCost.js"
import { median } from "./harness.js"

export interface TokenRequestRow {
  readonly name: string
  /** Median over the rounds of CPU microseconds per token request; lowest and highest round. */
  readonly result: { readonly cpuMicroseconds: number; readonly cpuSpread: readonly [number, number] } | NotApplicable
}

export interface TokenRequestResults {
  readonly rows: ReadonlyArray<TokenRequestRow>
  readonly effectBearer: ReadonlyArray<Cost>
}

const cpuPerCycle = async (cycler: RefreshCycler, cycles: number) => {
  const before = process.cpuUsage()
  await cycler.cycle(cycles)
  const used = process.cpuUsage(before)
  return (used.user + used.system) / cycles
}

export const tokenRequest = async (
  contenders: ReadonlyArray<{ readonly name: string; readonly open: Contender["refreshCycler"] }>,
  plan: { readonly cycles: number; readonly rounds: number; readonly costs: CostPlan }
): Promise<TokenRequestResults> => {
  const opened = []
  for (const { name, open } of contenders) {
    opened.push({ name, cycler: await open().catch((error) => notApplicable(`failed: ${String(error)}`)) })
  }
  const samples = new Map(opened.map(({ name }) => [name, [] as Array<number>]))
  const live = opened.flatMap(({ name, cycler }) => isNotApplicable(cycler) ? [] : [{ name, cycler }])
  for (const { cycler } of live) await cycler.cycle(plan.cycles)
  for (let round = 0; round < plan.rounds; round++) {
    for (const { name, cycler } of round % 2 === 0 ? live : [...live].reverse()) {
      samples.get(name)!.push(await cpuPerCycle(cycler, plan.cycles))
    }
  }
  for (const { cycler } of live) await cycler.close()
  const rows = opened.map(({ name, cycler }): TokenRequestRow => {
    const cpu = samples.get(name)!
    return {
      name,
      result: isNotApplicable(cycler)
        ? cycler
        : { cpuMicroseconds: median(cpu), cpuSpread: [Math.min(...cpu), Math.max(...cpu)] }
    }
  })
  return { rows, effectBearer: await effectBearerCosts(plan.costs) }
}

const effectBearerCosts = async (plan: CostPlan) => {
  const endpoint = cannedEndpoint()
  const { value: tokens, close } = await scoped(cannedProvider(endpoint))
  try {
    const runtime = Effect.runSync(
      Effect.provideService(Effect.runtime<HttpClient.HttpClient>(), HttpClient.HttpClient, cannedClient(endpoint))
    )
    const tokenEndpoint = await Effect.runPromise(cannedTokenEndpoint)
    return await measureCosts([
      subject("`provider.refresh` (endpoint, decode, store)", runtime, tokens.refresh),
      subject("`TokenEndpoint.requestToken` alone", runtime, TokenEndpoint.requestToken(tokenEndpoint, Grant.clientCredentials))
    ], plan)
  } finally {
    await close()
  }
}
