// The types of readme-redirect.mjs, for the tests that import it.
import type * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"

/** The real origins the blocks name, to the local server's prefixes. */
export declare const prefixes: ReadonlyMap<string, string>
/** Real provider URLs to those of the local server listening at `serverOrigin`. */
export declare const routeTo: (serverOrigin: string) => (url: string) => string
/** Where the transport sends a URL. */
export declare const routing: { route: (url: string) => string }
/** The `NodeHttpClient` module with `layerUndici` sending each request where `routing` says. */
export declare const routedNodeHttpClient: <M extends { readonly layerUndici: typeof NodeHttpClient.layerUndici }>(module: M) => M
