/**
 * The store port's conformance suite against the file adapter: every check
 * gets a fresh temporary directory (removed when its layer is released), and
 * the reopen checks close and reopen a store over the same directory.
 */
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { eventStoreConformance } from "@xueshi/testing"
import { Effect, Layer } from "effect"
import { FileStore } from "../src/index.js"

/** A fresh temporary directory, removed when the scope closes. */
const directory = Effect.acquireRelease(
  Effect.promise(() => mkdtemp(join(tmpdir(), "xueshi-conformance-"))),
  (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true }))
)

const fresh = (options: Omit<FileStore.FileStoreOptions, "directory">) => () =>
  Layer.unwrap(Effect.map(directory, (dir) => FileStore.layer({ directory: dir, ...options })))

eventStoreConformance("file (always)", fresh({}), {
  appendBatch: true,
  reopen: {
    storage: directory,
    makeLayer: (dir, options) =>
      FileStore.layer(options.codec === undefined ? { directory: dir } : { directory: dir, codec: options.codec })
  }
})

// Group commit and tiny segments: every read crosses segment boundaries, appends are coalesced.
eventStoreConformance("file (grouped, 4 KiB segments)", fresh({ durability: "grouped", segmentBytes: 4096 }), {
  appendBatch: true,
  numRuns: 25
})
