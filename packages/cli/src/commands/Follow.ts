/**
 * `xueshi follow --store URL`: a live view of a store for operators: a live ledger
 * (`LiveLedger.start` with `credit: "derive"`: nothing is written to the store; its runner
 * state is kept in memory) and, every `--interval`, one line with the events folded, the lag
 * behind the store's head and the roll-up headline. `--once` prints one line when caught up;
 * `--updates N` stops after N lines; Ctrl-C (SIGINT) or SIGTERM stops it cleanly (exit 0).
 *
 * @since 0.1.0
 */
import { MemoryEventStore } from "@xueshi/adapter-memory"
import { CheckpointStore, type Ledger, LiveLedger } from "@xueshi/core"
import { Console, Effect, Option } from "effect"
import { Command, Flag } from "effect/cli"
import { type CliFailure, unavailable, usage } from "../Failure.js"
import { latestYear } from "../Period.js"
import { loadPolicy } from "../PolicyFlag.js"
import { schemaFlag, sourceFlags, storeFlag } from "../Sources.js"
import * as StoreUrl from "../StoreUrl.js"

/**
 * The headline line of a ledger: events, lag, members and the first requirement's compliance.
 *
 * @category utils
 * @since 0.1.0
 */
export const headlineLine = (
  ledger: Ledger.Ledger,
  lag: { readonly events: number; readonly millis: number },
  year: number | undefined
): string => {
  const base = `${new Date().toISOString()}  events ${ledger.stats.events}  lag ${lag.events} events ${lag.millis} ms`
  if (year === undefined) return `${base}  (no sessions yet)`
  const roots = ledger.rollup({ year }).roots
  let members = 0
  let met = 0
  let applicable = 0
  for (const r of roots) {
    members += r.total.members
    met += r.total.met
    applicable += r.total.applicable
  }
  const rate = roots.length === 1 ? ` (${roots[0]?.rates.complianceRateText ?? "—"})` : ""
  return `${base}  ${year}: members ${members}  met ${met} / applicable ${applicable}${rate} ${ledger.policy.requirements[0]?.id ?? ""}`
}

const signalled = Effect.callback<void>((resume) => {
  const stop = () => resume(Effect.void)
  process.once("SIGINT", stop)
  process.once("SIGTERM", stop)
  return Effect.sync(() => {
    process.off("SIGINT", stop)
    process.off("SIGTERM", stop)
  })
})

/**
 * The `follow` command.
 *
 * @category runners
 * @since 0.1.0
 */
export const followCommand = Command.make(
  "follow",
  {
    store: storeFlag("The store to follow"),
    schema: schemaFlag(),
    policy: sourceFlags.policy,
    year: Flag.Int("year").pipe(
      Flag.withDescription("The year of the headline (default: the latest year with sessions)"),
      Flag.optional
    ),
    interval: Flag.Int("interval").pipe(
      Flag.withDescription("Milliseconds between lines (default 2000)"),
      Flag.withDefault(2000)
    ),
    once: Flag.Boolean("once").pipe(
      Flag.withDescription("Print one line once caught up with the store, then exit"),
      Flag.withDefault(false)
    ),
    updates: Flag.Int("updates").pipe(Flag.withDescription("Stop after N lines"), Flag.optional)
  },
  (flags) =>
    Effect.gen(function* () {
      if (flags.interval < 50)
        return yield* Effect.fail(
          usage(`--interval must be at least 50 ms, got ${flags.interval}`, "try --interval 1000")
        )
      if (Option.isSome(flags.updates) && flags.updates.value < 1)
        return yield* Effect.fail(usage(`--updates must be at least 1, got ${flags.updates.value}`, "try --updates 10"))
      const policy = yield* loadPolicy(flags.policy)
      const spec = yield* StoreUrl.parse(flags.store, flags.schema)
      const side = MemoryEventStore.make() // the runner's state and checkpoint stay in this process
      const view = Effect.gen(function* () {
        const live = yield* LiveLedger.start(policy, { credit: "derive" })
        const line = Effect.gen(function* () {
          const lag = yield* live.runner.lag
          const ledger = yield* live.ledger
          yield* Console.log(
            headlineLine(ledger, lag, Option.isSome(flags.year) ? flags.year.value : latestYear(ledger))
          )
        })
        if (flags.once) {
          yield* live.runner.whenCaughtUp
          return yield* line
        }
        let printed = 0
        while (true) {
          yield* line
          printed++
          if (Option.isSome(flags.updates) && printed >= flags.updates.value) return
          yield* Effect.sleep(flags.interval)
        }
      }).pipe(
        Effect.scoped,
        Effect.provideService(CheckpointStore.ProjectionStore, side.projections),
        Effect.mapError(
          (e): CliFailure =>
            unavailable(`following ${spec.url} failed: ${e.message}`, "check the store and start again")
        ),
        Effect.provide(StoreUrl.layer(spec, { readOnly: true }))
      )
      yield* Effect.raceFirst(view, signalled)
    })
).pipe(
  Command.withDescription("A live view of a store: lag and the roll-up headline as events arrive (Ctrl-C stops)"),
  Command.withExamples([
    { command: "xueshi follow --store file:./store", description: "A line every 2 seconds until Ctrl-C" },
    { command: "xueshi follow --store file:./store --once", description: "One line once caught up (scripts, checks)" },
    {
      command:
        "xueshi follow --store postgres://postgres@127.0.0.1:5432/postgres?schema=xiqing --interval 5000 --updates 12",
      description: "A minute of a PostgreSQL store"
    }
  ])
)
