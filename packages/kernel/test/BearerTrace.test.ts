import { describe, expect, it } from "vitest"
import { BearerTrace } from "@effect-bearer/kernel"

describe("BearerTrace", () => {
  it("starts with nothing done, waiting for the response", () => {
    expect(BearerTrace.make()).toEqual({
      tokenAttached: false,
      unauthorized: false,
      recovered: false,
      attempts: 0,
      status: undefined,
      waitingFor: "response"
    })
  })

  it("names the URL without its query when the call starts", () => {
    expect(BearerTrace.startAttributes("up42", "GET", new URL("https://api.example.com/a?secret=1"))).toEqual({
      "bearer.provider": "up42",
      "http.request.method": "GET",
      "server.address": "https://api.example.com",
      "url.path": "/a"
    })
  })

  it("records the facts and the outcome when the call ends, the status only when there was one", () => {
    const trace = { ...BearerTrace.make(), tokenAttached: true, attempts: 2 }
    expect(BearerTrace.endAttributes(trace, "TransportError")).toEqual({
      "bearer.token_attached": true,
      "bearer.unauthorized": false,
      "bearer.recovered_from_401": false,
      "bearer.attempts": 2,
      "bearer.outcome": "TransportError"
    })
    expect(BearerTrace.endAttributes({ ...trace, status: 200 }, "Success")["http.response.status_code"]).toBe(200)
  })

  it("says what a timed-out step waited for", () => {
    expect(BearerTrace.timeoutDescription({ ...BearerTrace.make(), waitingFor: "token" }, "5s")).toBe("no token within 5s")
  })
})
