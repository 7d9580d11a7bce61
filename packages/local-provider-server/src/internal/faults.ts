/**
 * The local provider server's faults: the ones set per endpoint, taken one request at a
 * time, and how each one changes a response.
 *
 * @internal
 */
import type { Fault } from "../Fault.js"
import { definedOnly, empty, json, noStore, oauthError, text } from "./wire.js"
import type { Response } from "./wire.js"

/** The faults set on each endpoint, with how many requests each one has left. */
export interface Faults {
  readonly set: (key: string, fault: Fault | undefined, times: number | undefined) => void
  /** The fault of the endpoint for this request, counting it down. */
  readonly take: (key: string) => Fault | undefined
  readonly clear: () => void
}

/** An empty set of faults. */
export const makeFaults = (): Faults => {
  const faults = new Map<string, { fault: Fault; remaining: number | undefined }>()
  return {
    set: (key, fault, times) => {
      if (fault === undefined) faults.delete(key)
      else faults.set(key, { fault, remaining: times })
    },
    take: (key) => {
      const entry = faults.get(key)
      if (entry === undefined) return undefined
      if (entry.remaining !== undefined) {
        entry.remaining -= 1
        if (entry.remaining <= 0) faults.delete(key)
      }
      return entry.fault
    },
    clear: () => faults.clear()
  }
}

/** Whether the request carries the fault with this tag. */
export const isFault = (fault: Fault | undefined, tag: Fault["_tag"]) => fault?._tag === tag

/** The answer a `Status` fault gives instead of the handler's, with the §5.2 code that status suggests. */
export const statusResponse = (fault: Extract<Fault, { _tag: "Status" }>): Response => {
  const error = fault.status === 429 || fault.status === 503
    ? "temporarily_unavailable"
    : fault.status >= 500
    ? "server_error"
    : fault.status === 401
    ? "invalid_client"
    : fault.status === 404
    ? "not_found"
    : "invalid_request"
  return oauthError(
    fault.status,
    error,
    `Injected fault: HTTP ${fault.status}`,
    fault.retryAfter === undefined ? {} : { "retry-after": String(Math.ceil(fault.retryAfter / 1000)) }
  )
}

/** A 200 whose body is broken in the way the fault says; other responses pass. */
export const breakBody = (response: Response, fault: Fault | undefined): Response => {
  if (response.status !== 200 || fault === undefined) return response
  switch (fault._tag) {
    case "Html":
      return text("<!DOCTYPE html><html><body><h1>Sign in</h1></body></html>", 200, "text/html; charset=utf-8")
    case "TruncatedJson":
      return text("{\"access_token\":\"eyJhbGciOiJIUzI1NiJ9.eyJ", 200, "application/json")
    case "EmptyBody":
      return empty(200)
    default:
      return response
  }
}

/** The documented `token_type`, or `mac` under the UnsupportedTokenType fault. */
export const tokenType = (fault: Fault | undefined, documented: string) =>
  isFault(fault, "UnsupportedTokenType") ? "mac" : documented

/** Drops `field` (`access_token`, or a discovery document's `token_endpoint`) under the MissingAccessToken fault. */
export const withoutEssentialField = (
  fault: Fault | undefined,
  body: Record<string, unknown>,
  field = "access_token"
): Record<string, unknown> => {
  if (!isFault(fault, "MissingAccessToken")) return body
  const { [field]: _dropped, ...rest } = body
  return rest
}

/** A successful token response (RFC 6749 §5.1) with its defined fields, without `access_token` under the fault. */
export const tokenResponse = (fault: Fault | undefined, body: Record<string, unknown>): Response =>
  json(withoutEssentialField(fault, definedOnly(body)), 200, noStore)
