/**
 * The demo's script, version-free: the providers it shows, their APIs, what it says at each
 * step and how it lays the text out (plain text wrapped to 100 columns, no colours). Each
 * Effect line's `examples/src/demo.ts` runs the steps with its own Effect and prints these
 * strings with its `Console`, so both demos tell the same story from one text; the Demo test
 * of each line runs its demo to exit 0.
 */

/** The providers the demo shows, by their records' ids, in its order. */
export const ids = ["up42-project", "up42-account", "bitquery", "hydrosat"] as const

/** One of {@link ids}. */
export type Id = (typeof ids)[number]

/** Short names for the output's first column. */
export const names: Readonly<Record<Id, string>> = {
  "up42-project": "UP42 project",
  "up42-account": "UP42 account",
  bitquery: "Bitquery",
  hydrosat: "Hydrosat"
}

/** How long the local provider server's tokens live in the demo: short enough to watch a renewal. */
export const lifetimeSeconds = 6

/** Where a token's lifetime came from, by `AccessToken.lifetimeSource`. */
export const lifetimeOrigin: Readonly<Record<"expires_in" | "jwt" | "default", string>> = {
  expires_in: "the response's expires_in",
  jwt: "the JWT's exp claim",
  default: "the provider's documented lifetime"
}

/**
 * Each provider's API as the examples call it: the variable that points it elsewhere, its
 * path under the record's API origin, and the resource the demo asks for (the local
 * server's `apiUrl` ends with it).
 */
export const apis: Readonly<Record<Id, { readonly variable: string; readonly path: string; readonly resource: string }>> = {
  "up42-project": { variable: "UP42_PROJECT_API_URL", path: "", resource: "/projects" },
  "up42-account": { variable: "UP42_API_URL", path: "", resource: "/accounts/me" },
  bitquery: { variable: "BITQUERY_GRAPHQL_URL", path: "/graphql", resource: "" },
  hydrosat: { variable: "HYDROSAT_STAC_URL", path: "", resource: "/collections" }
}

/** A small query of Bitquery's streaming GraphQL API: the latest Ethereum block. */
export const latestBlockQuery =
  "{ EVM(network: eth) { Blocks(limit: {count: 1}, orderBy: {descending: Block_Number}) { Block { Number } } } }"

/** The API's base URL on a local provider server, from its `apiUrl` (the resource cut off). */
export const localBaseUrl = (id: Id, apiUrl: string): string => {
  const resource = apis[id].resource
  return resource !== "" && apiUrl.endsWith(resource) ? apiUrl.slice(0, -resource.length) : apiUrl
}

/** The token URL moved onto the API's side of the server: the documented "wrong host" mistake. */
export const wrongHostUrl = (tokenUrl: string): string => {
  const url = new URL(tokenUrl)
  return `${url.origin}${url.pathname.replace(/^(\/[^/]+)/, "$1/api")}`
}

/** `a, b and c` */
export const listed = (items: ReadonlyArray<string>): string =>
  items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`

/** The failures section 5 provokes, in order, with the error tag each must end in. */
export const failures = [
  { what: "wrong credentials", expected: "InvalidCredentials" },
  { what: "wrong host", expected: "WrongHost" },
  { what: "wrong media type", expected: "UnsupportedMediaType" },
  { what: "expired", expected: "Expired" }
] as const

/** The five steps: each section's heading and what it shows. */
export const sections = {
  tokens: {
    heading: "A token for each provider",
    explanation: "TokenProvider.get asks each token endpoint once. The token prints as <redacted>: tokens, secrets and " +
      "passwords are Redacted values, which no log line, error or output shows."
  },
  cache: {
    heading: "Repeat calls come from the cache",
    explanation: "20 more calls to TokenProvider.get, 10 of them at the same time: no new token request (the count is " +
      "the token endpoint's own)."
  },
  refresh: {
    heading: "The background refresh renews tokens while calls continue",
    explanation: `Each provider's API is called every 400 ms while its ${lifetimeSeconds}-second token runs out. A ` +
      "background fiber fetches the next token at 80-90 % of the current one's lifetime; meanwhile every call keeps " +
      "using the current token, so no call ever waits for a token request."
  },
  recovery: {
    heading: "A 401 from the API is recovered by one refresh",
    explanation: "The local server now revokes every token it issued, as when a token is revoked in the provider's " +
      "console. The next API call gets a 401; the authenticated client (BearerHttpClient) drops the token, gets a " +
      "fresh one and replays the request once. The caller only sees the 200."
  },
  failures: {
    heading: "Each documented failure is a typed error",
    explanation: "Wrong credentials (401), wrong host (404), wrong media type (415) and a token the API keeps refusing " +
      "even when fresh (401, then 401 again): each ends in its own error class, to match with Effect.catchTag, with " +
      "a message that says what to do. Always against the local provider server, so that no real account gets " +
      "locked by wrong passwords."
  }
} as const

