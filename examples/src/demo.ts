/**
 * The effect-bearer demo: `pnpm demo`.
 *
 * For UP42 (project and account credentials), Bitquery and Hydrosat it shows a token
 * acquired, repeat calls served from the cache, the background refresh renewing a
 * short-lived token while calls continue, a 401 from the API recovered by one refresh,
 * and each documented failure as its typed error. It needs nothing but Node: providers
 * without credentials in the environment are played by the local provider server, whose
 * tokens live 6 seconds here so that the whole story fits in a few seconds.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Array, Clock, Console, Effect, Logger, LogLevel, Option, Redacted } from "effect"
import type { AccessToken } from "@effect-bearer/core"
import { BearerHttpClient } from "@effect-bearer/core"
import * as DemoScript from "@effect-bearer/conformance/DemoScript"
import { LocalProviderServer } from "@effect-bearer/providers"
import { NodeLocalProviderServer } from "@effect-bearer/platform-node"
import * as Output from "./demo/Output.js"
import * as Subject from "./demo/Subject.js"
import * as Apis from "./support/Apis.js"

const { failures, introduction: script, lifetimeOrigin, lifetimeSeconds, sections } = DemoScript

const sameToken = (a: AccessToken.AccessToken, b: AccessToken.AccessToken) =>
  Redacted.value(a.value) === Redacted.value(b.value)

/** Ends the demo with a failure when what it shows did not happen. */
const check = (condition: boolean, what: string) =>
  condition ? Effect.void : Effect.dieMessage(DemoScript.expected(what))

// ---------------------------------------------------------------------------------------

const introduction = (server: LocalProviderServer.Service, subjects: ReadonlyArray<Subject.Subject>) =>
  Effect.gen(function*() {
    yield* Output.title("effect-bearer demo")
    yield* Output.paragraph(script.summary)
    const local = subjects.filter((subject) => subject.source === "local")
    if (local.length > 0) {
      yield* Output.paragraph(script.local(local.length === subjects.length, server.origin, local.map((s) => s.name)))
    }
    yield* Console.log("")
    for (const subject of subjects) {
      yield* Output.row(subject.name, script.source(subject.source === "local", subject.tokenEndpoint))
    }
  })

const tokenAcquired = (subjects: ReadonlyArray<Subject.Subject>) =>
  Effect.gen(function*() {
    yield* Output.section(1, sections.tokens)
    for (const subject of subjects) {
      const token = yield* subject.tokens.get
      const now = yield* Clock.currentTimeMillis
      const refresh = Option.match(Subject.refreshExpiry(token), {
        onNone: () => "",
        onSome: (expiresAt) => `, with a refresh token for the next ${Output.seconds(expiresAt - now)}`
      })
      yield* Output.row(
        subject.name,
        `token ${subject.nameOf(token)} ${String(token.value)}: expires in ${Output.seconds(token.expiresAt - now)} ` +
          `(lifetime from ${lifetimeOrigin[token.lifetimeSource]})${refresh}. ` +
          `Token requests so far: ${yield* subject.tokenRequests}.`
      )
    }
  })

const servedFromCache = (subjects: ReadonlyArray<Subject.Subject>) =>
  Effect.gen(function*() {
    yield* Output.section(2, sections.cache)
    for (const subject of subjects) {
      const before = yield* subject.tokenRequests
      const first = yield* subject.tokens.get
      const tokens = yield* Effect.all(Array.makeBy(10, () => subject.tokens.get), { concurrency: "unbounded" })
      const more = yield* Effect.all(Array.makeBy(9, () => subject.tokens.get))
      const after = yield* subject.tokenRequests
      const same = [...tokens, ...more].every((token) => sameToken(token, first))
      yield* check(same && after === before, `${subject.name}'s repeat calls to be served from the cache`)
      yield* Output.row(
        subject.name,
        `20 calls, token ${subject.nameOf(first)} every time. Token requests: ${before} before, ${after} after.`
      )
    }
  })

