/**
 * Appends to several streams as one write: the optional {@link AppendBatch}
 * service of a store, and the rules of a batch ({@link planAppends}), stated
 * once for every adapter.
 *
 * A batch is a list of appends, each as `EventStore.append` takes it (a stream,
 * its events, the expected version). It is decided as if its appends ran one
 * after the other, in the list's order (a later append sees the versions and
 * ids of the earlier ones), and it is **all or nothing**: if one append is
 * refused (a wrong expected version, a partial id overlap, an event that cannot
 * be encoded), none is stored and the batch fails with that append's error. An
 * append whose ids are all stored at the same place is a retry, as for
 * `EventStore.append`: it writes nothing and answers the original result.
 * Positions follow the list's order.
 *
 * Stores that write many streams in one step provide it (the memory, file
 * and PostgreSQL adapters); `LogTransfer.importLog` uses it when it is there (a district's
 * log is 55,000 appends of 11 events on average: one write per batch instead
 * of one per append), and falls back to `EventStore.append` otherwise.
 *
 * @since 0.1.0
 */
import { Context, type Effect, Result } from "effect"
import { type EventCodec, EventLogCodec } from "../EventCodec.js"
import {
  type AppendedRecord,
  checkExpectedVersion,
  checkIdempotency,
  encodeAppend,
  encodeAppendWire,
  type StoredIdLocation
} from "./AppendRules.js"
import type { AppendResult, EventToAppend, ExpectedVersion } from "./EventStore.js"
import type { AppendError } from "./StoreErrors.js"

/**
 * One append of a batch: what `EventStore.append` takes.
 *
 * @category models
 * @since 0.1.0
 */
export interface StreamAppend {
  readonly stream: string
  readonly events: ReadonlyArray<EventToAppend>
  readonly expected: ExpectedVersion
}

/**
 * The optional batch append of a store (see the module docs): the appends'
 * results in the batch's order, or the first refused append's error with
 * nothing stored.
 *
 * @category services
 * @since 0.1.0
 */
export class AppendBatch extends Context.Service<
  AppendBatch,
  {
    readonly appendBatch: (
      appends: ReadonlyArray<StreamAppend>
    ) => Effect.Effect<ReadonlyArray<AppendResult>, AppendError>
  }
>()("@xueshi/core/AppendBatch") {}

/**
 * What a batch is decided against: the store's head, each stream's version and
 * where each event id is stored (ids are looked up as given; stores compare
 * them case-insensitively).
 *
 * @category models
 * @since 0.1.0
 */
export interface StoreView {
  readonly head: number
  readonly version: (stream: string) => number
  readonly lookupId: (id: string) => StoredIdLocation | undefined
}

/**
 * One planned append: its result and the records to store (none for a retry or
 * an empty append); `wire` holds the canonical JSON object of each record when
 * asked for (see `AppendRules.EncodedAppend`).
 *
 * @category models
 * @since 0.1.0
 */
export interface PlannedAppend {
  readonly stream: string
  readonly result: AppendResult
  readonly records: ReadonlyArray<AppendedRecord>
  readonly wire: ReadonlyArray<Record<string, unknown>>
}

/**
 * A decided batch: its appends in order and the head after it.
 *
 * @category models
 * @since 0.1.0
 */
export interface PlannedBatch {
  readonly appends: ReadonlyArray<PlannedAppend>
  readonly head: number
}

/**
 * A view over another with a decided batch's versions and ids on top: what the
 * next batch of one group commit is decided against.
 *
 * @category utils
 * @since 0.1.0
 */
export const withBatch = (base: StoreView, batch: PlannedBatch): StoreView => {
  if (batch.head === base.head) return base
  const versions = new Map<string, number>()
  const ids = new Map<string, StoredIdLocation>()
  for (const a of batch.appends) {
    if (a.records.length === 0) continue
    versions.set(a.stream, a.result.version)
    for (const r of a.records)
      if (r.id !== undefined)
        ids.set(r.id.toLowerCase(), { stream: a.stream, version: r.version, position: r.position })
  }
  return {
    head: batch.head,
    version: (stream) => versions.get(stream) ?? base.version(stream),
    lookupId: (id) => ids.get(id.toLowerCase()) ?? base.lookupId(id)
  }
}

/**
 * Decides a batch against a view (see the module docs): each append's
 * idempotency, expected version and encoding (`AppendRules`), in order, each
 * seeing the ones before it. Fails with the first refused append's error.
 * Pure: an adapter calls it inside its atomic section and stores the records
 * of every planned append, or nothing.
 *
 * @category rules
 * @since 0.1.0
 */
export const planAppends = (
  appends: ReadonlyArray<StreamAppend>,
  view: StoreView,
  recordedAt: string,
  options: { readonly codec?: EventCodec; readonly wire?: boolean } = {}
): Result.Result<PlannedBatch, AppendError> => {
  const codec = options.codec ?? EventLogCodec
  const versions = new Map<string, number>()
  const ids = new Map<string, StoredIdLocation>()
  let head = view.head
  const out: Array<PlannedAppend> = []
  for (const { stream, events, expected } of appends) {
    const verdict = checkIdempotency(stream, events, (id) => ids.get(id.toLowerCase()) ?? view.lookupId(id))
    if (verdict._tag === "Conflict") return Result.fail(verdict.error)
    if (verdict._tag === "Retry") {
      out.push({ stream, result: verdict.result, records: [], wire: [] })
      continue
    }
    const current = versions.get(stream) ?? view.version(stream)
    const wrong = checkExpectedVersion(stream, expected, current)
    if (wrong !== undefined) return Result.fail(wrong)
    if (events.length === 0) {
      out.push({ stream, result: { stream, version: current, positions: [] }, records: [], wire: [] })
      continue
    }
    let records: ReadonlyArray<AppendedRecord>
    let wire: ReadonlyArray<Record<string, unknown>> = []
    if (options.wire === true) {
      const encoded = encodeAppendWire(stream, events, current, head, recordedAt, codec)
      if (Result.isFailure(encoded)) return Result.fail(encoded.failure)
      records = encoded.success.records
      wire = encoded.success.wire
    } else {
      const encoded = encodeAppend(stream, events, current, head, recordedAt, codec)
      if (Result.isFailure(encoded)) return Result.fail(encoded.failure)
      records = encoded.success
    }
    for (const r of records)
      if (r.id !== undefined) ids.set(r.id.toLowerCase(), { stream, version: r.version, position: r.position })
    versions.set(stream, current + records.length)
    head += records.length
    out.push({
      stream,
      result: { stream, version: current + records.length, positions: records.map((r) => r.position) },
      records,
      wire
    })
  }
  return Result.succeed({ appends: out, head })
}