/** What the demo says before the steps. */
export const introduction = {
  summary: "OAuth2 bearer tokens for Effect: fetched once, cached, renewed in the background before they expire, " +
    "recovered after a 401, and every failure a typed error that says what to do.",
  local: (allLocal: boolean, origin: string, localNames: ReadonlyArray<string>): string =>
    `${allLocal ? "No provider credentials in the environment, so this" : "This"} demo started the local provider ` +
    `server at ${origin} for ${listed(localNames)}. It speaks each provider's documented token contract; its tokens ` +
    `live ${lifetimeSeconds} seconds (instead of the real 5 minutes to 30 days) so that you can watch them being ` +
    "renewed. To use a real provider instead, set its variables, e.g. HYDROSAT_CLIENT_ID and HYDROSAT_CLIENT_SECRET.",
  source: (local: boolean, tokenEndpoint: string): string =>
    `${local ? "local provider server" : "REAL provider (credentials from the environment)"}: ${tokenEndpoint}`
}

/** The sentence a failed check ends the demo with (non-zero exit). */
export const expected = (what: string): string => `The demo expected ${what}, and it did not happen.`

// ---------------------------------------------------------------------------------------
// Layout

const width = 100
const labelWidth = 15
const failureLabelWidth = 20

/** Splits text into lines of at most `room` characters, at spaces where it can. */
export const wrap = (text: string, room: number): ReadonlyArray<string> => {
  const lines: Array<string> = []
  for (const paragraph of text.split("\n")) {
    let line = ""
    for (const word of paragraph.split(" ")) {
      if (line === "") line = word
      else if (line.length + 1 + word.length <= room) line += ` ${word}`
      else {
        lines.push(line)
        line = word
      }
    }
    lines.push(line)
  }
  return lines
}

/** The text wrapped beside a first-line prefix, the other lines indented as far. */
const beside = (prefix: string, indent: number, text: string): string =>
  wrap(text, width - indent).map((line, index) => `${index === 0 ? prefix.padEnd(indent) : " ".repeat(indent)}${line}`)
    .join("\n")

/** The demo's title, underlined. */
export const title = (text: string): string => `${text}\n${"=".repeat(text.length)}`

/** A paragraph after a blank line. */
export const paragraph = (text: string): string => `\n${beside("", 0, text)}`

/** A numbered section: its heading, underlined, and what it shows. */
export const section = (number: number, heading: string, explanation: string): string => {
  const head = `${number}. ${heading}`
  return `\n${head}\n${"-".repeat(head.length)}\n${beside("", 3, explanation)}\n`
}

/** One provider's line: its name in a column, the text wrapped beside it. */
export const row = (label: string, text: string): string => beside(`   ${label}`, 3 + labelWidth, text)

/** A failure: what was done wrong, the error's tag, and its message below. */
export const failure = (what: string, tag: string, message: string): string =>
  `     ${what.padEnd(failureLabelWidth)}→ ${tag}\n${beside("", 7 + failureLabelWidth, message)}`

/** A provider's name above its failures. */
export const subheading = (text: string): string => `   ${text}`

/** A duration as people say it: `6s`, `5.1s`, `4m 48s`, `30m`. */
export const seconds = (millis: number): string => {
  if (millis < 60_000) {
    const tenths = Math.round(millis / 100) / 10
    return `${Number.isInteger(tenths) ? tenths.toFixed(0) : tenths.toFixed(1)}s`
  }
  const total = Math.round(millis / 1000)
  const parts: ReadonlyArray<readonly [number, string]> = [
    [Math.floor(total / 86_400), "d"],
    [Math.floor((total % 86_400) / 3600), "h"],
    [Math.floor((total % 3600) / 60), "m"],
    [total % 60, "s"]
  ]
  return parts.filter(([count]) => count > 0).map(([count, unit]) => `${count}${unit}`).join(" ")
}
