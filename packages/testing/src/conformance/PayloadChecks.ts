/**
 * The conformance checks of the store port's contract on payloads (unicode, large).
 *
 * @since 0.1.0
 */
import type { Events } from "@xueshi/core"
import { Effect } from "effect"
import fc from "fast-check"
import { appendSentinel, type Check, collect, eventStore, untilSentinel } from "./CheckKit.js"
import * as F from "./Fixtures.js"
import { equal, property, truthy, within, withStore } from "./Harness.js"

const text = fc
  .string({ unit: "grapheme", minLength: 1, maxLength: 40 })
  .map((s) => s.split(String.fromCharCode(0)).join(""))
  .filter((s) => s.trim().length > 0)

const unicodePayloads: Check = {
  id: "payloads.unicode",
  group: "payloads",
  title: "unicode text in payloads and meta reads back exactly (readStream, readAll, subscribe)",
  run: (ctx) =>
    property(
      ctx,
      fc.record({
        names: fc.array(
          fc.oneof(
            text,
            fc.constantFrom(
              "西青区委党校",
              "津门湖街道党校 🎓📚",
              "e\u0301 é",
              "مرحبا",
              "a\u2028b\u2029c",
              '"quoted" \\ back\\slash',
              "tab\tnew\nline"
            )
          ),
          { minLength: 1, maxLength: 6 }
        ),
        metaKey: text,
        metaValue: text
      }),
      ({ metaKey, metaValue, names }) =>
        Effect.gen(function* () {
          const es = yield* eventStore
          const events = names.map((name, i) => ({
            event: {
              type: "SchoolRegistered",
              data: { schoolId: `U${i}`, name, tier: "district" }
            } as unknown as Events.DomainEvent,
            meta: { [metaKey]: metaValue, note: name }
          }))
          for (const [i, e] of events.entries()) yield* es.append(`school-U${i}`, [e], "noStream")
          const expected = events.map((e) => ({ data: e.event.data, meta: e.meta }))
          const fromStreams = yield* Effect.forEach(events, (_, i) => collect(es.readStream(`school-U${i}`)))
          yield* equal(
            fromStreams.flat().map((r) => ({ data: r.data, meta: r.meta })),
            expected,
            "readStream"
          )
          const all = yield* collect(es.readAll())
          yield* equal(
            all.map((r) => ({ data: r.data, meta: r.meta })),
            expected,
            "readAll"
          )
          yield* appendSentinel(es)
          const sub = yield* within(ctx, untilSentinel(es.subscribe()), "subscribe")
          yield* equal(
            sub.map((r) => ({ data: r.data, meta: r.meta })),
            expected,
            "subscribe"
          )
        })
    )
}

const largePayloads: Check = {
  id: "payloads.large",
  group: "payloads",
  title: "a large payload and a large append (1000 events) read back exactly",
  run: (ctx) =>
    withStore(
      ctx.makeLayer,
      Effect.gen(function* () {
        const es = yield* eventStore
        const unit = "党校学时 training 🎓 "
        const name =
          unit
            .repeat(Math.ceil(ctx.largePayloadChars / unit.length))
            .slice(0, ctx.largePayloadChars)
            .trim() + "."
        const big = {
          type: "SchoolRegistered",
          data: { schoolId: "Big", name, tier: "district" }
        } as unknown as Events.DomainEvent
        yield* es.append("school-Big", [{ event: big, meta: { blob: name.slice(0, 10_000) } }], "noStream")
        const [r] = yield* collect(es.readStream("school-Big"))
        yield* truthy(
          r !== undefined && (r.data as { name: string }).name === name,
          "the large payload reads back exactly"
        )
        yield* truthy(
          r !== undefined && (r.meta as { blob: string }).blob === name.slice(0, 10_000),
          "large meta reads back exactly"
        )
        const many = F.toAppend(
          "class-Many",
          Array.from({ length: 1000 }, (_, i) => i),
          (n) => F.uuidOf(n, 5)
        )
        const res = yield* es.append("class-Many", many, "noStream")
        yield* equal(res.version, 1000, "version after 1000 events")
        const back = yield* collect(es.readStream("class-Many"))
        yield* equal(
          back.map((x) => F.numberOf(x)),
          Array.from({ length: 1000 }, (_, i) => i),
          "1000 events in order"
        )
        const again = yield* es.append("class-Many", many, "noStream")
        yield* equal(again, res, "an idempotent retry of 1000 events")
      })
    )
}

/**
 * The checks of this group, in the order the suite registers them.
 *
 * @category checks
 * @since 0.1.0
 */
export const payloadChecks: ReadonlyArray<Check> = [unicodePayloads, largePayloads]
