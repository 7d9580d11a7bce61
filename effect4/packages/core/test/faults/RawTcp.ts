/** The raw TCP server in the test's scope, for the fault suites (support/RawTcpServer.ts). */
export { make, refusedUrl } from "../support/RawTcpServer.js"
