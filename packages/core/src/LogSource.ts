/**
 * Where an event log comes from: its whole text, lines in memory or from a
 * generator, lines that arrive asynchronously (Node's `readline` over a file),
 * an Effect `Stream` of lines, or the raw bytes of a file ({@link bytes}:
 * decoded strictly). Every reader of logs (the ledger, import, validation)
 * takes a {@link LogSource} and reads it in one streaming pass.
 *
 * @since 0.1.0
 */
import { Data, Effect, Result, Stream } from "effect"
import { type EventCodec, EventLogCodec, type LogRecord } from "./EventCodec.js"
import { LogError, makeLogValidator } from "./LogValidator.js"
import { decodeUtf8, MAX_LINE_BYTES } from "./StrictJson.js"

/**
 * The raw bytes of a log, in chunks (a Node `ReadStream`, an array of
 * buffers, …): see {@link bytes}.
 *
 * @category models
 * @since 0.1.0
 */
export interface LogBytes {
  readonly _tag: "LogBytes"
  readonly chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>
}

/**
 * A log read from bytes, as a file holds it: `LogSource.bytes(createReadStream(path))`.
 * Lines are split on `\n` only (a lone `\r` does not end a line, as in
 * `validateText`; a `\r\n` ending is accepted), each line is decoded as UTF-8
 * with a decoder that refuses invalid bytes, and a line longer than
 * `StrictJson.MAX_LINE_BYTES` is refused before it is held in memory: each a
 * {@link LogError} (rule `line.json`) naming the line and the byte offset.
 *
 * @category utils
 * @since 0.1.0
 */
export const bytes = (chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): LogBytes => ({
  _tag: "LogBytes",
  chunks
})

/**
 * A log: its text (split on `\n`), lines (an array or any iterable), lines that
 * arrive asynchronously, a `Stream` of lines, or its bytes ({@link bytes}).
 *
 * @category models
 * @since 0.1.0
 */
export type LogSource<E = never, R = never> =
  | string
  | Iterable<string>
  | AsyncIterable<string>
  | Stream.Stream<string, E, R>
  | LogBytes

/**
 * Reading an async source failed (the file could not be read, …).
 *
 * @category errors
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

/** A refusal of the byte reader, thrown inside the generator and carried out as a {@link LogError}. */
class BytesRefused {
  constructor(readonly error: LogError) {}
}

const refuse = (line: number, message: string): never => {
  throw new BytesRefused(new LogError({ line, rule: "line.json", path: "$", message }))
}

/** The lines of a byte source: split on LF, bounded, decoded strictly. */
async function* decodeLines(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): AsyncGenerator<string> {
  let pieces: Array<Uint8Array> = []
  let held = 0
  let lineNo = 0
  let lineStart = 0 // byte offset in the source of the held line's start
  const emit = (last: Uint8Array): string => {
    lineNo++
    const whole = pieces.length === 0 ? last : concat([...pieces, last], held + last.length)
    pieces = []
    held = 0
    // a "\r\n" ending: the "\r" may stand one byte over the bound
    const limit = whole[whole.length - 1] === 0x0d ? MAX_LINE_BYTES + 1 : MAX_LINE_BYTES
    if (whole.length > limit)
      refuse(lineNo, `the line is longer than ${MAX_LINE_BYTES} bytes (it starts at byte ${lineStart})`)
    const text = decodeUtf8(whole)
    if (Result.isFailure(text)) {
      const at = text.failure.offset ?? 0
      refuse(lineNo, `invalid UTF-8 at byte ${at} of the line (byte ${lineStart + at} of the log)`)
    }
    const out = (text as Result.Success<string, never>).success
    lineStart += whole.length + 1
    return out
  }
  for await (const chunk of chunks) {
    let from = 0
    for (;;) {
      const nl = chunk.indexOf(0x0a, from)
      if (nl < 0) break
      yield emit(chunk.subarray(from, nl))
      from = nl + 1
    }
    if (from < chunk.length) {
      const rest = chunk.subarray(from)
      held += rest.length
      if (held > MAX_LINE_BYTES + 1) {
        refuse(lineNo + 1, `the line is longer than ${MAX_LINE_BYTES} bytes (it starts at byte ${lineStart})`)
      }
      // a copy: a reader may reuse its chunk's memory
      pieces.push(rest.slice())
    }
  }
  if (held > 0) yield emit(new Uint8Array(0))
}

const concat = (parts: ReadonlyArray<Uint8Array>, length: number): Uint8Array => {
  const out = new Uint8Array(length)
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

const isLogBytes = (u: unknown): u is LogBytes =>
  typeof u === "object" && u !== null && (u as { _tag?: unknown })._tag === "LogBytes"

const isAsyncIterable = (u: unknown): u is AsyncIterable<string> =>
  typeof u === "object" && u !== null && typeof (u as Record<symbol, unknown>)[Symbol.asyncIterator] === "function"

/**
 * The lines of a source as a `Stream`, in chunks (1,024 lines for in-memory sources).
 *
 * @category utils
 * @since 0.1.0
 */
export const lines = <E, R>(source: LogSource<E, R>): Stream.Stream<string, E | LogSourceError | LogError, R> => {
  if (typeof source === "string") return Stream.fromIterable(splitText(source), { chunkSize: 1024 })
  if (isLogBytes(source)) {
    return Stream.fromAsyncIterable(decodeLines(source.chunks), (e) =>
      e instanceof BytesRefused ? e.error : sourceError(e)
    )
  }
  if (Stream.isStream(source)) return source as Stream.Stream<string, E, R>
  if (isAsyncIterable(source)) return Stream.fromAsyncIterable(source, sourceError)
  return Stream.fromIterable(source as Iterable<string>, { chunkSize: 1024 })
}

/**
 * Options of {@link validated}.
 *
 * @category models
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
 * @category rules
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
