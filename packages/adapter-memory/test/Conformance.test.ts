import { eventStoreConformance } from "@xueshi/testing"
import { Effect } from "effect"
import { MemoryEventStore } from "../src/index.js"

// The whole suite, including the reopen checks: a MemoryStorage outlives the layers
// opened over it, like a database outlives its connections.
eventStoreConformance("memory", () => MemoryEventStore.layer(), {
  appendBatch: true,
  reopen: {
    storage: Effect.sync(() => MemoryEventStore.makeStorage()),
    makeLayer: (storage, options) =>
      MemoryEventStore.layer(options.codec === undefined ? { storage } : { storage, codec: options.codec })
  }
})

// Small read pages, so that every read and subscription crosses page boundaries.
eventStoreConformance("memory (page size 2)", () => MemoryEventStore.layer({ pageSize: 2 }), {
  appendBatch: true,
  numRuns: 25
})
