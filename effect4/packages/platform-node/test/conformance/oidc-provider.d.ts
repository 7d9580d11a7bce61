/**
 * The part of oidc-provider 8 (which ships no type declarations) that the conformance
 * suite uses: construct a provider for an issuer and mount it on a Node HTTP server.
 */
declare module "oidc-provider" {
  import type { IncomingMessage, ServerResponse } from "node:http"

  /** The configuration object; see the oidc-provider 8 documentation for its fields. */
  export interface Configuration {
    readonly [option: string]: unknown
  }

  export default class Provider {
    constructor(issuer: string, configuration?: Configuration)
    /** A Node request listener serving every endpoint of the provider. */
    callback(): (request: IncomingMessage, response: ServerResponse) => void
    on(event: string, listener: (...args: ReadonlyArray<unknown>) => void): this
  }
}
