/**
 * `client_secret_basic` credentials and what the server must decode from the header (the
 * form-encoded id and secret, RFC 6749 §2.3.1), one row a case: both lines' `ClientAuthentication`
 * suites iterate it (Effect 3: `packages/core/test/ClientAuthentication.test.ts`).
 */

/** One row: a name, the client id and secret, and the decoded `id:secret` the header must carry. */
export interface Case {
  readonly name: string
  readonly clientId: string
  readonly secret: string
  readonly decoded: string
}

const row = (name: string, clientId: string, secret: string, decoded: string): Case => ({ name, clientId, secret, decoded })

export const cases: ReadonlyArray<Case> = [
  row("plain", "client", "secret", "client:secret"),
  row("a colon in the secret", "client", "se:cret", "client:se%3Acret"),
  row("a plus in the secret", "client", "se+cret", "client:se%2Bcret"),
  row("a percent in the secret", "client", "se%cret", "client:se%25cret"),
  row("a space in the secret", "client", "se cret", "client:se+cret"),
  row("non-ASCII (beyond Latin-1) in the secret", "client", "sécr€t", "client:s%C3%A9cr%E2%82%ACt"),
  row("a colon and a space in the client id", "my:client id", "s", "my%3Aclient+id:s")
]
