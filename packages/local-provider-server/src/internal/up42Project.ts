/**
 * UP42 with project credentials on the local provider server: the legacy token endpoint
 * (HTTP Basic with the project id and API key, `client_credentials`) and the projects API.
 *
 * @internal
 */
import { ClientSecretBasic, Providers } from "@effect-bearer/kernel"
import { isFault, tokenType } from "./faults.js"
import { get, post, type ProviderHandler, urlsOn } from "./providerHandler.js"
import { documentedLifetime, environmentOf, tokenPath, withAccessTokenAt } from "./providerRecord.js"
import { protectedApi } from "./protectedApi.js"
import { isForm, json, noStore, oauthError, unsupportedMediaType } from "./wire.js"

const record = Providers.up42Project
const realm = "up42"
const urlPaths = { tokenUrl: tokenPath(realm, record), apiUrl: `/${realm}/api/projects` } as const

/** UP42 with project credentials. */
export const up42Project: ProviderHandler<"up42-project"> = {
  id: "up42-project",
  realm,
  defaultLifetime: documentedLifetime(record),
  urls: urlsOn(urlPaths),
  environment: (credentials, urls) =>
    environmentOf(record, {
      projectId: credentials.up42Projects[0]?.projectId ?? "",
      projectApiKey: credentials.up42Projects[0]?.projectApiKey ?? "",
      tokenUrl: urls.tokenUrl
    }),
  routes: (context) => {
    const { credentials, tokens } = context
    const token = context.endpoint("up42-project", "token", async (incoming, fault) => {
      if (!isForm(incoming.headers)) return unsupportedMediaType
      // As UP42 takes them: the documented `curl -u` sends the ID and key as they are.
      const basic = ClientSecretBasic.parseAsIs(incoming.headers["authorization"])
      const project = basic === undefined ? undefined : credentials.up42Projects.find((project) =>
        project.projectId === basic.clientId && project.projectApiKey === basic.clientSecret
      )
      if (project === undefined) {
        return oauthError(401, "invalid_client", "Bad project ID or project API key", {
          "www-authenticate": `Basic realm="${realm}"`
        })
      }
      const grantType = incoming.form.get("grant_type")
      // UP42's guides are silent here: a required parameter missing is 400 invalid_request (RFC 6749 §5.2).
      if (grantType === null) return oauthError(400, "invalid_request", "Missing grant_type")
      if (grantType !== "client_credentials") {
        return oauthError(400, "unsupported_grant_type", "Only client_credentials is supported")
      }
      const issued = await tokens.issue({
        provider: "up42-project",
        subject: project.projectId,
        clientId: project.projectId,
        now: incoming.now,
        algorithm: "HS512",
        fault
      })
      // The legacy shape: the token at each of the record's paths, no expires_in, lower-case bearer
      // (or, under the fault, at the top-level accessToken only).
      const value = isFault(fault, "MissingAccessToken") ? undefined : issued.value
      const body = isFault(fault, "TopLevelAccessToken") ? { accessToken: value } : withAccessTokenAt(record, value)
      return json({ ...body, token_type: tokenType(fault, "bearer") }, 200, noStore)
    })
    return [
      post(urlPaths.tokenUrl, token),
      get(
        urlPaths.apiUrl,
        protectedApi(context, { provider: "up42-project", realm }, (token) => ({
          data: [{ id: token.subject, name: "Local project" }],
          error: null
        }))
      )
    ]
  }
}
