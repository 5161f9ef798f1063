/**
 * Where an event log comes from: its whole text, lines in memory or from a
 * generator, lines that arrive asynchronously (Node's `readline` over a file),
 * or an Effect `Stream` of lines. Every reader of logs (the ledger, import,
 * validation) takes a {@link LogSource} and reads it in one streaming pass.
 *
 * @since 0.1.0
 */
import { Data, Effect, Stream } from "effect"
import { type EventCodec, EventLogCodec, type LogRecord } from "./EventCodec.js"
import { type LogError, makeLogValidator } from "./LogValidator.js"

/**
 * A log: its text (split on `\n`), lines (an array or any iterable), lines that
 * arrive asynchronously, or a `Stream` of lines.
 *
 * @since 0.1.0
 */
export type LogSource<E = never, R = never> =
  | string
  | Iterable<string>
  | AsyncIterable<string>
  | Stream.Stream<string, E, R>

/**
 * Reading an async source failed (the file could not be read, …).
 *
 * @since 0.1.0
 */
export class LogSourceError extends Data.TaggedError("LogSourceError")<{
  readonly message: string
  readonly cause: unknown
}> {}

const sourceError = (cause: unknown) =>
  new LogSourceError({
    message: `the log could not be read: ${cause instanceof Error ? cause.message : String(cause)}`,
    cause
  })

function* splitText(text: string): Generator<string> {
  let start = 0
  while (start < text.length) {
    const nl = text.indexOf("\n", start)
    if (nl === -1) {
      yield text.slice(start)
      return
    }
    yield text.slice(start, nl)
    start = nl + 1
  }
}

const isAsyncIterable = (u: unknown): u is AsyncIterable<string> =>
  typeof u === "object" && u !== null && typeof (u as Record<symbol, unknown>)[Symbol.asyncIterator] === "function"

/**
 * The lines of a source as a `Stream`, in chunks (1,024 lines for in-memory sources).
 *
 * @since 0.1.0
 */
export const lines = <E, R>(source: LogSource<E, R>): Stream.Stream<string, E | LogSourceError, R> => {
  if (typeof source === "string") return Stream.fromIterable(splitText(source), { chunkSize: 1024 })
  if (Stream.isStream(source)) return source as Stream.Stream<string, E, R>
  if (isAsyncIterable(source)) return Stream.fromAsyncIterable(source, sourceError)
  return Stream.fromIterable(source as Iterable<string>, { chunkSize: 1024 })
}

/**
 * Options of {@link validated}.
 *
 * @since 0.1.0
 */
export interface ReadOptions {
  /** The codec (default: event-log-v1 without upcasters). */
  readonly codec?: EventCodec
  /** Check references between streams (default `true`). */
  readonly references?: boolean
}

/**
 * Validates a log line by line and hands each accepted record to `onRecord`;
 * fails with the first {@link LogError} (line, field path, rule). Answers the
 * lines read and the records accepted.
 *
 * @since 0.1.0
 */
export const validated = <E, R>(
  source: LogSource<E, R>,
  onRecord: (record: LogRecord) => void,
  options: ReadOptions = {}
): Effect.Effect<{ readonly lines: number; readonly accepted: number }, LogError | E | LogSourceError, R> =>
  Effect.suspend(() => {
    const validator = makeLogValidator({
      codec: options.codec ?? EventLogCodec,
      ...(options.references === undefined ? {} : { references: options.references })
    })
    return Stream.runForEachArray(lines(source), (chunk) => {
      for (const line of chunk) {
        const outcome = validator.push(line)
        if (outcome._tag === "Record") onRecord(outcome.record)
        else if (outcome._tag === "Error") return Effect.fail(outcome.error)
      }
      return Effect.void
    }).pipe(Effect.map(() => ({ lines: validator.lines(), accepted: validator.accepted() })))
  })
