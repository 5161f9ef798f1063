/**
 * Import and export by the event-log-v1 contract, over any adapter.
 *
 * - **Import is all or nothing** by default: the whole log is validated first —
 *   on top of what the store already holds, so the store plus the log is itself
 *   a valid log — and nothing is appended unless every line is valid; the error
 *   names the line, the field path and the rule. `mode: "validPrefix"` appends
 *   the lines before the first error and reports it.
 * - **Idempotent on event ids**: a line whose id is already stored (with the
 *   same content) is a no-op, so importing the same log twice changes nothing.
 *   Lines without an id carry no such promise (the contract's); give lines ids
 *   to make an interrupted import safe to run again.
 * - **Grouped appends**: consecutive lines of one stream are appended together
 *   (at most `batchSize`), each with the exact expected version, so a writer
 *   that races the import makes it fail rather than interleave. When the store
 *   provides `AppendBatch`, the appends go in batches of about `batchEvents`
 *   events, one all-or-nothing write each, in the log's order.
 * - **Export** writes every field in the contract's order (stream, type, data,
 *   version, id, schemaVersion, recordedAt, position, meta), so export → import
 *   into an empty store → export is byte-identical.
 *
 * @since 0.1.0
 */
import { Effect, Option, Stream } from "effect"
import { type EventCodec, EventLogCodec, type LogRecord } from "../EventCodec.js"
import { type LogSource, type LogSourceError, lines } from "../LogSource.js"
import { LogError, makeLogValidator } from "../LogValidator.js"
import { AppendBatch, type StreamAppend } from "./AppendBatch.js"
import { EventStore, type EventToAppend } from "./EventStore.js"
import type { AppendError, ReadError } from "./StoreErrors.js"

/**
 * Options of {@link importLog}.
 *
 * @category models
 * @since 0.1.0
 */
export interface ImportOptions {
  /** `allOrNothing` (default) or `validPrefix`. */
  readonly mode?: "allOrNothing" | "validPrefix"
  /** At most this many events per append (default 500). */
  readonly batchSize?: number
  /** With a store's `AppendBatch`: appends per batch until it holds this many events (default 20,000). */
  readonly batchEvents?: number
  /** The codec (default: event-log-v1 without upcasters). */
  readonly codec?: EventCodec
  /** Called after each append with the lines validated and the events appended so far. */
  readonly onProgress?: (progress: { readonly lines: number; readonly appended: number }) => void
}

/**
 * What an import did.
 *
 * @category models
 * @since 0.1.0
 */
export interface ImportResult {
  /** Lines read (up to the first error in `validPrefix` mode). */
  readonly lines: number
  /** Events appended. */
  readonly appended: number
  /** Lines that repeat an event already stored (same id, same content): no-ops. */
  readonly skipped: number
  /** In `validPrefix` mode, the first invalid line (nothing from it on was imported). */
  readonly rejected?: LogError
}

/**
 * Imports a log into the store (see the module docs). Fails with the first
 * {@link LogError} in `allOrNothing` mode (nothing is written), and with the
 * store's errors if an append fails.
 *
 * @category utils
 * @since 0.1.0
 */
