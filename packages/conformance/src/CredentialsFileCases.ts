/**
 * The credentials-file cases both lines' `CredentialsFile.load` run: a file's content and mode,
 * the format it is read with, and what comes out (the credentials' plain fields, or the error's
 * tag and fields). Every content holds {@link secret}, which no error may show. Each line's runner
 * writes the file, loads it, and checks the outcome with {@link checkLoaded} or {@link checkRefused}.
 */
import type { Expect } from "./Expect.js"

/** A value that must never appear in an error, its message or its printed forms. */
export const secret = "s3cr3t-value-that-must-never-print"

/** The formats of `CredentialsFile`, by their export name. */
export type FormatName = "hydrosat" | "clientCredentials" | "up42Project" | "up42Account" | "bitquery"

/** One file and what loading it gives. */
export interface Case {
  readonly name: string
  readonly content: string
  readonly mode: number
  readonly format: FormatName
  /** `requirePrivate` of the load options, when not the default. */
  readonly requirePrivate?: boolean
  /** The credentials' tag and plain fields, and the secret field holding {@link secret} as `Redacted`. */
  readonly loads?: { readonly fields: Readonly<Record<string, string>>; readonly secretField: string }
  /** The error's tag and fields, and texts its message must contain. */
  readonly fails?: {
    readonly fields: Readonly<Record<string, unknown>>
    readonly messageContains?: ReadonlyArray<string>
    /** A text the message shows right before the file's path (the advice's command). */
    readonly messageContainsBeforePath?: string
    /** Whether the message shows the format's expected shape. */
    readonly showsExpected?: boolean
  }
}

const json = (value: unknown) => JSON.stringify(value)
const hydrosatFile = json({ client_id: "id", client_secret: secret })

/** Files that load. */
export const loading: ReadonlyArray<Case> = [
  {
    name: "Hydrosat's creds.json, the secret Redacted",
    content: json({ client_id: "my-client", client_secret: secret }),
    mode: 0o600,
    format: "hydrosat",
    loads: { fields: { _tag: "ClientCredentials", clientId: "my-client" }, secretField: "clientSecret" }
  },
  {
    name: "a read-only file (chmod 400)",
    content: json({ client_id: "my-client", client_secret: secret }),
    mode: 0o400,
    format: "clientCredentials",
    loads: { fields: { clientId: "my-client" }, secretField: "clientSecret" }
  },
  {
    name: "a file with fields it does not know",
    content: json({ client_id: "id", client_secret: secret, note: "prod" }),
    mode: 0o600,
    format: "hydrosat",
    loads: { fields: { clientId: "id" }, secretField: "clientSecret" }
  },
  {
    name: "UP42 project credentials",
    content: json({ project_id: "project-1", project_api_key: secret }),
    mode: 0o600,
    format: "up42Project",
    loads: { fields: { _tag: "ProjectCredentials", projectId: "project-1" }, secretField: "projectApiKey" }
  },
  {
    name: "UP42 account credentials",
    content: json({ username: "me@example.com", password: secret }),
    mode: 0o600,
    format: "up42Account",
    loads: { fields: { _tag: "AccountCredentials", username: "me@example.com" }, secretField: "password" }
  },
  {
    name: "a Bitquery application's id and secret",
    content: json({ client_id: "bq-app", client_secret: secret }),
    mode: 0o600,
    format: "bitquery",
    loads: { fields: { _tag: "ClientCredentials", clientId: "bq-app" }, secretField: "clientSecret" }
  },
  {
    name: "a Bitquery console token",
    content: json({ access_token: secret }),
    mode: 0o600,
    format: "bitquery",
    loads: { fields: { _tag: "StaticToken" }, secretField: "accessToken" }
  },
  {
    name: "a group-readable file when requirePrivate is false",
    content: hydrosatFile,
    mode: 0o644,
    format: "hydrosat",
    requirePrivate: false,
    loads: { fields: { clientId: "id" }, secretField: "clientSecret" }
  }
]

