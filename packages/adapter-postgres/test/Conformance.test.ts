/**
 * The store port's conformance suite against PostgreSQL: every check gets a
 * fresh schema (dropped when its layer is released); the reopen checks open
 * several stores, one after the other, over the same schema.
 */
import { eventStoreConformance } from "@xueshi/testing"
import { freshSchema, freshStore, pgDescribe, storeLayer } from "./helpers.js"

pgDescribe("postgres conformance", () => {
  eventStoreConformance("postgres", () => freshStore(), {
    reopen: {
      storage: freshSchema,
      makeLayer: (schema, options) => storeLayer(schema, options.codec === undefined ? {} : { codec: options.codec })
    }
  })

  // Small pages: every read and subscription crosses page boundaries.
  eventStoreConformance("postgres (page size 2)", () => freshStore({ pageSize: 2 }), { numRuns: 25 })
})
