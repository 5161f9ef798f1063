/**
 * The errors of opening a PostgreSQL store (beyond the port's own errors).
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * The store's schema was written in another PostgreSQL cluster (its
 * `system_identifier` differs): the database was restored from a dump into a
 * new cluster, where transaction ids restart. Positions and checkpoints would
 * no longer follow the commit order, so the store refuses to open until an
 * operator re-baselines it: `SELECT <schema>.rebaseline()` (or
 * `PostgresEventStore.rebaseline`) with no writer running.
 *
 * @category errors
 * @since 0.1.0
 */
export class ClusterChanged extends Schema.TaggedError<ClusterChanged>()("ClusterChanged", {
  schema: Schema.String,
  stored: Schema.String,
  current: Schema.String,
  message: Schema.String
}) {}

/**
 * The store could not be opened: the schema name is not a plain identifier,
 * the database refused the migrations, or it cannot be reached.
 *
 * @category errors
 * @since 0.1.0
 */
export class StoreOpenFailed extends Schema.TaggedError<StoreOpenFailed>()("StoreOpenFailed", {
  schema: Schema.String,
  message: Schema.String,
  cause: Schema.optionalKey(Schema.Defect())
}) {}
