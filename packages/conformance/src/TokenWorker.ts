/**
 * A `tokenWorker.ts` process of `TokenStoreProcesses`, as plain code both lines' workers share:
 * `<file|redis> <directory|url> <milliseconds> <callers>` from its arguments, `TOKEN_URL`,
 * `USERNAME` and `PASSWORD` (a password grant with refresh tokens, public client `up42-api`) from
 * its environment, the `fetch` line it prints when its own source starts a token request (so
 * the test knows whom to `kill -9` mid-refresh), and the `report <json>` of its callers' reads.
 * Each line's worker reads the token with its own library.
 */

/** The worker of this process. */
export const fromProcess = () => {
  const [backend, target, milliseconds, callers] = process.argv.slice(2) as [string, string, string, string]
  const environment = (name: string) => process.env[name] ?? ""
  const until = Date.now() + Number(milliseconds)
  const report = { gets: 0, expired: 0, failures: [] as Array<string> }
  return {
    backend: backend === "file" ? "file" as const : "redis" as const,
    target,
    callers: Number(callers),
    clientId: "up42-api",
    tokenUrl: environment("TOKEN_URL"),
    username: environment("USERNAME"),
    password: environment("PASSWORD"),
    /** Whether the callers go on reading. */
    running: () => Date.now() < until,
    /** A caller's pause between two reads. */
    pause: (): `${number} millis` => `${20 + Math.floor(Math.random() * 60)} millis`,
    /** Says that this process's own source starts a token request. */
    announceFetch: () => void process.stdout.write("fetch\n"),
    /** A read that failed with this message. */
    failed: (message: string) => void report.failures.push(message),
    /** A read that gave a token expiring at `expiresAt` (epoch ms): expired if that is past. */
    served: (expiresAt: number) => {
      report.gets++
      if (Date.now() >= expiresAt) report.expired++
    },
    /** Prints the report of the callers' reads. */
    printReport: () => void process.stdout.write(`report ${JSON.stringify(report)}\n`),
    /** Exits 0 when `run` resolves; prints its failure and exits 1 when it rejects. */
    finish: (run: Promise<unknown>) =>
      run.then(
        () => process.exit(0),
        (error) => {
          process.stderr.write(`${String(error)}\n`)
          process.exit(1)
        }
      )
  }
}