/** Files that are refused, with the error each gives. */
export const refusing: ReadonlyArray<Case> = [
  ...[0o644, 0o640, 0o604, 0o660, 0o666].map((mode): Case => ({
    name: `permissions ${mode.toString(8)}, with the advice to chmod 600`,
    content: hydrosatFile,
    mode,
    format: "hydrosat",
    fails: {
      fields: { _tag: "InsecureCredentialsFile" },
      messageContains: ["chmod 600 ", mode.toString(8)],
      messageContainsBeforePath: "chmod 600 "
    }
  })),
  {
    name: "invalid JSON, without quoting the content",
    content: `{"client_id":"id","client_secret":"${secret}",}`,
    mode: 0o600,
    format: "hydrosat",
    fails: { fields: { _tag: "InvalidCredentialsFile", reason: "NotJson" }, messageContains: ["not valid JSON"] }
  },
  {
    name: "JSON that is not an object",
    content: json(["id", secret]),
    mode: 0o600,
    format: "hydrosat",
    fails: { fields: { _tag: "InvalidCredentialsFile", reason: "NotAnObject" } }
  },
  {
    name: "a missing field, with the expected shape",
    content: json({ client_id: "id" }),
    mode: 0o600,
    format: "hydrosat",
    fails: {
      fields: { _tag: "InvalidCredentialsFile", reason: "MissingField", field: "client_secret" },
      messageContains: [`has no "client_secret" field`],
      showsExpected: true
    }
  },
  {
    name: "an empty field",
    content: json({ project_id: "  ", project_api_key: secret }),
    mode: 0o600,
    format: "up42Project",
    fails: { fields: { _tag: "InvalidCredentialsFile", reason: "EmptyField", field: "project_id" } }
  },
  {
    name: "a field that is not a string, without its value",
    content: json({ username: "me@example.com", password: 123456 }),
    mode: 0o600,
    format: "up42Account",
    fails: { fields: { _tag: "InvalidCredentialsFile", reason: "NotAString", field: "password" } }
  },
  {
    name: "a Bitquery file holding both a token and an application",
    content: json({ access_token: secret, client_id: "id", client_secret: secret }),
    mode: 0o600,
    format: "bitquery",
    fails: { fields: { _tag: "InvalidCredentialsFile", reason: "Ambiguous" } }
  },
  {
    name: "a file too large to be credentials",
    content: json({ client_id: "id", client_secret: secret, padding: "x".repeat(70_000) }),
    mode: 0o600,
    format: "hydrosat",
    fails: { fields: { _tag: "InvalidCredentialsFile", reason: "TooLarge" } }
  }
]

/** Texts that must not appear in an error of a case: the secret, and a non-string field's value. */
export const neverShown: ReadonlyArray<string> = [secret, "123456"]

/** How a line tells its `Redacted` apart and reads it (`Redacted.isRedacted`, `Redacted.value`). */
export interface RedactedView {
  readonly isRedacted: (value: unknown) => boolean
  readonly reveal: (redacted: unknown) => string
}

/** Checks what a {@link loading} case loaded: its fields, and the secret `Redacted`, in no printed form. */
export const checkLoaded = (testCase: Case, credentials: object, redacted: RedactedView, expect: Expect): void => {
  expect(credentials).toMatchObject(testCase.loads!.fields)
  const field = (credentials as Record<string, unknown>)[testCase.loads!.secretField]
  expect(redacted.isRedacted(field)).toBe(true)
  expect(redacted.reveal(field)).toBe(secret)
  expect(String(field)).not.toContain(secret)
  expect(JSON.stringify(credentials)).not.toContain(secret)
}

/**
 * Checks the error a {@link refusing} case gave for the file at `path`: its tag and fields, the
 * texts of its message (`expected`, the format's expected shape, when the case says it shows it),
 * and none of {@link neverShown} in any printed form.
 */
export const checkRefused = (testCase: Case, error: Error, path: string, expected: string, expect: Expect): void => {
  const fails = testCase.fails!
  expect(error).toMatchObject({ path, ...fails.fields })
  for (const text of fails.messageContains ?? []) expect(error.message).toContain(text)
  if (fails.messageContainsBeforePath !== undefined) expect(error.message).toContain(`${fails.messageContainsBeforePath}${path}`)
  if (fails.showsExpected === true) expect(error.message).toContain(expected)
  for (const shown of [String(error), JSON.stringify(error), error.message]) {
    for (const hidden of neverShown) expect(shown).not.toContain(hidden)
  }
}
