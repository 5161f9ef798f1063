import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { MemoryEventStore } from "@xueshi/adapter-memory"
import { LogTransfer } from "@xueshi/core"
import { Effect, Layer } from "effect"

/** A file of examples/rosters. */
export const example = (name: string): string =>
  fileURLToPath(new URL(`../../../examples/rosters/${name}`, import.meta.url))

/** The class log of the examples: schools, members M1–M5, class C1 (S1–S3, M1–M3 enrolled), class C2 (W1). */
export const classLog = (): string => readFileSync(example("class.jsonl"), "utf8")

/** Runs an effect on a fresh memory store seeded with the class log. */
export const withClass = <A, E>(effect: Effect.Effect<A, E, import("@xueshi/core").EventStore.EventStore>) =>
  Effect.runPromise(
    Effect.gen(function* () {
      yield* LogTransfer.importLog(classLog())
      return yield* effect
    }).pipe(Effect.provide(MemoryEventStore.layer()))
  )

/** The store as log lines of the events after the class log. */
export const exportedAfterSeed = Effect.map(LogTransfer.exportText(), (text) =>
  text.trimEnd().split("\n").slice(classLog().trimEnd().split("\n").length)
)
export { Layer }
