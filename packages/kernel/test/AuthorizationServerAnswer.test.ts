import { describe, expect, it } from "vitest"
import { AuthorizationServerAnswer as Answers, TokenResponse } from "@effect-bearer/kernel"

const target: Answers.Target = {
  url: "https://auth.example.com/token",
  endpoint: "https://auth.example.com/token",
  hint: (tag) => tag === "WrongHost" ? "Tokens come from auth.example.com." : undefined,
  grantType: "client_credentials",
  clientId: "client",
  secrets: ["s3cr3t"],
  maximumResponseBytes: 1024
}
const answer = (status: number, text: string | undefined, headers: Record<string, string> = {}): Answers.Answer =>
  ({ status, headers, text, body: TokenResponse.parseBody(text), now: Date.parse("Wed, 21 Oct 2015 07:28:00 GMT") })

describe("AuthorizationServerAnswer", () => {
  it("a §5.2 body decides the error; its texts lose the request's credentials", () => {
    expect(Answers.tokenEndpointFailure(target, answer(400, JSON.stringify({ error: "invalid_client", error_description: "bad secret s3cr3t" })))).toEqual({
      tag: "InvalidCredentials",
      fields: { endpoint: target.endpoint, status: 400, error: "invalid_client", errorDescription: "bad secret <redacted>", grantType: "client_credentials", clientId: "client" }
    })
  })

  it("a redirect names only its target's origin, with the provider's hint", () => {
    expect(Answers.tokenEndpointFailure(target, answer(302, "", { location: "https://elsewhere.example/x?y=1" }))).toEqual({
      tag: "WrongHost",
      fields: { endpoint: target.endpoint, status: 302, hint: "Tokens come from auth.example.com.", reason: "Redirect", location: "https://elsewhere.example" }
    })
  })

  it("a 503 carries its Retry-After in milliseconds", () => {
    expect(Answers.tokenEndpointFailure(target, answer(503, "", { "retry-after": "7" }))).toMatchObject({
      tag: "TemporarilyUnavailable",
      fields: { reason: "ServerError", retryAfterMillis: 7_000 }
    })
  })

  it("a success body is JSON, or why not: HTML, not JSON, too large, a 2xx §5.2 error", () => {
    expect(Answers.tokenEndpointBody(target, answer(200, "{\"access_token\":\"t\"}"))).toEqual({ _tag: "Json", value: { access_token: "t" } })
    expect(Answers.tokenEndpointBody(target, answer(200, "<html></html>", { "content-type": "text/html" }))).toMatchObject({
      _tag: "Failure",
      failure: { tag: "InvalidTokenResponse", fields: { reason: "NotJson", detail: "the body is an HTML page, not JSON" } }
    })
    expect(Answers.tokenEndpointBody(target, answer(200, undefined))).toMatchObject({
      _tag: "Failure",
      failure: { fields: { reason: "TooLarge", detail: "the body is larger than 1024 bytes" } }
    })
    expect(Answers.tokenEndpointBody(target, answer(200, "{\"error\":\"invalid_scope\"}"))).toMatchObject({ _tag: "Failure", failure: { tag: "InvalidRequest" } })
  })

  it("a metadata document's 404 is WrongHost NotFound without server texts", () => {
    expect(Answers.metadataBody(target, answer(404, "{\"error\":\"x\"}"), "the document")).toMatchObject({
      _tag: "Failure",
      failure: { tag: "WrongHost", fields: { reason: "NotFound", status: 404 } }
    })
  })
})
