/**
 * The plain view of the local provider server that the version-free fault tables read
 * (`@effect-bearer/conformance/CliBadInputCases`), and its request count over every endpoint.
 */
import * as CliBadInputCases from "@effect-bearer/conformance/CliBadInputCases"
import * as LocalProviderServer from "@effect-bearer/providers/LocalProviderServer"
import { Effect, Redacted } from "effect"

/** The server's facts, secrets in plain text (test credentials). */
export const of = (server: LocalProviderServer.Service): CliBadInputCases.ServerFacts => CliBadInputCases.factsOf(server, Redacted.value)

/** Requests of every endpoint of every provider, so that "zero" means nothing at all. */
export const allRequests = (server: LocalProviderServer.Service) =>
  Effect.map(
    Effect.all(
      LocalProviderServer.providerIds.flatMap((id) =>
        (["token", "api", "discovery", "revocation"] as const).map((endpoint) => server.requestCount(id, endpoint))
      )
    ),
    (counts) => counts.reduce((a, b) => a + b, 0)
  )
