import type * as FileSystem from "@effect/platform/FileSystem"
import type * as HttpClient from "@effect/platform/HttpClient"
import { Config, Effect, Layer, Option } from "effect"
import type { TokenError, TokenProvider } from "@effect-bearer/core"
import { Bitquery, Hydrosat, OAuth2, Up42Account, Up42Project } from "@effect-bearer/providers"
import * as CredentialsFile from "../CredentialsFile.js"

type Tokens<E, R> = Layer.Layer<TokenProvider.TokenProvider, E | TokenError.InvalidConfiguration | TokenError.WrongHost, R>

/**
 * One provider as the CLI offers it: where its credentials come from.
 * @internal
 */
export interface CliProvider {
  /** The name on the command line, e.g. `hydrosat`. */
  readonly name: string
  /** The credential environment variables; when none is set, the CLI asks for them. */
  readonly variables: ReadonlyArray<string>
  /** The variables to set, as a phrase for messages. */
  readonly environment: string
  readonly format: CredentialsFile.Format<unknown>
  readonly fromEnvironment: Tokens<never, HttpClient.HttpClient>
  readonly fromFile: (
    path: string
  ) => Tokens<CredentialsFile.CredentialsFileError, HttpClient.HttpClient | FileSystem.FileSystem>
}

/** The CLI fetches one token and exits: no background refresh to run. */
const oneShot = { backgroundRefresh: false } as const

/** Settings such as the token URL still come from the environment when the credentials come from a file. */
const optionalVariable = (variable: string): Effect.Effect<string | undefined> =>
  Config.string(variable).pipe(
    Config.option,
    Config.map(Option.filter((url) => url.trim() !== "")),
    Config.map(Option.getOrUndefined),
    Effect.orElseSucceed(() => undefined)
  )

const fromFile = <A, E, R>(
  format: CredentialsFile.Format<A>,
  tokenUrlVariable: string,
  toLayer: (credentials: A, tokenUrl: string | undefined) => Tokens<E, R>
) =>
(path: string): Tokens<E | CredentialsFile.CredentialsFileError, R | FileSystem.FileSystem> =>
  Layer.unwrapEffect(
    Effect.map(
      Effect.zip(CredentialsFile.load(path, format), optionalVariable(tokenUrlVariable)),
      ([credentials, tokenUrl]) => toLayer(credentials, tokenUrl)
    )
  )

const up42Project: CliProvider = {
  name: Up42Project.name,
  variables: ["UP42_PROJECT_ID", "UP42_PROJECT_API_KEY"],
  environment: "UP42_PROJECT_ID and UP42_PROJECT_API_KEY",
  format: CredentialsFile.up42Project,
  fromEnvironment: Up42Project.layerConfig(oneShot),
  fromFile: fromFile(CredentialsFile.up42Project, "UP42_PROJECT_TOKEN_URL", (credentials, tokenUrl) =>
    Up42Project.layer({
      ...oneShot,
      projectId: credentials.projectId,
      projectApiKey: credentials.projectApiKey,
      tokenUrl
    }))
}

const up42Account: CliProvider = {
  name: Up42Account.name,
  variables: ["UP42_USERNAME", "UP42_PASSWORD"],
  environment: "UP42_USERNAME and UP42_PASSWORD",
  format: CredentialsFile.up42Account,
  fromEnvironment: Up42Account.layerConfig(oneShot),
  fromFile: fromFile(CredentialsFile.up42Account, "UP42_TOKEN_URL", (credentials, tokenUrl) =>
    Up42Account.layer({ ...oneShot, username: credentials.username, password: credentials.password, tokenUrl }))
}

const bitquery: CliProvider = {
  name: Bitquery.name,
  variables: ["BITQUERY_CLIENT_ID", "BITQUERY_CLIENT_SECRET", "BITQUERY_ACCESS_TOKEN"],
  environment: "BITQUERY_CLIENT_ID and BITQUERY_CLIENT_SECRET (or BITQUERY_ACCESS_TOKEN for a console token)",
  format: CredentialsFile.bitquery,
  fromEnvironment: Bitquery.layerConfig(oneShot),
  fromFile: fromFile(CredentialsFile.bitquery, "BITQUERY_TOKEN_URL", (credentials, tokenUrl) =>
    credentials._tag === "StaticToken"
      ? Bitquery.layerStatic(credentials.accessToken)
      : Bitquery.layer({ ...oneShot, clientId: credentials.clientId, clientSecret: credentials.clientSecret, tokenUrl }))
}

const hydrosat: CliProvider = {
  name: Hydrosat.name,
  variables: ["HYDROSAT_CLIENT_ID", "HYDROSAT_CLIENT_SECRET"],
  environment: "HYDROSAT_CLIENT_ID and HYDROSAT_CLIENT_SECRET",
  format: CredentialsFile.hydrosat,
  fromEnvironment: Hydrosat.layerConfig(oneShot),
  fromFile: fromFile(CredentialsFile.hydrosat, "HYDROSAT_TOKEN_URL", (credentials, tokenUrl) =>
    Hydrosat.layer({ ...oneShot, clientId: credentials.clientId, clientSecret: credentials.clientSecret, tokenUrl }))
}

const oauth2: CliProvider = {
  name: OAuth2.name,
  variables: ["OAUTH2_CLIENT_ID", "OAUTH2_CLIENT_SECRET"],
  environment: "OAUTH2_TOKEN_URL (or OAUTH2_ISSUER), OAUTH2_CLIENT_ID and OAUTH2_CLIENT_SECRET",
  format: CredentialsFile.clientCredentials,
  fromEnvironment: OAuth2.layerConfig(oneShot),
  fromFile: (path) =>
    Layer.unwrapEffect(
      Effect.map(
        Effect.all([
          CredentialsFile.load(path, CredentialsFile.clientCredentials),
          optionalVariable("OAUTH2_TOKEN_URL"),
          optionalVariable("OAUTH2_ISSUER")
        ]),
        ([credentials, tokenUrl, issuer]) =>
          OAuth2.layer({
            ...oneShot,
            clientId: credentials.clientId,
            clientSecret: credentials.clientSecret,
            // Neither set: OAuth2.make says which to set.
            ...(issuer !== undefined && tokenUrl === undefined ? { issuer } : { tokenUrl })
          })
      )
    )
}

/**
 * The providers of `effect-bearer token <provider>`.
 * @internal
 */
export const all: ReadonlyArray<CliProvider> = [up42Project, up42Account, bitquery, hydrosat, oauth2]
