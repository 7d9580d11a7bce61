// @badgateway/oauth2-client's declarations name the DOM type `RequestInfo`, which
// @types/node does not declare globally; this is the DOM's definition.
declare global {
  type RequestInfo = Request | string
}

export {}
