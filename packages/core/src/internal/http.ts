import * as Url from "@effect-bearer/kernel/Url"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import type { Fiber } from "effect"
import { Context, Effect, FiberRef, Option, Stream } from "effect"

/**
 * A URL as it may appear in errors and logs: no userinfo, query or fragment.
 * @internal
 */
export const displayUrl: (url: URL) => string = Url.display

/**
 * The body's length as the response declares it: its Content-Length, when it is one
 * plain number and the body is not encoded (a decompressing client, fetch, may deliver
 * more bytes than a compressed body's Content-Length says).
 */
const declaredLength = (response: HttpClientResponse.HttpClientResponse): number | undefined => {
  const length = response.headers["content-length"]
  const encoding = response.headers["content-encoding"]
  return length !== undefined && /^\d{1,15}$/.test(length) && (encoding === undefined || encoding === "identity")
    ? Number(length)
    : undefined
}

/**
 * Reads the body as text; `None` when it is over `limit` bytes, whatever Content-Length
 * claimed. A body that declares its length within the limit is read whole in one step
 * (the HTTP parser never reads past a declared length); any other is read chunk by chunk
 * and dropped once over the limit.
 * @internal
 */
export const readBody = (
  response: HttpClientResponse.HttpClientResponse,
  limit: number
): Effect.Effect<Option.Option<string>, HttpClientError.ResponseError> => {
  const length = declaredLength(response)
  const read = length !== undefined && length <= limit
    ? Effect.map(response.text, Option.some)
    : readChunks(response, limit)
  // fetch has no body at all for a 204; undici and node:http give an empty one.
  return Effect.catchIf(read, (error) => error.reason === "EmptyBody", () => Effect.succeed(Option.some("")))
}

/** Reads chunk by chunk, pulling from the body until it ends or is over `limit` bytes (then cancelled). */
const readChunks = (
  response: HttpClientResponse.HttpClientResponse,
  limit: number
): Effect.Effect<Option.Option<string>, HttpClientError.ResponseError> =>
  Effect.scoped(Effect.flatMap(Stream.toPull(response.stream), (pull) => {
    const chunks: Array<Uint8Array> = []
    let size = 0
    const decoded = () => {
      const all = new Uint8Array(size)
      let offset = 0
      for (const bytes of chunks) {
        all.set(bytes, offset)
        offset += bytes.length
      }
      return Option.some(new TextDecoder().decode(all))
    }
    const next: Effect.Effect<Option.Option<string>, HttpClientError.ResponseError> = Effect.matchEffect(pull, {
      // The stream ends with `None`.
      onFailure: Option.match({ onNone: () => Effect.sync(decoded), onSome: Effect.fail }),
      onSuccess: (pulled) => {
        for (const bytes of pulled) {
          size += bytes.length
          chunks.push(bytes)
        }
        return size > limit ? Effect.succeed(Option.none()) : next
      }
    })
    return next
  }))

/**
 * The most bytes of a body read only to be dropped (a 401 before its replay, a response
 * before a retry): a small body is read to its end so that its connection can be reused;
 * a larger one is cancelled, which closes the connection instead of reading on.
 * @internal
 */
export const discardLimit = 64 * 1024

/**
 * Reads and drops at most `limit` bytes of a body, then cancels the rest (the stream's
 * finaliser destroys the socket or cancels the fetch body). Never fails: a body that
 * cannot be read is as good as read.
 * @internal
 */
export const discardBody = (
  response: HttpClientResponse.HttpClientResponse,
  limit: number = discardLimit
): Effect.Effect<void> =>
  response.stream.pipe(
    Stream.runFoldWhile(0, (size) => size <= limit, (size, bytes) => size + bytes.length),
    Effect.asVoid,
    Effect.ignore
  )

/** Each context a request ran in, with fetch told not to follow redirects. */
const manualRedirectContexts = new WeakMap<Context.Context<never>, Context.Context<never>>()

const withManualRedirects = (context: Context.Context<never>): Context.Context<never> => {
  let manual = manualRedirectContexts.get(context)
  if (manual === undefined) {
    const init = Context.getOption(context, FetchHttpClient.RequestInit)
    manual = Context.add(context, FetchHttpClient.RequestInit, { ...Option.getOrElse(init, () => ({})), redirect: "manual" })
    manualRedirectContexts.set(context, manual)
  }
  return manual
}

/**
 * What `FiberRef.set` does in its one operation: the running fiber's own setter, which
 * `RuntimeFiber`'s public type leaves out. It may only be called by the fiber itself, in
 * `withFiberRuntime` or in a continuation of the effect that fiber runs.
 */
const setFiberRef = <V>(fiber: Fiber.RuntimeFiber<unknown, unknown>, fiberRef: FiberRef.FiberRef<V>, value: V): void =>
  (fiber as unknown as { setFiberRef(fiberRef: FiberRef.FiberRef<V>, value: V): void }).setFiberRef(fiberRef, value)

/**
 * A fiber ref and how a region changes it.
 * @internal
 */
export interface Local<V> {
  readonly fiberRef: FiberRef.FiberRef<V>
  /** The value in the region; the same value leaves the ref untouched (neither set nor reset). */
  readonly update: (value: V, fiber: Fiber.RuntimeFiber<unknown, unknown>) => V
}

/**
 * `Effect.locally(effect, fiberRef, update(current))` for each of `locals`, in one step and
 * one match rather than `Effect.locally`'s acquire-use-release per ref: the step swaps the
 * values in and the match swaps them back out when `effect` ends. The mask makes the match
 * run however it ends, interruption included (an interrupted fiber skips the matches of an
 * interruptible region).
 * @internal
 */
export const locallyWithAll = (locals: ReadonlyArray<Local<any>>) =>
<A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.uninterruptibleMask((restore) =>
    Effect.withFiberRuntime((fiber) => {
      const before = locals.map(({ fiberRef }) => fiber.getFiberRef(fiberRef))
      const during = locals.map(({ update }, i) => update(before[i], fiber))
      const swap = (values: ReadonlyArray<unknown>) =>
        locals.forEach(({ fiberRef }, i) => {
          if (during[i] !== before[i]) setFiberRef(fiber, fiberRef, values[i])
        })
      swap(during)
      const reset = () => swap(before)
      return Effect.matchCauseEffect(restore(effect), {
        onFailure: (cause) => {
          reset()
          return Effect.failCause(cause)
        },
        onSuccess: (value) => {
          reset()
          return Effect.succeed(value)
        }
      })
    })
  )


/**
 * Fetch follows redirects unless told otherwise; the Node clients never do. Requests
 * that carry credentials never follow them, so that nothing goes elsewhere: this is the
 * change of the fiber's context that tells fetch so, for {@link locallyWithAll}. The
 * context with the option is built once per context a fiber runs with (a program's
 * requests share one).
 * @internal
 */
export const manualRedirects: Local<Context.Context<never>> = { fiberRef: FiberRef.currentContext, update: withManualRedirects }
