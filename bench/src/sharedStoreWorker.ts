/**
 * One OS process of the shared-store measure (sharedStore.ts), which forks it and drives it
 * over IPC; never imported. It builds one token reader: effect-bearer's
 * `TokenProvider.fromEndpoint` with a `TokenStore` layer in context (memory, file or Redis),
 * or a peer's own cache as its README shows (`Contender.warmReaders`). It fetches its first
 * token and says `ready`; on `go` it runs its concurrent readers for the window (each reads,
 * then pauses 10–30 ms), reports what they saw, and exits.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { ClientAuthentication, Grant, TokenProvider, TokenStore } from "@effect-bearer/core"
import * as FileTokenStore from "@effect-bearer/platform-node/FileTokenStore"
import * as RedisTokenStore from "@effect-bearer/platform-node/RedisTokenStore"
import { Effect, Exit, Layer, ManagedRuntime, Redacted, Scope } from "effect"
import type { Contender } from "./Contender.js"
import type { Servers } from "./harness.js"
import { sleep } from "./harness.js"
import { credentials } from "./protocol.js"
import type { WorkerCommand, WorkerMessage, WorkerSettings } from "./sharedStore.js"

/** The peers, loaded only by a peer's worker (their libraries would slow every start-up). */
const peers = async (): Promise<ReadonlyArray<Contender>> => {
  const [{ badgateway }, { openidClientNaive, openidClientSingleFlight }, { simpleOauth2 }] = await Promise.all([
    import("./contenders/badgateway.js"),
    import("./contenders/openidClient.js"),
    import("./contenders/simpleOauth2.js")
  ])
  return [badgateway, openidClientNaive, openidClientSingleFlight, simpleOauth2]
}

const settings = JSON.parse(process.argv[2]!) as WorkerSettings
const send = (message: WorkerMessage) => process.send?.(message)

/** One read of the token: its expiry when the library tells it (epoch ms). */
type Read = () => Promise<number | undefined>

const storeLayer = (subject: Extract<WorkerSettings["subject"], { readonly kind: "store" }>): Layer.Layer<TokenStore.TokenStore> => {
  switch (subject.backend) {
    case "memory":
      return TokenStore.layerMemory
    case "file":
      return FileTokenStore.layer({ directory: subject.target })
    case "redis":
      return RedisTokenStore.layer({ url: Redacted.make(subject.target), keyPrefix: subject.keyPrefix })
  }
}

const effectBearerReader = async (subject: Extract<WorkerSettings["subject"], { readonly kind: "store" }>) => {
  const runtime = ManagedRuntime.make(Layer.merge(storeLayer(subject), NodeHttpClient.layerUndici))
  const scope = Effect.runSync(Scope.make())
  const tokens = await runtime.runPromise(Scope.extend(
    TokenProvider.fromEndpoint({
      url: settings.tokenUrl,
      grant: Grant.clientCredentials,
      clientAuthentication: ClientAuthentication.clientSecretBasic({
        clientId: credentials.clientId,
        clientSecret: Redacted.make(credentials.clientSecret)
      }),
      name: "bench"
    }),
    scope
  ))
  const read: Read = () => runtime.runPromise(tokens.get).then((token) => token.expiresAt)
  return {
    read,
    close: async () => {
      await Effect.runPromise(Scope.close(scope, Exit.void))
      await runtime.dispose()
    }
  }
}

const peerReader = async (name: string) => {
  const peer = (await peers()).find((contender) => contender.name === name)
  if (peer === undefined) throw new Error(`no peer named ${name}`)
  const unused = () => Promise.reject(new Error("the worker does not drive the servers"))
  const servers: Servers = {
    tokenUrl: settings.tokenUrl,
    tokenOrigin: settings.tokenOrigin,
    apiOrigin: settings.apiOrigin,
    configure: unused,
    reset: unused,
    counters: unused,
    close: () => {}
  }
  const { readers, close } = await peer.warmReaders(servers)
  const read: Read = () => readers[0]!.time(1).then(() => undefined)
  return { read, close }
}

const main = async () => {
  const { read, close } = settings.subject.kind === "store"
    ? await effectBearerReader(settings.subject)
    : await peerReader(settings.subject.name)
  // The first token before the window, as every peer's `warmReaders` fetches it.
  await read()
  const report = { type: "report" as const, reads: 0, expired: 0, failed: 0, firstFailure: undefined as string | undefined }
  process.on("message", async (command: WorkerCommand) => {
    const until = Date.now() + command.windowMs
    const reader = async () => {
      while (Date.now() < until) {
        try {
          const expiresAt = await read()
          report.reads++
          if (expiresAt !== undefined && Date.now() >= expiresAt) report.expired++
        } catch (error) {
          report.failed++
          report.firstFailure ??= error instanceof Error ? error.message : String(error)
        }
        await sleep(10 + Math.floor(Math.random() * 20))
      }
    }
    await Promise.all(Array.from({ length: settings.readers }, reader))
    await close()
    // Exit once the report is out: a peer's keep-alive sockets must not hold the process.
    process.send?.(report satisfies WorkerMessage, () => process.exit(0))
  })
  send({ type: "ready" })
}

main().catch((error) => {
  process.stderr.write(`shared-store worker: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
