/**
 * Redirects from an authorization server that must not make a client send its credentials
 * anywhere else: the table both lines' redirect suites run (Effect 3:
 * `packages/core/test/faults/Redirects.test.ts`, Effect 4:
 * `effect4/packages/core/test/Redirects.test.ts`). Every row expects `WrongHost`
 * (`Redirect`) naming the target's origin, and nothing received by the target.
 */

/** How the client authenticates: the secret in the form body, or in the Basic header. */
export type ClientAuthentication = "client_secret_post" | "client_secret_basic"

/** Where a redirect points: another host of this machine, or the token endpoint's own origin. */
export type Target = "another host" | "the same origin, another path"

/** One redirect of the token endpoint. */
export interface TokenEndpointRedirect {
  readonly status: number
  readonly clientAuthentication: ClientAuthentication
  readonly target: Target
}

/**
 * The target's URL: `elsewhere` (a recording server's URL on 127.0.0.1) under the name
 * `localhost`, or the token endpoint `self` with another path.
 */
export const targetUrl = (target: Target, elsewhere: string, self: string): string =>
  target === "another host" ? elsewhere.replace("127.0.0.1", "localhost") : self.replace("/token", "/elsewhere")

const targets: ReadonlyArray<Target> = ["another host", "the same origin, another path"]

/**
 * Every redirect status with `client_secret_post` to both targets, and for 307 and 308
 * (which would resend the POST body) `client_secret_basic`'s header to another host.
 */
export const tokenEndpointRedirects: ReadonlyArray<TokenEndpointRedirect> = [
  ...[301, 302, 303, 307, 308].flatMap((status) =>
    targets.map((target) => ({ status, clientAuthentication: "client_secret_post" as const, target }))
  ),
  ...[307, 308].map((status) => ({ status, clientAuthentication: "client_secret_basic" as const, target: "another host" as const }))
]

/** The redirect statuses of the discovery document, each to another host. */
export const discoveryRedirectStatuses: ReadonlyArray<number> = [301, 302, 307, 308]
