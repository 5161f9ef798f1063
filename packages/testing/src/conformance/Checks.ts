/**
 * The checks of the conformance suite of the store port, one named check per
 * rule, in one file per group of the port's contract (`AppendChecks`,
 * `ReadChecks`, `SubscriptionChecks`, `ConcurrencyChecks`, `CheckpointChecks`,
 * `SnapshotChecks`, `ProjectionRunnerChecks`, `PayloadChecks`, `ReopenChecks`),
 * sharing `CheckKit`. Each check is an effect over a context (`run(ctx)`) that
 * fails with a `ConformanceFailure` when the adapter breaks the rule; the suite
 * registers each as a vitest test, and the suite's own tests run them against
 * broken adapters to prove each can fail.
 *
 * @since 0.1.0
 */
import { appendChecks } from "./AppendChecks.js"
import type { Check } from "./CheckKit.js"
import { checkpointChecks } from "./CheckpointChecks.js"
import { concurrencyChecks } from "./ConcurrencyChecks.js"
import { payloadChecks } from "./PayloadChecks.js"
import { projectionRunnerChecks } from "./ProjectionRunnerChecks.js"
import { readChecks } from "./ReadChecks.js"
import { reopenChecks } from "./ReopenChecks.js"
import { snapshotChecks } from "./SnapshotChecks.js"
import { subscriptionChecks } from "./SubscriptionChecks.js"

export type { Check } from "./CheckKit.js"

/**
 * Every check of the port, in the order the suite registers them.
 *
 * @category rules
 * @since 0.1.0
 */
export const checks: ReadonlyArray<Check> = [
  ...appendChecks,
  ...readChecks,
  ...subscriptionChecks,
  ...concurrencyChecks,
  ...checkpointChecks,
  ...snapshotChecks,
  ...projectionRunnerChecks,
  ...payloadChecks,
  ...reopenChecks
]