/** Calls the API every 400 ms until the token has been renewed (and a few calls after). */
const watchRenewal = (subject: Subject.Subject) =>
  Effect.gen(function*() {
    const first = yield* subject.tokens.get
    const requestsBefore = yield* subject.tokenRequests
    const statuses: Array<number> = []
    let renewed: AccessToken.AccessToken | undefined
    let callsAfterRenewal = 0
    while (callsAfterRenewal < 3 && (yield* Clock.currentTimeMillis) < first.expiresAt + 3000) {
      statuses.push(yield* subject.callApi)
      const current = yield* subject.tokens.get
      if (renewed === undefined && !sameToken(current, first)) renewed = current
      if (renewed !== undefined) callsAfterRenewal++
      yield* Effect.sleep("400 millis")
    }
    return {
      subject,
      first,
      renewed,
      statuses,
      requestsBefore,
      requestsAfter: yield* subject.tokenRequests,
      grants: yield* subject.tokenRequestsSince(requestsBefore)
    }
  })

const backgroundRefresh = (subjects: ReadonlyArray<Subject.Subject>) =>
  Effect.gen(function*() {
    yield* Output.section(3, sections.refresh)
    const local = subjects.filter((subject) => subject.source === "local")
    const watched = yield* Effect.all(local.map(watchRenewal), { concurrency: "unbounded" })
    for (const subject of subjects) {
      const result = watched.find((entry) => entry.subject === subject)
      if (result === undefined) {
        const status = yield* subject.callApi
        const token = yield* subject.tokens.get
        const lifetime = token.expiresAt - token.issuedAt
        yield* Output.row(
          subject.name,
          `${subject.apiRequest} → ${status} with token ${subject.nameOf(token)}, which lives ` +
            `${Output.seconds(lifetime)}: the background refresh will renew it ${Output.seconds(lifetime * 0.8)} to ` +
            `${Output.seconds(lifetime * 0.9)} after it was issued, while calls go on. This demo does not wait ` +
            "that long for a real provider."
        )
        continue
      }
      const { first, grants, renewed, requestsAfter, requestsBefore, statuses } = result
      const ok = statuses.filter((status) => status === 200).length
      yield* check(renewed !== undefined, `${subject.name}'s token to be renewed in the background`)
      yield* check(ok === statuses.length, `every call to ${subject.name}'s API to succeed`)
      if (renewed === undefined) continue
      yield* Output.row(
        subject.name,
        `${statuses.length} API calls (${subject.apiRequest}), all answered 200. Token ${subject.nameOf(first)} was ` +
          `replaced by ${subject.nameOf(renewed)} ${Output.seconds(renewed.issuedAt - first.issuedAt)} into its ` +
          `${Output.seconds(first.expiresAt - first.issuedAt)} life, before it expired` +
          `${grants.length > 0 ? ` (token request: ${grants.join(", ")})` : ""}. ` +
          `Token requests: ${requestsBefore} before, ${requestsAfter} after.`
      )
    }
  })

const recoveredAfter401 = (server: LocalProviderServer.Service, subjects: ReadonlyArray<Subject.Subject>) =>
  Effect.gen(function*() {
    yield* Output.section(4, {
      ...sections.recovery,
      explanation: `${sections.recovery.explanation} (The client also logs each replay at Info level; this demo turns ` +
        "logs off to keep its output short.)"
    })
    for (const subject of subjects) {
      if (subject.source === "real") {
        yield* Output.row(subject.name, "not shown for a real provider: its tokens cannot be revoked from here.")
        continue
      }
      const before = yield* subject.tokens.get
      const tokenRequests = yield* subject.tokenRequests
      const apiRequests = yield* subject.apiRequests
      yield* server.revokeTokens(subject.id)
      const status = yield* subject.callApi
      const after = yield* subject.tokens.get
      const grants = yield* subject.tokenRequestsSince(tokenRequests)
      const apiRequestsAfter = yield* subject.apiRequests
      yield* check(status === 200 && !sameToken(before, after), `${subject.name}'s API call to recover from the 401`)
      yield* check(apiRequestsAfter - apiRequests === 2, `${subject.name}'s request to be sent exactly twice`)
      yield* Output.row(
        subject.name,
        `${subject.apiRequest} → ${status}. The API refused the revoked token ${subject.nameOf(before)} with 401; ` +
          `the client fetched ${subject.nameOf(after)} (token request: ${grants.join(", then ")}) and sent the ` +
          `request again: ${apiRequestsAfter - apiRequests} API requests for one call.` +
          (grants.length > 1
            ? " The refresh token had been revoked too, so the library fell back to the original grant by itself."
            : "")
      )
    }
  })

