/**
 * Lets an example run anywhere: with the provider's credentials in the environment it
 * talks to the real provider; without them it starts a local provider server and runs
 * against it, with the environment it would need.
 */
import { Config, ConfigProvider, Console, Effect, Option } from "effect"
import type { Scope } from "effect"
import type { HttpServerError } from "effect/http"
import { LocalProviderServer, Provider } from "@effect-bearer/providers"
import { NodeLocalProviderServer } from "@effect-bearer/platform-node"
import * as Apis from "./Apis.js"

/** Whether any of the variables is set to something other than blank. */
export const anySet = (variables: ReadonlyArray<string>): Effect.Effect<boolean> =>
  Effect.map(
    Effect.all(variables.map((name) => Effect.orElseSucceed(Config.option(Config.String(name)), Option.none))),
    (values) => values.some((value) => Option.isSome(value) && value.value.trim() !== "")
  )

/**
 * Runs `program` as it is when any of the provider's credential variables is set;
 * otherwise against a local provider server, its configuration read from the server's
 * credentials and URLs.
 */
export const unlessConfigured = (
  provider: Provider.Provider,
  /** More variables for the local run, e.g. a credentials file written for it. */
  localEnvironment: (
    server: LocalProviderServer.Service
  ) => Effect.Effect<Record<string, string>, never, Scope.Scope> = () => Effect.succeed({})
) =>
<A, E, R>(program: Effect.Effect<A, E, R>): Effect.Effect<A, E | HttpServerError.ServeError, R> => {
  const variables = Provider.credentialVariables(provider)
  return Effect.flatMap(anySet(variables), (set) =>
    set ? program : Effect.scoped(Effect.gen(function*() {
      const server = yield* LocalProviderServer.LocalProviderServer
      yield* Console.error(`(${variables.join(", ")} not set: running against a local provider server at ${server.origin})`)
      const extra = yield* localEnvironment(server)
      return yield* Effect.provideService(
        program,
        ConfigProvider.ConfigProvider,
        ConfigProvider.fromEnv({ env: { ...server.environment, ...Apis.localEnvironment(server), ...extra } })
      )
    })).pipe(Effect.provide(NodeLocalProviderServer.layer())))
}
