/**
 * The version-free local provider server on a clock the test moves, and requests as a
 * client would send them: no HTTP, no Effect, the server's `handle` called directly.
 */
import { ClientSecretBasic } from "@effect-bearer/kernel"
import { LocalProviderServer } from "@effect-bearer/local-provider-server"

/** A clock that stands still until the test moves it; sleepers wake when their time comes. */
export interface TestClock {
  readonly now: () => number
  readonly sleep: (millis: number, signal: AbortSignal | undefined) => Promise<void>
  /** Moves the time forward and wakes the sleepers whose time has come. */
  readonly adjust: (millis: number) => Promise<void>
  /** How many sleeps are waiting. */
  readonly sleeping: () => number
}

export const makeClock = (start = 0): TestClock => {
  let time = start
  const sleepers = new Set<{ readonly until: number; readonly wake: () => void }>()
  return {
    now: () => time,
    sleep: (millis, signal) =>
      new Promise((resolve, reject) => {
        const sleeper = { until: time + millis, wake: resolve }
        sleepers.add(sleeper)
        signal?.addEventListener("abort", () => {
          sleepers.delete(sleeper)
          reject(signal.reason)
        }, { once: true })
      }),
    adjust: async (millis) => {
      time += millis
      for (const sleeper of sleepers) {
        if (sleeper.until <= time) {
          sleepers.delete(sleeper)
          sleeper.wake()
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 0))
    },
    sleeping: () => sleepers.size
  }
}

/** A server on `http://127.0.0.1:8080` and the clock it runs on, which starts at `start` (epoch ms). */
export const make = (options: Partial<LocalProviderServer.Options> = {}, start = 1_700_000_000_000) => {
  const clock = makeClock(start)
  const server = LocalProviderServer.make({
    origin: "http://127.0.0.1:8080",
    now: clock.now,
    sleep: clock.sleep,
    ...options
  })
  return { server, clock }
}

/** The path and query of a URL of the server, as a request line carries it. */
const target = (url: string) => {
  const parsed = new URL(url)
  return parsed.pathname + parsed.search
}

/** A form POST as a hand-written client would send it. */
export const formPost = (
  url: string,
  form: Record<string, string>,
  headers: Record<string, string> = {}
): LocalProviderServer.WireRequest => ({
  method: "POST",
  url: target(url),
  headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
  body: new URLSearchParams(form).toString()
})

/** A request without a body, with a bearer token when given. */
export const request = (method: "GET" | "POST", url: string, token?: string): LocalProviderServer.WireRequest => ({
  method,
  url: target(url),
  headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  body: ""
})

/** `Basic base64(urlencode(id):urlencode(secret))`, as RFC 6749 §2.3.1 says. */
export const basic = (clientId: string, clientSecret: string) => ({
  authorization: ClientSecretBasic.authorization(clientId, clientSecret)
})

/** Hydrosat's client_secret_post fields. */
export const hydrosatClient = (client: LocalProviderServer.Credentials["hydrosat"]) => ({
  client_id: client.clientId,
  client_secret: client.clientSecret
})

/** The JSON body of a response. */
export const json = (response: LocalProviderServer.WireResponse) => JSON.parse(response.body) as Record<string, unknown>

/** A UP42 project token request, as the legacy curl recipe sends it, for the first project. */
export const up42ProjectTokenRequest = (server: LocalProviderServer.LocalProviderServer) => {
  const [project] = server.credentials.up42Projects
  const authorization = basic(project!.projectId, project!.projectApiKey)
  return formPost(server.urls["up42-project"].tokenUrl, { grant_type: "client_credentials" }, authorization)
}

/** A UP42 project token, as the legacy curl recipe gets it. */
export const up42ProjectToken = async (server: LocalProviderServer.LocalProviderServer) => {
  const response = await server.handle(up42ProjectTokenRequest(server))
  return (json(response) as { data: { accessToken: string } }).data.accessToken
}

/** A Hydrosat token request (client credentials, `client_secret_post`). */
export const hydrosatTokenRequest = (server: LocalProviderServer.LocalProviderServer) =>
  formPost(server.urls.hydrosat.tokenUrl, { grant_type: "client_credentials", ...hydrosatClient(server.credentials.hydrosat) })

/** A UP42 account login with the password grant. */
export const up42AccountPassword = (server: LocalProviderServer.LocalProviderServer) =>
  server.handle(
    formPost(server.urls["up42-account"].tokenUrl, {
      username: server.credentials.up42Account.username,
      password: server.credentials.up42Account.password,
      grant_type: "password",
      client_id: "up42-api"
    })
  )
