import { TokenStore } from "@effect-bearer/core"
import { conformance } from "./support/TokenStoreConformance.js"

conformance({ name: "memory", layer: TokenStore.layerMemory, reportsTakeover: true })
