/**
 * Hydrosat on the local provider server: a token endpoint (`client_secret_post`,
 * `client_credentials`) and the STAC collections API.
 *
 * @internal
 */
import { Providers } from "@effect-bearer/kernel"
import { clientCredentialsEnvironment, clientCredentialsToken } from "./clientCredentialsGrant.js"
import { get, post, type ProviderHandler, urlsOn } from "./providerHandler.js"
import { protectedApi } from "./protectedApi.js"
import { documentedLifetime, tokenPath } from "./providerRecord.js"

const record = Providers.hydrosat
const realm = "hydrosat"
const urlPaths = { tokenUrl: tokenPath(realm, record), apiUrl: `/${realm}/stac/collections` } as const

/** Hydrosat. */
export const hydrosat: ProviderHandler<"hydrosat"> = {
  id: "hydrosat",
  realm,
  defaultLifetime: documentedLifetime(record),
  urls: urlsOn(urlPaths),
  environment: (credentials, urls) => clientCredentialsEnvironment(record, credentials.hydrosat, urls),
  routes: (context) => [
    post(
      urlPaths.tokenUrl,
      clientCredentialsToken(context, { provider: "hydrosat", client: context.credentials.hydrosat, tokenType: "Bearer" })
    ),
    get(
      urlPaths.apiUrl,
      protectedApi(context, { provider: "hydrosat", realm }, () => ({
        collections: [{
          id: "local-collection",
          type: "Collection",
          stac_version: "1.0.0",
          description: "A collection served by the local provider server",
          license: "proprietary",
          links: []
        }],
        links: []
      }))
    )
  ]
}