export const importLog = <E = never, R = never>(
  source: LogSource<E, R>,
  options: ImportOptions = {}
): Effect.Effect<ImportResult, LogError | LogSourceError | AppendError | ReadError | E, EventStore | R> =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const codec = options.codec ?? EventLogCodec
    const batchSize = Math.max(1, options.batchSize ?? 500)
    const validator = makeLogValidator({ codec })
    // the store's content first: the store plus the log must be a valid log; positions are the log's own
    if ((yield* store.head()) > 0) {
      yield* Stream.runForEach(store.readAll(), (stored) =>
        Effect.sync(() => {
          const { position: _, ...rest } = stored
          const outcome = validator.push(codec.encodeLine(rest as LogRecord))
          if (outcome._tag === "Error")
            throw new Error(`the store does not replay as a valid log: ${outcome.error.message}`)
        })
      )
    }
    const primed = validator.lines()
    const accepted: Array<LogRecord> = []
    let rejected: LogError | undefined
    let skipped = 0
    // a chunk of lines at a time (not an Effect per line); the first invalid line stops the read
    yield* Stream.runForEachArray(lines(source), (chunk) => {
      for (const line of chunk) {
        const outcome = validator.push(line)
        if (outcome._tag === "Record") accepted.push(outcome.record)
        else if (outcome._tag === "Skip") {
          if (line.trim() !== "") skipped++
        } else {
          rejected = outcome.error.line > primed ? withLine(outcome.error, outcome.error.line - primed) : outcome.error
          return Effect.fail(STOP)
        }
      }
      return Effect.void
    }).pipe(
      Effect.catchIf(
        (e): e is typeof STOP => e === STOP,
        () => Effect.void
      )
    )
    const read = validator.lines() - primed
    if (rejected !== undefined && options.mode !== "validPrefix") return yield* Effect.fail(rejected)

    // the appends, built as they are written (and the records let go), so that a district's log is held once
    let next = 0
    const nextAppend = (): StreamAppend | undefined => {
      if (next >= accepted.length) return undefined
      const first = accepted[next] as LogRecord
      let j = next + 1
      while (j < accepted.length && j - next < batchSize && (accepted[j] as LogRecord).stream === first.stream) j++
      const events: Array<EventToAppend> = []
      for (let k = next; k < j; k++) {
        events.push(toAppend(accepted[k] as LogRecord))
        accepted[k] = undefined as unknown as LogRecord
      }
      next = j
      return { stream: first.stream, events, expected: (first.version as number) - 1 }
    }
    let appended = 0
    const batches = yield* Effect.serviceOption(AppendBatch)
    if (Option.isSome(batches)) {
      const batchEvents = Math.max(1, options.batchEvents ?? 20_000)
      for (;;) {
        const batch: Array<StreamAppend> = []
        let events = 0
        while (events < batchEvents) {
          const a = nextAppend()
          if (a === undefined) break
          batch.push(a)
          events += a.events.length
        }
        if (batch.length === 0) break
        yield* batches.value.appendBatch(batch)
        appended += events
        options.onProgress?.({ lines: read, appended })
      }
    } else {
      for (let a = nextAppend(); a !== undefined; a = nextAppend()) {
        yield* store.append(a.stream, a.events, a.expected)
        appended += a.events.length
        options.onProgress?.({ lines: read, appended })
      }
    }
    return {
      lines: read,
      appended,
      skipped,
      ...(rejected === undefined ? {} : { rejected })
    }
  })

/** Stops reading the log at its first invalid line (caught at once: not an error of the import). */
const STOP: unique symbol = Symbol("LogTransfer.stop")

/** The error with its line number counted in the imported log (not after the store's replayed lines). */
const withLine = (e: LogError, line: number): LogError =>
  new LogError({
    line,
    rule: e.rule,
    path: e.path,
    message: e.message,
    ...(e.stream === undefined ? {} : { stream: e.stream })
  })

const toAppend = (r: LogRecord): EventToAppend => ({
  event: { type: r.type, data: r.data } as EventToAppend["event"],
  ...(r.id === undefined ? {} : { id: r.id }),
  ...(r.recordedAt === undefined ? {} : { recordedAt: r.recordedAt }),
  ...(r.meta === undefined ? {} : { meta: r.meta })
})

/**
 * Options of {@link exportLog}.
 *
 * @category models
 * @since 0.1.0
 */
export interface ExportOptions {
  /** Only events after this global position (default: all). */
  readonly after?: number
  /** The codec (default: event-log-v1). */
  readonly codec?: EventCodec
}

/**
 * The store as event-log-v1 lines (without newlines), in global order.
 *
 * @category utils
 * @since 0.1.0
 */
export const exportLog = (options: ExportOptions = {}): Stream.Stream<string, ReadError, EventStore> => {
  const codec = options.codec ?? EventLogCodec
  return Stream.unwrap(
    Effect.map(Effect.service(EventStore), (store) =>
      store
        .readAll(options.after === undefined ? {} : { after: options.after })
        .pipe(Stream.map((r) => codec.encodeLine(r)))
    )
  )
}

/**
 * The store as one event-log-v1 text (every line ends with `\n`).
 *
 * @category utils
 * @since 0.1.0
 */
export const exportText = (options: ExportOptions = {}): Effect.Effect<string, ReadError, EventStore> =>
  Stream.runFold(
    exportLog(options),
    () => "",
    (text, line) => `${text}${line}\n`
  )
