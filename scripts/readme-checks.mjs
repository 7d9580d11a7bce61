// What the README's runnable blocks must do when they run in an outside project, version-free: both lines'
// runners (readme-outside.mjs for Effect 3, readme-outside-effect4.mjs for Effect 4) give it a local provider
// server as plain functions ({ credentials, requests(provider, endpoint), requestCount(provider) } returning
// promises) and a `run` that imports the compiled block.
import assert from "node:assert/strict"
import { readFileSync } from "node:fs"
import { pathToFileURL } from "node:url"

/** Polls `check` until it returns a value other than `undefined` (10 s at most). */
export const eventually = async (what, check) => {
  const deadline = Date.now() + 10_000
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** Runs `body` with these environment variables set, and removes them after. */
export const withEnv = async (variables, body) => {
  Object.assign(process.env, variables)
  try {
    return await body()
  } finally {
    for (const name of Object.keys(variables)) delete process.env[name]
  }
}

/** The Hydrosat API request the blocks make, as the server recorded it: its path and status. */
export const hydrosatApi = [["/hydrosat/stac/collections", 200]]
/** Recorded requests as `[url, status]` pairs. */
export const urlsAndStatus = (requests) => requests.map((request) => [request.url, request.status])

/**
 * "Your first provider" (and its Effect 4 twin): with only the Hydrosat variables set, the block makes one token
 * request and one STAC request carrying `Authorization: Bearer`.
 */
export const firstProvider = async (server, run, clientSecret) =>
  withEnv({ HYDROSAT_CLIENT_ID: server.credentials.hydrosat.clientId, HYDROSAT_CLIENT_SECRET: clientSecret }, async () => {
    await run()
    const [request] = await eventually("the STAC request", async () => {
      const requests = await server.requests("hydrosat", "api")
      return requests.length > 0 ? requests : undefined
    })
    assert.deepEqual(urlsAndStatus([request]), hydrosatApi)
    assert.match(request.headers["authorization"], /^Bearer \S+$/)
    assert.equal(await server.requestCount("hydrosat"), 1)
  })

/** Runs each block listed in the blocks file (argv[2]) under its check from `checks`, by section. */
export const runBlocks = async (checks) => {
  const blocks = JSON.parse(readFileSync(process.argv[2], "utf8"))
  for (const { page, section, compiled } of blocks) {
    const check = checks[section]
    if (check === undefined) throw new Error(`${page} "${section}" runs a program that the runner has no check for`)
    await check(() => import(pathToFileURL(compiled).href))
    console.log(`ran ${page} "${section}"`)
  }
}
