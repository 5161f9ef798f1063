/**
 * The store port's conformance suite against PostgreSQL: every check gets a
 * fresh schema (dropped when its layer is released); the reopen checks open
 * several stores, one after the other, over the same schema.
 */
import { eventStoreConformance } from "@xueshi/testing"
import fc from "fast-check"
import { freshSchema, freshStore, pgDescribe, storeLayer } from "./helpers.js"

// Every case of every property builds a fresh schema (migrations included, ~0.1 s), so the
// PostgreSQL suite runs 50 cases per property (25 with small pages) instead of XUESHI_NUM_RUNS.
const numRuns = Math.min(50, fc.readConfigureGlobal().numRuns ?? 50)

pgDescribe("postgres conformance", () => {
  eventStoreConformance("postgres", () => freshStore(), {
    numRuns,
    appendBatch: true,
    reopen: {
      storage: freshSchema,
      makeLayer: (schema, options) => storeLayer(schema, options.codec === undefined ? {} : { codec: options.codec })
    }
  })

  // Small pages: every read and subscription crosses page boundaries.
  eventStoreConformance("postgres (page size 2)", () => freshStore({ pageSize: 2 }), {
    numRuns: Math.min(25, numRuns),
    appendBatch: true
  })
})
