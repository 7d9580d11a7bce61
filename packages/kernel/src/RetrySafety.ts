/**
 * Whether a request may be sent again after a failure (RFC 9110 §9.2.2, §15.5.9, RFC 6585
 * §4): by its method, or because the server said it did not act on it. Both Effect lines'
 * bearer clients decide their retries with it.
 *
 * @since 0.1.0
 */

/**
 * Whether a method is idempotent, so that a request the server may have acted on (a
 * transport error, a timeout, a 5xx) may be sent again: GET, HEAD, OPTIONS, PUT, DELETE.
 * TRACE is idempotent too but never carries a token.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-9.2.2
 * @since 0.1.0
 */
export const isIdempotentMethod = (method: string): boolean =>
  method === "GET" || method === "HEAD" || method === "OPTIONS" || method === "PUT" || method === "DELETE"

/**
 * Whether a status says that the server did not act on the request, so that any request,
 * whatever its method, may be sent again: 408 Request Timeout and 429 Too Many Requests.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-15.5.9
 * @see https://www.rfc-editor.org/rfc/rfc6585#section-4
 * @since 0.1.0
 */
export const wasNotProcessed = (status: number): boolean => status === 408 || status === 429
