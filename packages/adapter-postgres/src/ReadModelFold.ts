/**
 * The state of a read-model runner ({@link PostgresReadModels}): the ledger fold
 * at a checkpoint, the rows last written (the baseline) and what the events
 * since the last save may have changed (the tracker).
 *
 * @since 0.1.0
 */
import { type EventStore, Ledger, type PolicySet, type StoreErrors } from "@xueshi/core"
import { Effect, Stream } from "effect"
import * as Rows from "./ReadModelRows.js"

/**
 * A runner's fold and its bookkeeping (mutable: the runner owns it).
 *
 * @category models
 * @since 0.1.0
 */
export interface Fold {
  fold: Ledger.LedgerFold
  checkpoint: number
  baseline: Rows.Baseline
  tracker: Rows.Tracker
  unsaved: number
  sinceSnapshot: number
}

/**
 * A fold of nothing, under `policy`.
 *
 * @category utils
 * @since 0.1.0
 */
export const fresh = (policy: PolicySet.PolicySet): Fold => ({
  fold: Ledger.makeFold(policy),
  checkpoint: 0,
  baseline: Rows.emptyBaseline(),
  tracker: Rows.makeTracker(),
  unsaved: 0,
  sinceSnapshot: 0
})

/**
 * Folds `records` (in position order) into `f`, marking what they may change.
 *
 * @category utils
 * @since 0.1.0
 */
export const push = (f: Fold, records: ReadonlyArray<EventStore.StoredEvent>): void => {
  for (const r of records) {
    const commands = f.fold.pushLive(r)
    const members = commands.map((cmd) => (cmd.data as { readonly memberId: string }).memberId)
    f.tracker.touch(f.fold.facts, r, members)
  }
  const last = records[records.length - 1]
  if (last !== undefined) f.checkpoint = last.position
  f.unsaved += records.length
  f.sinceSnapshot += records.length
}

/**
 * The rows of `pending` are in the tables: they are the fold's baseline now, nothing is unsaved.
 *
 * @category utils
 * @since 0.1.0
 */
export const committed = (f: Fold, pending: Rows.PendingBaseline): void => {
  Rows.commit(f.baseline, pending)
  f.tracker.clear()
  f.unsaved = 0
}

/**
 * Folds the log of `store` from `after` up to `until` (inclusive) into `f`.
 *
 * @category utils
 * @since 0.1.0
 */
export const replay = (
  store: EventStore.EventStore["Service"],
  f: Fold,
  after: number,
  until: number
): Effect.Effect<void, StoreErrors.ReadError> =>
  store.readAll({ after }).pipe(
    Stream.takeWhile((r) => r.position <= until),
    Stream.runForEachArray((records) => Effect.sync(() => push(f, records)))
  )

/**
 * Makes the baseline what the tables hold: the rows of the fold (the tables are those of its checkpoint).
 *
 * @category utils
 * @since 0.1.0
 */
export const adoptBaseline = (f: Fold): Effect.Effect<void> =>
  Effect.sync(() => {
    f.tracker.touchAll()
    committed(f, f.tracker.compute(f.fold.current(), f.baseline).pending)
  })
