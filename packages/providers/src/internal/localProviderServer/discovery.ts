/**
 * An OpenID discovery document on the local provider server (OpenID Connect Discovery
 * 1.0 §4; RFC 8414 for the OAuth2 fields).
 *
 * @internal
 */
import { Effect } from "effect"
import type { SessionProvider } from "./issuedTokens.js"
import type { HandlerContext } from "./providerHandler.js"
import { withoutEssentialField } from "./faults.js"
import { json } from "./wire.js"

/** The discovery endpoint; under the MissingAccessToken fault the document has no `token_endpoint`. */
export const discovery = (context: HandlerContext, provider: SessionProvider, document: Record<string, unknown>) =>
  context.endpoint(provider, "discovery", (_, fault) =>
    Effect.sync(() => json(withoutEssentialField(fault, document, "token_endpoint"))))
