import { expect, layer } from "@effect/vitest"
import * as Up42ProjectResponses from "@effect-bearer/conformance/Up42ProjectResponses"
import { Context, Duration, Effect, Layer, Redacted, Schedule } from "effect"
import { TestClock } from "effect/testing"
import type { TokenProvider } from "@effect-bearer/core"
import { ClientSecretBasic } from "@effect-bearer/kernel"
import { LocalProviderServer, Up42Project } from "@effect-bearer/providers"
import * as Server from "./support/server.js"

/** RFC 7617 with the id and key as they are: what `curl -u` sends (UP42's basicEncoding is none). */
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`

/** A project as UP42 issues them: a UUID, and a key with every character Base64 and base64url use. */
const realistic = {
  projectId: "5a21e9b2-3c4d-4e5f-8a9b-0c1d2e3f4a5b",
  projectApiKey: Redacted.make("Zk9-x_Q2+aB/cD3e=Ef4gH-5_iJ+6/k=")
}

/** The provider for the server's first project, pointed at the server. */
const firstProject = (options: Partial<Up42Project.Options> = {}) =>
  Effect.flatMap(Server.server, (server) =>
    Up42Project.make({ ...server.credentials.up42Projects[0]!, tokenUrl: server.urls["up42-project"].tokenUrl, ...options }))

const apiAnswer = (token: Redacted.Redacted<string>) =>
  Effect.flatMap(Server.server, (server) => Server.callApi(server.urls["up42-project"].apiUrl, token))

layer(Server.layer())("Up42Project", (it) => {
  it.effect("takes the token from data.accessToken and its 5-minute lifetime from the JWT exp claim", () =>
    Effect.gen(function*() {
      const server = yield* Server.fresh
      const token = yield* (yield* firstProject()).get
      expect(token.lifetimeSource).toBe("jwt")
      expect(Duration.toSeconds(token.lifetime)).toBe(300)
      expect(yield* apiAnswer(token.value)).toEqual({
        status: 200,
        body: { data: [{ id: server.credentials.up42Projects[0]!.projectId, name: "Local project" }], error: null }
      })
    }))

  it.effect("the curl habit in code: a token URL with the project ID and key in it fails naming the variables, never the key", () =>
    Effect.gen(function*() {
      const server = yield* Server.fresh
      const project = server.credentials.up42Projects[0]!
      const key = Redacted.value(project.projectApiKey)
      const pasted = server.urls["up42-project"].tokenUrl.replace("http://", `http://${project.projectId}:${key}@`)
      // From UP42_PROJECT_TOKEN_URL (and under a prefix): Configuration.test.ts.
      const inCode = yield* Effect.flip(firstProject({ tokenUrl: pasted }))
      expect(inCode).toMatchObject({ _tag: "InvalidConfiguration", setting: "tokenUrl" })
      expect(inCode.message).toContain("set UP42_PROJECT_ID and UP42_PROJECT_API_KEY instead")
      expect(`${inCode.message} ${JSON.stringify(inCode)} ${String(inCode)}`).not.toContain(key)
      expect(yield* server.requestCount("up42-project")).toBe(0)
    }))

  // Changes the server's credentials: a server of its own.
  it.effect("sends realistic project IDs and keys (with - _ + / =) in the Basic header as they are, as curl -u does", () =>
    Effect.gen(function*() {
      const server = yield* Server.server
      const token = yield* (yield* Up42Project.make({ ...realistic, tokenUrl: server.urls["up42-project"].tokenUrl })).get
      expect((yield* apiAnswer(token.value)).status).toBe(200)
      const [request] = yield* server.requests("up42-project")
      expect(request?.headers["authorization"]).toBe(basic(realistic.projectId, Redacted.value(realistic.projectApiKey)))
      expect(request?.headers["authorization"]).not.toBe(
        ClientSecretBasic.authorization(realistic.projectId, Redacted.value(realistic.projectApiKey))
      )
    }).pipe(Effect.provide(Server.layer({ credentials: { up42Projects: [realistic] } }))))

  it.effect("takes the token from the top-level accessToken when data.accessToken is absent, over HTTP", () =>
    Effect.gen(function*() {
      const server = yield* Server.fresh
      yield* server.setFault("up42-project", LocalProviderServer.topLevelAccessToken, { times: 1 })
      const token = yield* (yield* firstProject()).get
      expect(token.lifetimeSource).toBe("jwt")
      expect((yield* apiAnswer(token.value)).status).toBe(200)
    }))

  it.effect("a response with neither data.accessToken nor accessToken is InvalidTokenResponse with UP42's hint", () =>
    Effect.gen(function*() {
      const server = yield* Server.fresh
      yield* server.setFault("up42-project", LocalProviderServer.missingAccessToken, { times: 1 })
      const error = yield* Effect.flip((yield* firstProject({ retry: Schedule.recurs(0) })).get)
      expect(error).toMatchObject({ _tag: "InvalidTokenResponse" })
      expect(error.message).toContain("A project token arrives at data.accessToken (or the top-level accessToken) of the response.")
    }))

  it.effect("follows the JWT exp claim when the server issues shorter tokens", () =>
    Effect.gen(function*() {
      const server = yield* Server.server
      yield* server.setLifetime("up42-project", "2 minutes")
      const token = yield* (yield* firstProject()).get
      expect(Duration.toSeconds(token.lifetime)).toBe(120)
    }).pipe(Effect.provide(Server.layer())))

  it.effect("assumes 300 s when the token is not a JWT", () =>
    Effect.gen(function*() {
      const server = yield* Server.fresh
      yield* server.setFault("up42-project", LocalProviderServer.opaqueToken)
      const token = yield* (yield* firstProject()).get
      expect(token.lifetimeSource).toBe("default")
      expect(Duration.toSeconds(token.lifetime)).toBe(300)
    }))

  it("reads the token at data.accessToken, else at the top-level accessToken", () => {
    Up42ProjectResponses.check(expect, Up42Project.toStandardResponse)
  })

  it.effect("renews the 5-minute token in the background before it expires", () =>
    Effect.gen(function*() {
      const server = yield* Server.fresh
      const provider = yield* firstProject(Server.jumpingClock)
      const first = yield* provider.get
      yield* TestClock.adjust("270 seconds")
      // The renewal is on the wire while the first token is still served; wait for it to land.
      yield* Server.waitUntil(Effect.map(provider.get, (token) => Redacted.value(token.value) !== Redacted.value(first.value)))
      expect(yield* server.requestCount("up42-project")).toBe(2)
      expect((yield* apiAnswer((yield* provider.get).value)).status).toBe(200)
    }))

  it.effect("runs several projects side by side, each under its own service key with its own token", () => {
    class Fields extends Context.Service<Fields, TokenProvider.Service>()("test/Fields") {}
    class Forests extends Context.Service<Forests, TokenProvider.Service>()("test/Forests") {}
    const projects = Layer.unwrap(Effect.map(Server.server, (server) => {
      const [fields, forests] = server.credentials.up42Projects
      const tokenUrl = server.urls["up42-project"].tokenUrl
      return Layer.mergeAll(
        Layer.effect(Fields, Up42Project.make({ ...fields!, tokenUrl })),
        Layer.effect(Forests, Up42Project.make({ ...forests!, tokenUrl }))
      )
    }))
    return Effect.gen(function*() {
      const server = yield* Server.fresh
      const [fields, forests] = server.credentials.up42Projects
      yield* Effect.gen(function*() {
        const fieldsToken = yield* (yield* Fields).get
        const forestsToken = yield* (yield* Forests).get
        expect(yield* apiAnswer(fieldsToken.value)).toMatchObject({ body: { data: [{ id: fields!.projectId }] } })
        expect(yield* apiAnswer(forestsToken.value)).toMatchObject({ body: { data: [{ id: forests!.projectId }] } })
        expect((yield* Fields).name).toBe(`up42-project:${fields!.projectId}`)
      }).pipe(Effect.provide(projects))
      expect((yield* server.requests("up42-project")).map((request) => request.headers["authorization"])).toEqual([
        basic(fields!.projectId, Redacted.value(fields!.projectApiKey)),
        basic(forests!.projectId, Redacted.value(forests!.projectApiKey))
      ])
    })
  })

  it.effect("layerConfig reads UP42_PROJECT_ID, UP42_PROJECT_API_KEY and UP42_PROJECT_TOKEN_URL", () =>
    Effect.gen(function*() {
      const server = yield* Server.fresh
      const token = yield* Server.tokenWith(Up42Project.layerConfig(), server.environment)
      expect((yield* apiAnswer(token.value)).status).toBe(200)
    }))

  it.effect("makeConfig with a prefix reads a second project's variables", () =>
    Effect.gen(function*() {
      const server = yield* Server.fresh
      const forests = server.credentials.up42Projects[1]!
      const provider = yield* Up42Project.makeConfig({ prefix: "FORESTS" }).pipe(Server.withEnvironment({
        FORESTS_UP42_PROJECT_ID: forests.projectId,
        FORESTS_UP42_PROJECT_API_KEY: Redacted.value(forests.projectApiKey),
        FORESTS_UP42_PROJECT_TOKEN_URL: server.urls["up42-project"].tokenUrl
      }))
      const token = yield* provider.get
      expect(yield* apiAnswer(token.value)).toMatchObject({ body: { data: [{ id: forests.projectId }] } })
    }))

  it.effect("fails when the layer is built when the project ID or API key given in code is blank", () =>
    Effect.gen(function*() {
      const blankKey = yield* Server.failureWith(Up42Project.layer({ projectId: "p", projectApiKey: Redacted.make(" ") }), {})
      expect(blankKey).toMatchObject({ _tag: "InvalidConfiguration", setting: "projectApiKey" })
      const blankId = yield* Server.failureWith(Up42Project.layer({ projectId: "", projectApiKey: Redacted.make("k") }), {})
      expect(blankId).toMatchObject({ _tag: "InvalidConfiguration", setting: "projectId" })
    }))

  it.effect("a 503 is TemporarilyUnavailable, and the default retry gets past one", () =>
    Effect.gen(function*() {
      const server = yield* Server.fresh
      yield* server.setFault("up42-project", LocalProviderServer.serverError(503), { times: 1 })
      const error = yield* Effect.flip((yield* firstProject({ retry: Schedule.recurs(0) })).get)
      expect(error).toMatchObject({ _tag: "TemporarilyUnavailable", reason: "ServerError", status: 503 })
      yield* server.setFault("up42-project", LocalProviderServer.serverError(503), { times: 1 })
      const fiber = yield* Effect.forkChild((yield* firstProject({ backgroundRefresh: false })).get)
      const token = yield* Server.advanceUntilDone(fiber, "100 millis")
      expect(token.lifetimeSource).toBe("jwt")
      expect(yield* server.requestCount("up42-project")).toBe(3)
    }))
})
