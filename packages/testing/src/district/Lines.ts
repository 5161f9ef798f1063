/**
 * The lines of a history: domain events in their streams with some of the
 * optional envelope fields of event-log-v1, and their rendering to log text.
 *
 * @since 0.1.0
 */
import { EventCodec, Events } from "@xueshi/core"

/**
 * One line of a history: a domain event (runtime payload) in its stream, with
 * some of the optional envelope fields of event-log-v1.
 *
 * @category models
 * @since 0.1.0
 */
export type HistoryLine = Events.DomainEvent & {
  readonly stream: string
  readonly version?: number
  readonly id?: string
  readonly recordedAt?: string
  readonly position?: number
  readonly meta?: Readonly<Record<string, unknown>>
}

/**
 * A history: its lines in log order.
 *
 * @category models
 * @since 0.1.0
 */
export type History = ReadonlyArray<HistoryLine>

/**
 * The log record of a history line (schema version 1).
 *
 * @category codecs
 * @since 0.1.0
 */
export const toRecord = (line: HistoryLine): EventCodec.LogRecord =>
  ({ ...line, schemaVersion: 1 }) as unknown as EventCodec.LogRecord

/**
 * Renders one line with a codec's `encodeLine` (default: event-log-v1).
 *
 * @category rendering
 * @since 0.1.0
 */
export const renderLine = (line: HistoryLine, codec: EventCodec.EventCodec = EventCodec.EventLogCodec): string =>
  codec.encodeLine(toRecord(line))

/**
 * Renders a history to its log lines (without newlines).
 *
 * @category rendering
 * @since 0.1.0
 */
export const renderLines = (history: History, codec: EventCodec.EventCodec = EventCodec.EventLogCodec): Array<string> =>
  history.map((l) => renderLine(l, codec))

/**
 * Renders a history to the text of a log file: one line each, every line ending with `\n`.
 *
 * @category rendering
 * @since 0.1.0
 */
export const renderText = (history: History, codec: EventCodec.EventCodec = EventCodec.EventLogCodec): string =>
  history.map((l) => `${renderLine(l, codec)}\n`).join("")

/**
 * Builds a history line from an event: its stream is the one the payload names.
 *
 * @category utils
 * @since 0.1.0
 */
export const lineOf = (
  event: Events.DomainEvent,
  envelope: Omit<Partial<HistoryLine>, "type" | "data"> = {}
): HistoryLine => ({ ...event, stream: Events.streamOf(event), ...envelope }) as HistoryLine
