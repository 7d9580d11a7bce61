import { describe, expect, it } from "vitest"
import { CredentialsFileFormat, Providers } from "@effect-bearer/kernel"

const secret = (value: string) => ({ secret: value })
const decode = (format: typeof Providers.hydrosat.credentialsFile, json: Record<string, unknown>) =>
  CredentialsFileFormat.decode(format, json, secret)
const problem = (format: typeof Providers.hydrosat.credentialsFile, json: Record<string, unknown>) => {
  const result = decode(format, json)
  return result._tag === "Failure" ? result.problem : undefined
}

describe("CredentialsFileFormat", () => {
  it("shows each provider's file with placeholders", () => {
    expect(Providers.all.map((provider) => CredentialsFileFormat.expected(provider.credentialsFile))).toEqual([
      `{"project_id": "<project id>", "project_api_key": "<project API key>"}`,
      `{"username": "<email>", "password": "<password>"}`,
      `{"client_id": "<client id>", "client_secret": "<client secret>"} or {"access_token": "<console token>"}`,
      `{"client_id": "<client id>", "client_secret": "<client secret>"}`,
      `{"client_id": "<client id>", "client_secret": "<client secret>"}`
    ])
  })

  it("reads the fields into the options they fill, secrets through protect", () => {
    expect(decode(Providers.up42Project.credentialsFile, { project_id: "p", project_api_key: "k", extra: 1 })).toEqual({
      _tag: "Success",
      shape: Providers.up42Project.credentialsFile.shapes[0],
      values: { projectId: "p", projectApiKey: { secret: "k" } }
    })
  })

  it("names a missing, null, non-string or blank field, the first in the shape's order", () => {
    const format = Providers.hydrosat.credentialsFile
    expect(problem(format, {})).toEqual({ reason: "MissingField", field: "client_id" })
    expect(problem(format, { client_id: "a", client_secret: null })).toEqual({ reason: "MissingField", field: "client_secret" })
    expect(problem(format, { client_id: 7, client_secret: "s" })).toEqual({ reason: "NotAString", field: "client_id" })
    expect(problem(format, { client_id: "a", client_secret: " \n" })).toEqual({ reason: "EmptyField", field: "client_secret" })
  })

  it("picks the shape whose fields are present, and asks for the first when none is", () => {
    const format = Providers.bitquery.credentialsFile
    const token = decode(format, { access_token: "t" })
    expect(token._tag === "Success" && [token.shape.tag, token.values]).toEqual(["StaticToken", { accessToken: { secret: "t" } }])
    expect(problem(format, { client_secret: "s" })).toEqual({ reason: "MissingField", field: "client_id" })
    expect(problem(format, { access_token: null })).toEqual({ reason: "MissingField", field: "access_token" })
  })

  it("refuses a file with two kinds of credentials rather than guess", () => {
    expect(problem(Providers.bitquery.credentialsFile, { access_token: "t", client_secret: "s" })).toEqual({
      reason: "Ambiguous",
      field: "access_token and client_id"
    })
  })

  it("never returns a secret bare", () => {
    const hidden = (value: string) => ({ toJSON: () => "<redacted>", value })
    const result = CredentialsFileFormat.decode(Providers.up42Account.credentialsFile, { username: "u", password: "hunter2" }, hidden)
    expect(JSON.stringify(result)).not.toContain("hunter2")
    expect(result._tag === "Success" && result.values["password"]).toMatchObject({ value: "hunter2" })
  })
})
