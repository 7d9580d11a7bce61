/**
 * The local provider server's credentials as each provider's `make` takes them, for the
 * tables' runners: the options under the record's names for them (UP42 projects:
 * `projectId`, `projectApiKey`), each secret marked so that a line wraps it in its own
 * `Redacted`, the client id a request sends, and the values the tables' placeholders stand
 * for (`$clientId`, `$clientSecret`, `$username`, `$password`, `$basic`).
 */

/** The providers of the local provider server, as their records name them. */
export type Id = "up42-project" | "up42-account" | "bitquery" | "hydrosat" | "oauth2"

/** The server's credentials, secrets in plain text (each line reveals its own). */
export interface Credentials {
  readonly up42Projects: ReadonlyArray<{ readonly projectId: string; readonly projectApiKey: string }>
  readonly up42Account: { readonly username: string; readonly password: string; readonly clientId: string }
  readonly bitquery: { readonly clientId: string; readonly clientSecret: string }
  readonly hydrosat: { readonly clientId: string; readonly clientSecret: string }
  readonly oauth2: { readonly clientId: string; readonly clientSecret: string }
}

/** One `make` option; a `secret` one becomes the line's `Redacted`. */
export interface Option {
  readonly value: string
  readonly secret: boolean
}

/** A provider's `make` options for the server's credentials, and what the tables compare with. */
export interface Made {
  readonly options: Readonly<Record<string, Option>>
  /** The client id its token requests send. */
  readonly clientId: string
  /** What the tables' `$` placeholders stand for. */
  readonly placeholders: Readonly<Record<string, string>>
}

const plain = (value: string): Option => ({ value, secret: false })
const secret = (value: string): Option => ({ value, secret: true })

/** RFC 7617's `Basic base64(id:secret)` of the values as they are (the `curl -u` header). */
const basic = (id: string, key: string): string => `Basic ${Buffer.from(`${id}:${key}`).toString("base64")}`

/**
 * The options for the server's credentials of a provider (its first UP42 project), with the
 * secret (client secret, project API key or password) replaced by `wrongSecret` when given.
 */
export const of = (id: Id, credentials: Credentials, wrongSecret?: string | undefined): Made => {
  switch (id) {
    case "up42-project": {
      const project = credentials.up42Projects[0]!
      return {
        options: { projectId: plain(project.projectId), projectApiKey: secret(wrongSecret ?? project.projectApiKey) },
        clientId: project.projectId,
        placeholders: { basic: basic(project.projectId, project.projectApiKey) }
      }
    }
    case "up42-account": {
      const account = credentials.up42Account
      return {
        options: { username: plain(account.username), password: secret(wrongSecret ?? account.password) },
        clientId: account.clientId,
        placeholders: { username: account.username, password: account.password }
      }
    }
    default: {
      const client = credentials[id]
      return {
        options: { clientId: plain(client.clientId), clientSecret: secret(wrongSecret ?? client.clientSecret) },
        clientId: client.clientId,
        placeholders: { clientId: client.clientId, clientSecret: client.clientSecret }
      }
    }
  }
}

/**
 * The server's credentials in plain text: every value `reveal` recognises as a secret (it
 * returns `undefined` for anything else) replaced by what it holds.
 */
export const revealed = (credentials: unknown, reveal: (value: unknown) => string | undefined): Credentials => {
  const walk = (value: unknown): unknown => {
    const secretValue = reveal(value)
    if (secretValue !== undefined) return secretValue
    if (Array.isArray(value)) return value.map(walk)
    if (typeof value === "object" && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, walk(field)]))
    }
    return value
  }
  return walk(credentials) as Credentials
}

/** The options as a line's `make` takes them: each secret through `conceal` (the line's `Redacted.make`). */
export const concealed = <Secret>(
  options: Readonly<Record<string, Option>>,
  conceal: (value: string) => Secret
): Record<string, string | Secret> =>
  Object.fromEntries(Object.entries(options).map(([name, option]) => [name, option.secret ? conceal(option.value) : option.value]))
