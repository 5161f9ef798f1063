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
import { Effect, Metric, Stream, type Tracer } from "effect"
import { AppendBatch } from "./AppendBatch.js"
import { EventStore } from "./EventStore.js"

/**
 * The metrics xueshi updates.
 *
 * @category values
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

/** Each metric's attribute-bound forms, built once per distinct attribute set. */
const bound = new WeakMap<Metric.Metric<number, unknown>, Map<string, Metric.Metric<number, unknown>>>()

/**
 * `metric` with the given attributes, built once per metric and attribute set
 * (and therefore with its series key computed once): update it with
 * `Metric.update`. Reusing one bound metric is what keeps an update a map write.
 *
 * @category utils
 * @since 0.1.0
 */
export const withAttributes = (
  metric: Metric.Metric<number, unknown>,
  attributes: Record<string, string>
): Metric.Metric<number, unknown> => {
  let forMetric = bound.get(metric)
  if (forMetric === undefined) {
    forMetric = new Map()
    bound.set(metric, forMetric)
  }
  let key = ""
  for (const k in attributes) key += `${k}\u0000${attributes[k]}\u0000`
  let m = forMetric.get(key)
  if (m === undefined) {
    m = Metric.withAttributes(metric, attributes)
    forMetric.set(key, m)
  }
  return m
}

/**
 * Counts one occurrence of `metric` with the given attributes.
 *
 * @category utils
 * @since 0.1.0
 */
export const count = (
  metric: Metric.Metric<number, unknown>,
  attributes: Record<string, string>,
  by = 1
): Effect.Effect<void> => Metric.update(withAttributes(metric, attributes), by)

/**
 * The trace options of xueshi's spans: no stack trace is captured (a capture
 * costs an `Error` per span, on every append). Pass it as the third argument
 * of `Effect.withSpan(name, options, traceOptions)`: Effect 4 reads stack
 * capture there, not in the span options of the data-last form.
 *
 * @category utils
 * @since 0.1.0
 */
export const noStackTrace: Tracer.TraceOptions = { captureStackTrace: false }

/**
 * Span options with the given attributes and no stack capture (for
 * `Stream.withSpan` and the data-first `Effect.withSpan(self, name, options)`).
 *
 * @category utils
 * @since 0.1.0
 */
export const spanOptions = (attributes: Record<string, unknown>): Tracer.SpanOptions => ({
  attributes,
  captureStackTrace: false
})

/**
 * Wraps an event store service with spans and metrics. Adapters call it in
 * their layer so that every adapter is observed the same way; the wrapper adds
 * no behaviour.
 *
 * @category utils
 * @since 0.1.0
 */
export const instrumentEventStore = (store: EventStore["Service"], adapter: string): EventStore["Service"] => {
  // the metrics' series of this adapter, bound once
  const appendsOk = withAttributes(Metrics.appends, { adapter, outcome: "ok" })
  const appendedEvents = withAttributes(Metrics.appendedEvents, { adapter })
  return EventStore.of({
    append: (stream, events, expected) =>
      store.append(stream, events, expected).pipe(
        Effect.tap((r) => {
          const wrote = r.positions.length
          return wrote > 0
            ? Effect.andThen(Metric.update(appendsOk, 1), Metric.update(appendedEvents, wrote))
            : Metric.update(appendsOk, 1)
        }),
        Effect.tapError((e) => count(Metrics.appends, { adapter, outcome: outcomeOf(e) })),
        Effect.withSpan(
          "xueshi.store.append",
          { attributes: { adapter, stream, events: events.length, expected: String(expected) } },
          noStackTrace
        )
      ),
    readStream: (stream, options) =>
      store
        .readStream(stream, options)
        .pipe(Stream.withSpan("xueshi.store.readStream", spanOptions({ adapter, stream }))),
    readAll: (options) =>
      store
        .readAll(options)
        .pipe(Stream.withSpan("xueshi.store.readAll", spanOptions({ adapter, after: options?.after ?? 0 }))),
    subscribe: (options) => store.subscribe(options),
    version: (stream) =>
      store
        .version(stream)
        .pipe(Effect.withSpan("xueshi.store.version", { attributes: { adapter, stream } }, noStackTrace)),
    head: () => store.head()
  })
}

/**
 * Wraps a batch append (`AppendBatch`) with a span (`xueshi.store.appendBatch`:
 * adapter, appends, events) and the append metrics: a batch that succeeds
 * counts each of its appends as `ok` and the events it wrote; a refused batch
 * counts once, by its error's tag.
 *
 * @category utils
 * @since 0.1.0
 */
export const instrumentAppendBatch = (batch: AppendBatch["Service"], adapter: string): AppendBatch["Service"] => {
  const appendsOk = withAttributes(Metrics.appends, { adapter, outcome: "ok" })
  const appendedEvents = withAttributes(Metrics.appendedEvents, { adapter })
  return AppendBatch.of({
    appendBatch: (appends) =>
      batch.appendBatch(appends).pipe(
        Effect.tap((results) => {
          let wrote = 0
          for (const r of results) wrote += r.positions.length
          return Effect.andThen(Metric.update(appendsOk, results.length), Metric.update(appendedEvents, wrote))
        }),
        Effect.tapError((e) => count(Metrics.appends, { adapter, outcome: outcomeOf(e) })),
        Effect.withSpan(
          "xueshi.store.appendBatch",
          {
            attributes: { adapter, appends: appends.length, events: appends.reduce((n, a) => n + a.events.length, 0) }
          },
          noStackTrace
        )
      )
  })
}
