import { describe, expect, it } from "vitest"
import { ErrorMessage } from "@effect-bearer/kernel"

const endpoint = "https://auth.example.com/token"

describe("ErrorMessage", () => {
  it("puts the headline, status and §5.2 texts, endpoint, advice, hint and error_uri in that order", () => {
    expect(
      ErrorMessage.describe(
        { endpoint, status: 400, error: "invalid_scope", errorDescription: "no", errorUri: "https://docs", hint: "A hint." },
        "Headline",
        "Advice."
      )
    ).toBe(`Headline (HTTP 400: invalid_scope: no) from ${endpoint}. Advice. A hint. See https://docs`)
  })

  it("cleans server texts again, whoever made the error", () => {
    expect(ErrorMessage.describe({ endpoint, error: "bad\r\n\u001b[31mthing" }, "H", "A."))
      .toBe(`H (bad thing) from ${endpoint}. A.`)
  })

  it.each([
    [ErrorMessage.invalidCredentials({ endpoint, grantType: "client_credentials", clientId: "c" }), `The client_credentials grant for client "c" was refused from ${endpoint}.`],
    [ErrorMessage.invalidCredentials({ endpoint, grantType: "refresh_token" }), "The refresh token is no longer valid"],
    [ErrorMessage.wrongHost({ endpoint, reason: "Redirect", location: "https://elsewhere" }), "answered with a redirect to https://elsewhere"],
    [ErrorMessage.wrongHost({ endpoint, reason: "ForeignOrigin", location: "https://api" }), "Refusing to send a token to https://api"],
    [ErrorMessage.unsupportedMediaType({ endpoint, status: 415, contentType: "application/x-www-form-urlencoded" }), "(sent as application/x-www-form-urlencoded) (HTTP 415)"],
    [ErrorMessage.expired({ endpoint, reason: "RejectedByResource" }), "rejected a freshly issued token"],
    [ErrorMessage.invalidRequest({ endpoint, grantType: "password" }), "The password request was refused"],
    [ErrorMessage.temporarilyUnavailable({ endpoint, reason: "RateLimited" }, "30s"), "rate limiting this client from https://auth.example.com/token. This is usually temporary: retry later. The server asks to wait 30s."],
    [ErrorMessage.invalidTokenResponse({ endpoint, detail: "there is no access_token" }), "The authorization server's response is not usable: there is no access_token"],
    [ErrorMessage.invalidTokenResponse({ endpoint: `${ErrorMessage.staticPrefix}BITQUERY_TOKEN`, detail: "the static token is empty" }), "The configured token is not usable: the static token is empty"],
    [ErrorMessage.invalidConfiguration({ setting: "clientId", problem: "is empty" }), "Invalid configuration for clientId: is empty"]
  ])("%s", (message, expected) => {
    expect(message).toContain(expected)
  })
})
