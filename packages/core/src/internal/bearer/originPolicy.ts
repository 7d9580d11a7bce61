/**
 * Where a request may take the token: the kernel's origin matching (`Origin.destination`)
 * with the client's `onForeignOrigin` choice.
 */
import * as Origin from "@effect-bearer/kernel/Origin"
import * as TokenError from "../../TokenError.js"
import { displayUrl } from "../http.js"
import type { Settings } from "./options.js"

/**
 * `WithToken` for an allowed origin, `WithoutToken` for another origin the client may send
 * to as it is, or the `WrongHost` that refuses the request: the API's own host over plain
 * http (a mistake worth an error, not a silent 401), or another origin with
 * `onForeignOrigin: "fail"`. An allowed origin costs one set lookup and no allocation.
 */
export const route = (settings: Settings, url: URL): "WithToken" | "WithoutToken" | TokenError.WrongHost => {
  switch (Origin.destination(settings.allowList, url)) {
    case "Allowed":
      return "WithToken"
    case "InsecureDowngrade":
      return new TokenError.WrongHost({ endpoint: displayUrl(url), reason: "InsecureEndpoint" })
    case "Foreign":
      return settings.onForeignOrigin === "fail"
        ? new TokenError.WrongHost({ endpoint: displayUrl(url), reason: "ForeignOrigin", location: url.origin })
        : "WithoutToken"
  }
}
