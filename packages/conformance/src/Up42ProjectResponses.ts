/**
 * Where UP42's project token endpoint puts the token, and what each line's public
 * `Up42Project.toStandardResponse` makes of it: the token at `data.accessToken`, else at the
 * top-level `accessToken`; a standard response, or one without a token, unchanged.
 */
import type { Expect } from "./Expect.js"

/** Checks a line's `Up42Project.toStandardResponse`. */
export const check = (expect: Expect, toStandardResponse: (body: unknown) => unknown): void => {
  expect(toStandardResponse({ data: { accessToken: "a" }, accessToken: "b", token_type: "bearer" })).toMatchObject({ access_token: "a" })
  expect(toStandardResponse({ data: {}, accessToken: "b", token_type: "bearer" })).toMatchObject({ access_token: "b" })
  expect(toStandardResponse({ access_token: "c", token_type: "Bearer" })).toEqual({ access_token: "c", token_type: "Bearer" })
  expect(toStandardResponse({ data: {}, token_type: "bearer" })).toEqual({ data: {}, token_type: "bearer" })
}
