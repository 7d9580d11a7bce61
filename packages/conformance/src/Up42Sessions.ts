/**
 * UP42's sessions as the local provider server saw them over an hour of simulated time (both
 * lines' `Up42Account.test.ts`): one password login per 30-minute session, refreshes every
 * 240 s (80 % of the 300-second token) while the session lasts, and a refresh the server
 * accepted always inside its login's session.
 */
import type { Expect } from "./Expect.js"

/** A token request the server recorded. */
export interface Recorded {
  readonly form: Readonly<Record<string, string>>
  readonly receivedAt: number
  readonly status: number
}

/** Checks the UP42 account's token requests, received from `startedAt` (epoch ms) on. */
export const check = (expect: Expect, requests: ReadonlyArray<Recorded>, startedAt: number): void => {
  const grants = requests.map((request) => ({ grant: request.form["grant_type"], at: (request.receivedAt - startedAt) / 1000, status: request.status }))
  const logins = grants.filter((grant) => grant.grant === "password")
  // One login per 30-minute session: at 0 s, then once each session ends.
  expect(logins.map((login) => Math.round(login.at / 1800))).toEqual([0, 1, 2])
  for (const [index, login] of logins.entries()) {
    const next = logins[index + 1]?.at ?? Number.POSITIVE_INFINITY
    const refreshes = grants.filter((grant) => grant.grant === "refresh_token" && grant.at > login.at && grant.at < next)
    // Every 240 s (80 % of 300 s) while the session lasts.
    if (next !== Number.POSITIVE_INFINITY) expect(refreshes.length).toBeGreaterThanOrEqual(6)
    // A refresh the server accepted always fell inside the login's session.
    for (const refresh of refreshes.filter((grant) => grant.status === 200)) expect(refresh.at).toBeLessThan(login.at + 1800)
  }
  expect(grants.every((grant) => grant.status === 200 || grant.grant === "refresh_token")).toBe(true)
}
