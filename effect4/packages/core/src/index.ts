export * as Placeholder from "./Placeholder.js"
