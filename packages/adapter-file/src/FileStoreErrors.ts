/**
 * Errors of opening a file store, beside the port's `StoreUnavailable` and
 * `StoreCorrupted`.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * Another live process holds the store's write lock. Names the owner as the
 * lock file records it.
 *
 * @category errors
 * @since 0.1.0
 */
export class StoreLocked extends Schema.TaggedError<StoreLocked>()("StoreLocked", {
  directory: Schema.String,
  pid: Schema.Int,
  host: Schema.String,
  since: Schema.String,
  message: Schema.String
}) {}
