/**
 * Where a command reads its ledger from: an event-log-v1 file (`<log>`), or an event store
 * (`--store file:<dir>` — the file adapter, opened read-only, so a running writer keeps its
 * lock; `memory:` — an empty in-memory store, for trials). A store that cannot be opened is exit 3.
 *
 * @since 0.1.0
 */
import { existsSync } from "node:fs"
import { FileStore } from "@xueshi/adapter-file"
import { MemoryEventStore } from "@xueshi/adapter-memory"
import { Ledger, LiveLedger, LogValidator, type PolicySet } from "@xueshi/core"
import { Effect, Option } from "effect"
import { type CliFailure, invalid, unavailable, usage } from "./Failure.js"
import { lineReader, readable } from "./Files.js"

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

/**
 * The ledger of an event-log-v1 file under a policy set (one streaming pass; a log that breaks
 * a rule is exit 1 naming the line).
 *
 * @since 0.1.0
 */
export const ledgerOfLog = (log: string, policy: PolicySet.PolicySet): Effect.Effect<Ledger.Ledger, CliFailure> =>
  readable(log).pipe(
    Effect.flatMap(() => Ledger.fromLog(lineReader(log), policy)),
    Effect.mapError((e) =>
      e._tag === "CliFailure"
        ? e
        : e._tag === "LogError"
          ? invalid(`${log}:${LogValidator.describeLogError(e)}`, `nothing reported; run xueshi validate ${log} --all`)
          : invalid(`cannot read the log ${log}: ${e.message}`, "check the file")
    )
  )

/**
 * The source a command reads: exactly one of a log argument and `--store` (exit 2 otherwise).
 *
 * @since 0.1.0
 */
export const sourceOf = (
  log: Option.Option<string>,
  store: Option.Option<string>,
  command: string
): Effect.Effect<{ readonly kind: "log" | "store"; readonly location: string }, CliFailure> =>
  Option.isSome(log) === Option.isSome(store)
    ? Effect.fail(
        usage(
          "give either a log file or --store",
          `xueshi ${command} district.jsonl, or xueshi ${command} --store file:<dir>`
        )
      )
    : Effect.succeed(
        Option.isSome(log)
          ? { kind: "log" as const, location: log.value }
          : { kind: "store" as const, location: (store as Option.Some<string>).value }
      )

/**
 * The ledger of a source (a log file or a store URL).
 *
 * @since 0.1.0
 */
export const ledgerOf = (
  source: { readonly kind: "log" | "store"; readonly location: string },
  policy: PolicySet.PolicySet
): Effect.Effect<Ledger.Ledger, CliFailure> =>
  source.kind === "log" ? ledgerOfLog(source.location, policy) : ledgerOfStore(source.location, policy)
