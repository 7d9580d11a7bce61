/**
 * The local provider server's router: every provider's routes, and an RFC 6749 §5.2
 * 404 for any other path.
 *
 * @internal
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import { Effect } from "effect"
import type * as Api from "../../LocalProviderServer.js"
import type { HandlerContext, ProviderHandler } from "./providerHandler.js"
import { oauthError } from "./wire.js"

/** The app the server serves. */
export const router = (context: HandlerContext, providers: ReadonlyArray<Pick<ProviderHandler<Api.ProviderId>, "routes">>) =>
  HttpRouter.concatAll(...providers.map((provider) => provider.routes(context))).pipe(
    Effect.catchTag("RouteNotFound", (error) =>
      Effect.succeed(oauthError(404, "not_found", `No route for ${error.request.method} ${error.request.url}`)))
  )
