/**
 * Configuration that cannot work fails when the layer is built, with a typed error
 * whose message says what to fix, and before any request: the token server, which
 * every row points at when it can, must record zero requests.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Layer, Redacted } from "effect"
import type { TokenEndpoint as TokenEndpointType } from "@effect-bearer/core"
import { ClientAuthentication, Grant, TokenEndpoint, TokenProvider } from "@effect-bearer/core"
import * as TokenServer from "../support/TokenServer.js"
import { typedFailure, withinRealTime } from "./support/Outcome.js"

const secret = Redacted.make("bad-input-secret")
const basic = (clientId: string, clientSecret = secret) => ClientAuthentication.clientSecretBasic({ clientId, clientSecret })
const post = (clientId: string, clientSecret = secret) => ClientAuthentication.clientSecretPost({ clientId, clientSecret })

interface Row {
  readonly name: string
  /** The options, given the token server's URL. */
  readonly options: (tokenUrl: string) => TokenEndpointType.Options
  readonly tag: "InvalidConfiguration" | "WrongHost"
  /** `setting` for InvalidConfiguration, `reason` for WrongHost. */
  readonly field: string
  /** An excerpt the message must contain. */
  readonly message: string
}

const rows: ReadonlyArray<Row> = [
  {
    name: "an empty client id (client_secret_basic)",
    options: (url) => ({ url, clientAuthentication: basic("") }),
    tag: "InvalidConfiguration",
    field: "clientId",
    message: "Invalid configuration for clientId: is empty"
  },
  {
    name: "a whitespace client id (client_secret_post)",
    options: (url) => ({ url, clientAuthentication: post(" \t ") }),
    tag: "InvalidConfiguration",
    field: "clientId",
    message: "Invalid configuration for clientId: is empty"
  },
  {
    name: "a whitespace client id (public client)",
    options: (url) => ({ url, clientAuthentication: ClientAuthentication.publicClient("  ") }),
    tag: "InvalidConfiguration",
    field: "clientId",
    message: "Invalid configuration for clientId: is empty"
  },
  {
    name: "an empty client secret",
    options: (url) => ({ url, clientAuthentication: basic("client", Redacted.make("")) }),
    tag: "InvalidConfiguration",
    field: "clientSecret",
    message: "Invalid configuration for clientSecret: is empty"
  },
  {
    name: "a whitespace client secret",
    options: (url) => ({ url, clientAuthentication: post("client", Redacted.make("  \n")) }),
    tag: "InvalidConfiguration",
    field: "clientSecret",
    message: "Invalid configuration for clientSecret: is empty"
  },
  {
    name: "a token URL that is not a URL",
    options: () => ({ url: "not a url", clientAuthentication: basic("client") }),
    tag: "WrongHost",
    field: "InvalidUrl",
    message: "The token endpoint is not a valid absolute URL"
  },
  {
    name: "an empty token URL",
    options: () => ({ url: "", clientAuthentication: basic("client") }),
    tag: "WrongHost",
    field: "InvalidUrl",
    message: "The token endpoint is not a valid absolute URL"
  },
  {
    name: "a relative token URL",
    options: () => ({ url: "/oauth2/token", clientAuthentication: basic("client") }),
    tag: "WrongHost",
    field: "InvalidUrl",
    message: "Configure a URL such as https://host/path."
  },
  {
    name: "a token URL with another scheme",
    options: () => ({ url: "ftp://auth.example.com/token", clientAuthentication: basic("client") }),
    tag: "WrongHost",
    field: "InvalidUrl",
    message: "The token endpoint is not a valid absolute URL"
  },
  {
    name: "a plain-http token URL",
    options: () => ({ url: "http://auth.example.com/oauth2/token", clientAuthentication: basic("client") }),
    tag: "WrongHost",
    field: "InsecureEndpoint",
    message: "Refusing to send credentials over plain http"
  },
  {
    name: "a plain-http token URL whose host only starts like a loopback address",
    options: () => ({ url: "http://127.0.0.1.nip.io/token", clientAuthentication: basic("client") }),
    tag: "WrongHost",
    field: "InsecureEndpoint",
    message: "Refusing to send credentials over plain http"
  },
  {
    name: "a plain-http token URL on localhost's look-alike",
    options: () => ({ url: "http://localhost.example.com/token", clientAuthentication: basic("client") }),
    tag: "WrongHost",
    field: "InsecureEndpoint",
    message: "plain http is allowed only for loopback addresses"
  },
  {
    name: "a plain-http revocation URL",
    options: (url) => ({ url, revocationUrl: "http://auth.example.com/revoke", clientAuthentication: basic("client") }),
    tag: "WrongHost",
    field: "InsecureEndpoint",
    message: "Refusing to send credentials over plain http"
  },
  {
    name: "credentials in the token URL",
    options: (url) => ({ url: url.replace("http://", "http://client:pass@"), clientAuthentication: basic("client") }),
    tag: "InvalidConfiguration",
    field: "url",
    message: "pass them as client authentication instead"
  },
  {
    name: "a zero timeout",
    options: (url) => ({ url, timeout: 0, clientAuthentication: basic("client") }),
    tag: "InvalidConfiguration",
    field: "timeout",
    message: "must be longer than zero"
  },
  {
    name: "a zero response size limit",
    options: (url) => ({ url, maximumResponseBytes: 0, clientAuthentication: basic("client") }),
    tag: "InvalidConfiguration",
    field: "maximumResponseBytes",
    message: "must be a positive number of bytes"
  },
  {
    name: "a response size limit that is not a number",
    options: (url) => ({ url, maximumResponseBytes: Number.NaN, clientAuthentication: basic("client") }),
    tag: "InvalidConfiguration",
    field: "maximumResponseBytes",
    message: "must be a positive number of bytes"
  }
]

/** Builds `TokenProvider.layer` with these options; returns the build's outcome. */
const buildLayer = (options: TokenEndpointType.Options) =>
  Layer.build(TokenProvider.layer({ ...options, grant: Grant.clientCredentials })).pipe(Effect.scoped)

describe("bad input fails when the layer is built, before any request", () => {
  for (const row of rows) {
    it.effect(`${row.name} → ${row.tag} (${row.field})`, () =>
      Effect.gen(function*() {
        const server = yield* TokenServer.TokenServer
        const error = yield* typedFailure(buildLayer(row.options(server.tokenUrl)))
        expect(error._tag).toBe(row.tag)
        expect(error._tag === "InvalidConfiguration" ? error.setting : error.reason).toBe(row.field)
        expect(error.message).toContain(row.message)
        // The same check through the token endpoint alone.
        const direct = yield* typedFailure(TokenEndpoint.make(row.options(server.tokenUrl)))
        expect(direct._tag).toBe(row.tag)
        expect(yield* server.requests).toEqual([])
      }).pipe(Effect.provide(TokenServer.layer), withinRealTime("10 seconds")))
  }

  for (
    const url of ["http://127.0.0.1:1/token", "http://127.8.9.10/token", "http://localhost:8080/token", "http://[::1]:8080/token"]
  ) {
    it.effect(`plain http to a loopback address is allowed: ${url}`, () =>
      Effect.map(Effect.exit(TokenEndpoint.make({ url, clientAuthentication: basic("client") })), (exit) =>
        expect(Exit.isSuccess(exit)).toBe(true)))
  }
})
