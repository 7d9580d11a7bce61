/**
 * What `effect-bearer` prints of text a server wrote, written once for both lines' CLIs: a
 * hostile token endpoint's `error_description` and `token_type` reach stderr on one line,
 * without escape sequences, cut to a readable length, and without the client secret the server
 * repeated; a JWT's claims with control and bidirectional characters print as JSON escapes.
 * Through real HTTP on 127.0.0.1 (the endpoint is a plain `node:http` server here); each line
 * runs its CLI in process through {@link Cli}.
 */
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import type { Expect } from "./Expect.js"

/** What a run of the CLI printed and exited with. */
export interface Finished {
  readonly exitCode: number
  readonly stdout: string
  readonly stderr: string
}

/** A line's CLI run in process with these arguments and these variables as the whole environment. */
export interface Cli {
  readonly run: (args: ReadonlyArray<string>, env?: Readonly<Record<string, string>>) => Promise<Finished>
  readonly exitCodes: { readonly Success: number; readonly InvalidCredentials: number; readonly InvalidTokenResponse: number }
}

/** One case. */
export interface Case {
  readonly name: string
  readonly run: (cli: Cli, expect: Expect) => Promise<void>
}

const clientSecret = "canary-cli-secret-5e2b"

/** Terminal escapes, C0 and C1 controls, and bidirectional overrides. */
// eslint-disable-next-line no-control-regex
const controlCharacters = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/

/** `effect-bearer token oauth2` against a token endpoint on 127.0.0.1 that answers every request with `body` and `status`. */
const tokenFrom = async (cli: Cli, body: unknown, status: number): Promise<Finished> => {
  const server = createServer((_request, response) => {
    response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body))
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  try {
    const tokenUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`
    return await cli.run(["token", "oauth2"], { OAUTH2_TOKEN_URL: tokenUrl, OAUTH2_CLIENT_ID: "cli-client", OAUTH2_CLIENT_SECRET: clientSecret })
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url")

/** A JWT whose `sub` holds ESC (escaped by JSON already), the 8-bit CSI, a right-to-left override, a line separator. */
const hostileJwt = () => {
  const claims = { sub: "a\u001b[2Jb\u009b31mc\u202edcba\u2028d", exp: Math.floor(Date.now() / 1000) + 300 }
  return `${base64url({ alg: "HS256", typ: "JWT" })}.${base64url(claims)}.c2lnbmF0dXJl`
}

/** `effect-bearer token`: server text on stderr. */
export const serverText: ReadonlyArray<Case> = [
  {
    name: "an error_description with escapes, line breaks, the client secret and 5,000 characters prints as one safe line",
    run: async (cli, expect) => {
      const result = await tokenFrom(cli, {
        error: "invalid_client\u001b[2J",
        error_description: `\u001b[31mbad secret ${clientSecret}\r\nX-Fake: 1\u001b]0;pwned\u0007 ${"z".repeat(5_000)}`
      }, 401)
      expect(result.exitCode).toBe(cli.exitCodes.InvalidCredentials)
      expect(result.stderr).toContain("(HTTP 401: invalid_client: bad secret <redacted> X-Fake: 1 zzz")
      expect(result.stderr).not.toContain(clientSecret)
      // One line (the harness ends it with a newline), with no control character in it.
      expect(controlCharacters.test(result.stderr.trimEnd())).toBe(false)
      expect(result.stderr.length).toBeLessThan(1_000)
    }
  },
  {
    name: "a token_type with escapes and the client secret prints neither",
    run: async (cli, expect) => {
      const result = await tokenFrom(cli, { access_token: "a-token", token_type: `\u001b[1mMAC ${clientSecret}` }, 200)
      expect(result.exitCode).toBe(cli.exitCodes.InvalidTokenResponse)
      expect(result.stderr).toContain(`token_type "MAC <redacted>" is not Bearer`)
      expect(result.stderr).not.toContain(clientSecret)
      expect(controlCharacters.test(result.stderr.trimEnd())).toBe(false)
    }
  }
]

/** `effect-bearer decode`: claims a server wrote, on a terminal. */
export const decodedClaims: ReadonlyArray<Case> = [["decode"], ["decode", "--json"]].map((args) => ({
  name: `effect-bearer ${args.join(" ")} prints control and bidirectional characters as JSON escapes`,
  run: async (cli, expect) => {
    const result = await cli.run([...args, hostileJwt()])
    expect(result.exitCode).toBe(cli.exitCodes.Success)
    expect(/[\u001b\u009b\u202e\u2028]/.test(result.stdout)).toBe(false)
    expect(result.stdout).toContain(String.raw`"a\u001b[2Jb\u009b31mc\u202edcba\u2028d"`)
  }
}))
