import * as TokenStore from "@effect-bearer/core/TokenStore"
import { conformance } from "./support/TokenStoreConformance.js"

conformance({ name: "memory", layer: TokenStore.layerMemory, reportsTakeover: true })
