import { describe, expect, it } from "vitest"
import { ErrorClassification } from "@effect-bearer/kernel"

describe("ErrorClassification.tokenEndpoint", () => {
  it.each([
    [400, "invalid_client", { tag: "InvalidCredentials" }],
    [400, "invalid_grant", { tag: "InvalidCredentials" }],
    [400, "unauthorized_client", { tag: "InvalidCredentials" }],
    [403, "access_denied", { tag: "InvalidCredentials" }],
    [503, "temporarily_unavailable", { tag: "TemporarilyUnavailable", reason: "ServerError" }],
    [429, "temporarily_unavailable", { tag: "TemporarilyUnavailable", reason: "RateLimited" }],
    [500, "server_error", { tag: "TemporarilyUnavailable", reason: "ServerError" }],
    [200, "invalid_scope", { tag: "InvalidRequest" }],
    [400, "invalid_scope", { tag: "InvalidRequest" }],
    [401, "invalid_request", { tag: "InvalidCredentials" }],
    [404, "unknown_code", { tag: "WrongHost", reason: "NotFound" }]
  ] as const)("HTTP %s with error %s is %o", (status, error, expected) => {
    expect(ErrorClassification.tokenEndpoint(status, error)).toEqual(expected)
  })

  it.each([
    [401, { tag: "InvalidCredentials" }],
    [404, { tag: "WrongHost", reason: "NotFound" }],
    [405, { tag: "WrongHost", reason: "NotFound" }],
    [410, { tag: "WrongHost", reason: "NotFound" }],
    [415, { tag: "UnsupportedMediaType" }],
    [301, { tag: "WrongHost", reason: "Redirect" }],
    [307, { tag: "WrongHost", reason: "Redirect" }],
    [0, { tag: "WrongHost", reason: "Redirect" }],
    [408, { tag: "TemporarilyUnavailable", reason: "ServerError" }],
    [429, { tag: "TemporarilyUnavailable", reason: "RateLimited" }],
    [500, { tag: "TemporarilyUnavailable", reason: "ServerError" }],
    [503, { tag: "TemporarilyUnavailable", reason: "ServerError" }],
    [400, { tag: "InvalidRequest" }],
    [403, { tag: "InvalidRequest" }],
    [204, { tag: "InvalidTokenResponse", reason: "InvalidField", detail: "HTTP 204 is not a token response" }],
    [101, { tag: "InvalidTokenResponse", reason: "InvalidField", detail: "HTTP 101 is not a token response" }]
  ] as const)("HTTP %s without an error code is %o", (status, expected) => {
    expect(ErrorClassification.tokenEndpoint(status)).toEqual(expected)
  })
})

describe("ErrorClassification.metadataDocument", () => {
  it.each([
    [200, undefined],
    [404, { tag: "WrongHost", reason: "NotFound" }],
    [401, { tag: "WrongHost", reason: "NotFound" }],
    [400, { tag: "WrongHost", reason: "NotFound" }],
    [302, { tag: "WrongHost", reason: "Redirect" }],
    [0, { tag: "WrongHost", reason: "Redirect" }],
    [408, { tag: "TemporarilyUnavailable", reason: "ServerError" }],
    [429, { tag: "TemporarilyUnavailable", reason: "RateLimited" }],
    [502, { tag: "TemporarilyUnavailable", reason: "ServerError" }]
  ] as const)("HTTP %s is %o", (status, expected) => {
    expect(ErrorClassification.metadataDocument(status)).toEqual(expected)
  })
})
