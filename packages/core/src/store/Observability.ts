/**
 * Tracing spans and metrics of the store, command handling and projection
 * runners, through Effect's built-in `Tracer` and `Metric`. Nothing is
 * exported anywhere unless the application installs a tracer (for example an
 * OTLP layer) or reads the metric registry; without one a span is a small
 * in-memory object and a metric update a map write.
 *
 * Span names: `xueshi.store.append`, `xueshi.store.readStream`,
 * `xueshi.store.readAll`, `xueshi.store.version`, `xueshi.command.handle`,
 * `xueshi.projection.batch`. Metric names are listed on {@link Metrics}.
 *
 * @since 0.1.0
 */
import { Effect, Metric, Stream } from "effect"
import { EventStore } from "./EventStore.js"

/**
 * The metrics xueshi updates.
 *
 * @since 0.1.0
 */
export const Metrics = {
  /** Appends, by `adapter` and `outcome`: `ok` or the error tag. */
  appends: Metric.counter("xueshi_store_appends_total", {
    description: "Appends to the event store, by outcome",
    incremental: true
  }),
  /** Events of successful appends (an idempotent retry counts again), by `adapter`. */
  appendedEvents: Metric.counter("xueshi_store_appended_events_total", {
    description: "Events in successful appends",
    incremental: true
  }),
  /** Commands handled, by `outcome`: `ok`, `noop`, or the error tag. */
  commands: Metric.counter("xueshi_commands_total", {
    description: "Commands handled, by outcome",
    incremental: true
  }),
  /** Attempts of command handling repeated after `WrongExpectedVersion`. */
  commandRetries: Metric.counter("xueshi_command_retries_total", {
    description: "Command attempts retried after a concurrent write",
    incremental: true
  }),
  /** Projection batches saved, by `projection`. */
  projectionBatches: Metric.counter("xueshi_projection_batches_total", {
    description: "Projection batches processed and saved",
    incremental: true
  }),
  /** Events read by projection runners (applied or skipped by the filter), by `projection`. */
  projectionEvents: Metric.counter("xueshi_projection_events_total", {
    description: "Events processed by projection runners",
    incremental: true
  }),
  /** How many positions a projection is behind the store's head, by `projection`. */
  projectionLagEvents: Metric.gauge("xueshi_projection_lag_events", {
    description: "Global positions between a projection's checkpoint and the store's head"
  }),
  /** How long the oldest unprocessed event has waited, in milliseconds, by `projection`. */
  projectionLagMillis: Metric.gauge("xueshi_projection_lag_millis", {
    description: "Age of the oldest event a projection has not processed yet"
  })
} as const

const outcomeOf = (e: unknown): string =>
  typeof e === "object" && e !== null && "_tag" in e && typeof (e as { _tag: unknown })._tag === "string"
    ? (e as { _tag: string })._tag
    : "error"

/**
 * Counts one occurrence of `metric` with the given attributes.
 *
 * @since 0.1.0
 */
export const count = (
  metric: Metric.Metric<number, unknown>,
  attributes: Record<string, string>,
  by = 1
): Effect.Effect<void> => Metric.update(Metric.withAttributes(metric, attributes), by)

/**
 * Wraps an event store service with spans and metrics. Adapters call it in
 * their layer so that every adapter is observed the same way; the wrapper adds
 * no behaviour.
 *
 * @since 0.1.0
 */
export const instrumentEventStore = (store: EventStore["Service"], adapter: string): EventStore["Service"] =>
  EventStore.of({
    append: (stream, events, expected) =>
      store.append(stream, events, expected).pipe(
        Effect.tap((r) => {
          const wrote = r.positions.length
          return Effect.andThen(
            count(Metrics.appends, { adapter, outcome: "ok" }),
            wrote > 0 ? count(Metrics.appendedEvents, { adapter }, wrote) : Effect.void
          )
        }),
        Effect.tapError((e) => count(Metrics.appends, { adapter, outcome: outcomeOf(e) })),
        Effect.withSpan("xueshi.store.append", {
          attributes: { adapter, stream, events: events.length, expected: String(expected) }
        })
      ),
    readStream: (stream, options) =>
      store
        .readStream(stream, options)
        .pipe(Stream.withSpan("xueshi.store.readStream", { attributes: { adapter, stream } })),
    readAll: (options) =>
      store
        .readAll(options)
        .pipe(Stream.withSpan("xueshi.store.readAll", { attributes: { adapter, after: options?.after ?? 0 } })),
    subscribe: (options) => store.subscribe(options),
    version: (stream) =>
      store.version(stream).pipe(Effect.withSpan("xueshi.store.version", { attributes: { adapter, stream } })),
    head: () => store.head()
  })