interface FailureCase {
  readonly what: string
  readonly expected: string
  readonly run: Effect.Effect<unknown, { readonly _tag: string; readonly message: string }, HttpClient.HttpClient>
}

const failureCases = (id: Subject.Id, server: LocalProviderServer.Service): ReadonlyArray<FailureCase> => {
  const firstToken = (options: Subject.LocalOptions) =>
    Effect.scoped(Effect.flatMap(Subject.localTokens(id, server, options), (tokens) => tokens.get))
  const runs: Record<(typeof failures)[number]["expected"], FailureCase["run"]> = {
    InvalidCredentials: firstToken({ wrongCredentials: true }),
    WrongHost: firstToken({ tokenUrl: Subject.wrongHostUrl(id, server) }),
    // The library always sends a form, so the server is told to answer 415 once, as
    // the provider does when Content-Type or grant_type is missing.
    UnsupportedMediaType: Effect.zipRight(
      server.setFault(id, LocalProviderServer.status(415), { times: 1 }),
      firstToken({})
    ),
    // The API refuses the token, and then the fresh one too: nothing more a client can do.
    Expired: Effect.scoped(Effect.gen(function*() {
      const tokens = yield* Subject.localTokens(id, server)
      const baseUrl = Apis.localBaseUrls(server)[id]
      const client = BearerHttpClient.withTokenErrors(
        yield* BearerHttpClient.make(yield* HttpClient.HttpClient, tokens, { origins: [server.origin] })
      )
      yield* server.setFault(id, LocalProviderServer.status(401), { endpoint: "api", times: 2 })
      return yield* client.execute(Apis.protectedRequest(id, baseUrl))
    }))
  }
  return failures.map((failure) => ({ ...failure, run: runs[failure.expected] }))
}

const documentedFailures = (server: LocalProviderServer.Service) =>
  Effect.gen(function*() {
    yield* Output.section(5, sections.failures)
    for (const id of Subject.ids) {
      yield* Output.subheading(Subject.names[id])
      for (const failure of failureCases(id, server)) {
        const outcome = yield* Effect.either(failure.run)
        yield* check(
          outcome._tag === "Left" && outcome.left._tag === failure.expected,
          `${failure.what} to fail with ${failure.expected} for ${Subject.names[id]}`
        )
        if (outcome._tag === "Left") yield* Output.failure(failure.what, outcome.left._tag, outcome.left.message)
      }
    }
  })

// ---------------------------------------------------------------------------------------

const program = Effect.gen(function*() {
  const startedAt = yield* Clock.currentTimeMillis
  const server = yield* LocalProviderServer.LocalProviderServer
  const subjects: Array<Subject.Subject> = []
  for (const id of Subject.ids) {
    subjects.push(
      yield* Subject.make(id, server).pipe(
        Effect.catchAll((error) =>
          Console.log(`${Subject.names[id]}: your settings cannot be used (${error.message}); using the local server.`)
            .pipe(Effect.zipRight(Subject.make(id, server, { forceLocal: true })))
        )
      )
    )
  }
  yield* introduction(server, subjects)
  yield* tokenAcquired(subjects)
  yield* servedFromCache(subjects)
  yield* backgroundRefresh(subjects)
  yield* recoveredAfter401(server, subjects)
  yield* documentedFailures(server)
  const total = yield* Effect.reduce(subjects, 0, (sum, subject) => Effect.map(subject.tokenRequests, (n) => sum + n))
  yield* Output.paragraph(
    `Done in ${Output.seconds((yield* Clock.currentTimeMillis) - startedAt)}: ${total} token requests for ` +
      `${subjects.length} providers, and not one token, secret or password printed.`
  )
})

const lifetime = `${lifetimeSeconds} seconds`

program.pipe(
  Effect.scoped,
  Logger.withMinimumLogLevel(LogLevel.None),
  Effect.provide(
    NodeLocalProviderServer.layerTest({
      lifetimes: Object.fromEntries(Subject.ids.map((id) => [id, lifetime]))
    })
  ),
  NodeRuntime.runMain
)
