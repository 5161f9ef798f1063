/**
 * Where `xueshi report` reads its ledger from: an event-log-v1 file (`<log>`), or an event
 * store (`--store file:<dir>` — the file adapter, opened read-only, so a running writer keeps its
 * lock; `memory:` — an empty in-memory store, for trials). A store that cannot be opened is exit 3.
 *
 * @since 0.1.0
 */
import { existsSync } from "node:fs"
import { FileStore } from "@xueshi/adapter-file"
import { MemoryEventStore } from "@xueshi/adapter-memory"
import { type Ledger, LiveLedger, type PolicySet } from "@xueshi/core"
import { Effect } from "effect"
import { type CliFailure, unavailable, usage } from "./Failure.js"

/**
 * The ledger of a store URL under a policy set.
 *
 * @since 0.1.0
 */
export const ledgerOfStore = (url: string, policy: PolicySet.PolicySet): Effect.Effect<Ledger.Ledger, CliFailure> => {
  if (url === "memory:")
    return Effect.provide(LiveLedger.fromStore(policy), MemoryEventStore.layer()).pipe(Effect.orDie)
  if (!url.startsWith("file:"))
    return Effect.fail(usage(`unknown store ${url}`, "give --store file:<dir> or --store memory:"))
  const directory = url.slice("file:".length)
  if (directory === "") return Effect.fail(usage("--store file: needs a folder", "give --store file:<dir>"))
  if (!existsSync(directory))
    return Effect.fail(unavailable(`the store ${url} is unavailable: no such folder`, "check the path of the store"))
  return LiveLedger.fromStore(policy).pipe(
    Effect.provide(FileStore.layerFileStore({ directory, readOnly: true })),
    Effect.mapError((e) =>
      unavailable(`the store ${url} is unavailable: ${e.message}`, "check the folder, or stop the process holding it")
    )
  )
}
