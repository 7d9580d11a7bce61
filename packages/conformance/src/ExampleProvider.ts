/**
 * A new provider is one record: Hydrosat's contract under another id (`example`), at the local
 * provider server, with variables of its own (`EXAMPLE_ID`, `EXAMPLE_SECRET`). Both lines'
 * `Hydrosat.test.ts` give it to their generic `Provider.layerConfig` and check that it reads
 * these variables and speaks the contract.
 */
import { Provider, Providers } from "@effect-bearer/kernel"

/** The record, with its one region at `tokenUrl` for the API at `apiOrigin`. */
export const record = (tokenUrl: string, apiOrigin: string): Provider.Provider => ({
  ...Providers.hydrosat,
  id: "example",
  regions: [{ id: "local", title: "Local", tokenUrl, apiOrigins: [apiOrigin] }],
  environment: {
    summary: "EXAMPLE_ID and EXAMPLE_SECRET",
    variables: Providers.hydrosat.environment.variables
      .filter((variable) => variable.fills !== "tokenUrl")
      .map((variable) => ({ ...variable, name: variable.secret ? "EXAMPLE_SECRET" : "EXAMPLE_ID" }))
  }
})

/** What building it says without `EXAMPLE_SECRET`. */
export const missingSecretMessage = "Invalid configuration for EXAMPLE_SECRET: is not set: set it to the client_secret of your Hydrosat creds.json"
