/**
 * What the local provider server remembers of the requests it answered: how many each
 * endpoint received, and the most recent ones as they arrived.
 *
 * @internal
 */
import type { Endpoint, ProviderId, RecordedRequest } from "../LocalProviderServer.js"

/** The key of one endpoint of one provider, for recordings and faults. */
export const endpointKey = (provider: ProviderId, endpoint: Endpoint) => `${provider}/${endpoint}`

/** Request counts and recent requests per endpoint. */
export interface Recording {
  /** Counts a request as it arrives, before its fault or handler runs. */
  readonly count: (key: string) => void
  /** Keeps an answered request, dropping the oldest beyond the limit. */
  readonly record: (key: string, request: RecordedRequest) => void
  readonly countOf: (key: string) => number
  readonly requestsOf: (key: string) => ReadonlyArray<RecordedRequest>
}

/** An empty recording that keeps the last `keep` requests of each endpoint. */
export const makeRecording = (keep: number): Recording => {
  const counts = new Map<string, number>()
  const records = new Map<string, Array<RecordedRequest>>()
  return {
    count: (key) => counts.set(key, (counts.get(key) ?? 0) + 1),
    record: (key, request) => {
      const list = records.get(key) ?? []
      list.push(request)
      if (list.length > keep) list.splice(0, list.length - keep)
      records.set(key, list)
    },
    countOf: (key) => counts.get(key) ?? 0,
    requestsOf: (key) => [...(records.get(key) ?? [])]
  }
}
