// The README's runnable blocks in the outside project pack-install.mjs builds: this file is copied there (beside
// readme-redirect.mjs) and run with `node --import ./readme-preload.mjs readme-outside.mjs <blocks.json>`, where
// blocks.json lists each runnable block's page, section and compiled file (out/readme/<file>.js). It imports
// only what the user installed: the local provider server is the installed @effect-bearer/platform-node's.
// Each block runs as written, against a local provider server of its own, with the checks
// packages/platform-node/test/Readme.test.ts makes in the workspace; the preload's resolve hook gives the
// blocks (and only them) `@effect/platform-node` with the redirected `NodeHttpClient.layerUndici`.
import { NodeLocalProviderServer } from "@effect-bearer/platform-node"
import { LocalProviderServer } from "@effect-bearer/providers"
import { ManagedRuntime, Redacted } from "effect"
import assert from "node:assert/strict"
import { eventually, firstProvider, hydrosatApi, runBlocks, urlsAndStatus, withEnv } from "./readme-checks.mjs"
import { routeTo, routing } from "./readme-redirect.mjs"

/** Runs `body` with a local provider server routed to; the server closes after. */
const withServer = async (options, body) => {
  const runtime = ManagedRuntime.make(NodeLocalProviderServer.layer(options))
  try {
    const server = await runtime.runPromise(LocalProviderServer.LocalProviderServer)
    routing.route = routeTo(server.origin)
    return await body(server, (effect) => runtime.runPromise(effect))
  } finally {
    await runtime.dispose()
  }
}

/** The server as readme-checks.mjs takes it: plain promises. */
const asPromises = (server, effect) => ({
  credentials: server.credentials,
  requests: (provider, endpoint) => effect(server.requests(provider, endpoint)),
  requestCount: (provider) => effect(server.requestCount(provider))
})

/** Each runnable block's run, by section: the same checks as Readme.test.ts. */
const checks = {
  "Your first provider": (run) =>
    withServer(undefined, (server, effect) =>
      firstProvider(asPromises(server, effect), run, Redacted.value(server.credentials.hydrosat.clientSecret))),
  "The core in one example": (run) =>
    withServer(
      { credentials: { hydrosat: { clientId: "my-client", clientSecret: Redacted.make("my-secret") } } },
      (server, effect) =>
        withEnv({ HYDROSAT_CLIENT_SECRET: "my-secret" }, async () => {
          const printed = []
          const log = console.log
          console.log = (...args) => printed.push(args)
          const startedAt = Date.now()
          try {
            await run()
            await eventually("the printed result", () => (printed.length > 0 ? true : undefined))
          } finally {
            console.log = log
          }
          const [{ expiresAt, status }] = printed[0]
          assert.equal(status, 200)
          // the token's life: the hour the server gives (expires_in 3600), counted from when the request was sent
          assert.ok(expiresAt >= startedAt + 3_600_000 && expiresAt <= Date.now() + 3_600_000, `expiresAt ${expiresAt}`)
          const tokenRequests = await effect(server.requests("hydrosat"))
          assert.deepEqual(
            tokenRequests.map((request) => [request.url, request.status, request.form["client_id"]]),
            [["/hydrosat/oauth2/token", 200, "my-client"]]
          )
          assert.deepEqual(urlsAndStatus(await effect(server.requests("hydrosat", "api"))), hydrosatApi)
        })
    ),
  "Several APIs in one program, and callers outside Effect": (run) =>
    withServer(
      { credentials: { up42Account: { ...LocalProviderServer.defaultCredentials.up42Account, clientId: "up42-api" } } },
      async (server, effect) => {
        const { hydrosat, up42Account } = server.credentials
        const variables = {
          HYDROSAT_CLIENT_ID: hydrosat.clientId,
          HYDROSAT_CLIENT_SECRET: Redacted.value(hydrosat.clientSecret),
          UP42_USERNAME: up42Account.username,
          UP42_PASSWORD: Redacted.value(up42Account.password)
        }
        await withEnv(variables, async () => {
          const module = await run()
          try {
            assert.equal(await module.collectionsStatus(), 200)
            assert.ok((await module.up42TokenExpiresAt()) > Date.now())
          } finally {
            await module.shutdown()
          }
          const apiRequests = await effect(server.requests("hydrosat", "api"))
          assert.deepEqual(urlsAndStatus(apiRequests), hydrosatApi)
          assert.match(apiRequests[0].headers["authorization"], /^Bearer \S+$/)
          assert.equal(await effect(server.requestCount("hydrosat")), 1)
          assert.equal(await effect(server.requestCount("up42-account")), 1)
        })
      }
    )
}

await runBlocks(checks)
