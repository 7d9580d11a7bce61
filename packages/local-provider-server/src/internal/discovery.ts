/**
 * An OpenID discovery document on the local provider server (OpenID Connect Discovery
 * 1.0 §4; RFC 8414 for the OAuth2 fields).
 *
 * @internal
 */
import type { SessionProviderId } from "../LocalProviderServer.js"
import { withoutEssentialField } from "./faults.js"
import type { HandlerContext } from "./providerHandler.js"
import { json } from "./wire.js"

/** The discovery endpoint; under the MissingAccessToken fault the document has no `token_endpoint`. */
export const discovery = (context: HandlerContext, provider: SessionProviderId, document: Record<string, unknown>) =>
  context.endpoint(provider, "discovery", (_, fault) => json(withoutEssentialField(fault, document, "token_endpoint")))
