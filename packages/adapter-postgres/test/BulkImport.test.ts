/**
 * The bulk import: a validated district log in chunks (one transaction each)
 * lands exactly as the log says (global order = log order, versions, ids,
 * payloads); running it again skips everything; a log that does not continue
 * the store is refused with nothing of the chunk written; an invalid line
 * writes nothing.
 */
import { EventCodec, Ledger } from "@xueshi/core"
import { District } from "@xueshi/testing"
import { Context, Effect, type Scope, Stream } from "effect"
import { SqlClient } from "effect/sql"
import { expect, it } from "vitest"
import { PostgresBulkImport } from "../src/index.js"
import { freshSchema, openStore, pgDescribe, pool } from "./helpers.js"
import { policy } from "./readModelKit.js"

const run = <A, E>(effect: Effect.Effect<A, E, Scope.Scope>) => Effect.runPromise(Effect.scoped(effect))
const withSql = <A, E>(effect: Effect.Effect<A, E, SqlClient.SqlClient>) =>
  Effect.flatMap(
    Effect.promise(() => pool()),
    (ctx) => Effect.provideService(effect, SqlClient.SqlClient, Context.get(ctx, SqlClient.SqlClient))
  )

// every line with an id (the generator leaves some without): a re-run is then idempotent, as the contract promises
const records = Array.from(
  District.generateDistrict({ seed: 21, members: 40, subdistricts: 2, communities: 3 }),
  (r, i) => (r.id === undefined ? { ...r, id: `00000000-0000-4000-8000-${i.toString(16).padStart(12, "0")}` } : r)
) as Array<EventCodec.LogRecord>
/** The version of each record: its place in its stream (the log may leave `version` out). */
const versionOf: Array<number> = (() => {
  const seen = new Map<string, number>()
  return records.map((r) => {
    const v = (seen.get(r.stream) ?? 0) + 1
    seen.set(r.stream, v)
    return v
  })
})()
const lines = records.map((r) => EventCodec.EventLogCodec.encodeLine(r))

pgDescribe("postgres bulk import", () => {
  it("imports a district log in chunks exactly as the log says; a re-run skips it all", async () => {
    const got = await run(
      Effect.gen(function* () {
        const schema = yield* freshSchema
        const store = yield* openStore(schema)
        const first = yield* withSql(PostgresBulkImport.importLog(schema, lines, { chunkEvents: 300 }))
        const again = yield* withSql(PostgresBulkImport.importLog(schema, lines, { chunkEvents: 300 }))
        const feed = yield* Stream.runCollect(store.eventStore.readAll())
        const versions = new Map<string, number>()
        for (const [i, r] of records.entries()) versions.set(r.stream, versionOf[i] as number)
        const stored = yield* Effect.forEach([...versions.keys()], (s) => store.eventStore.version(s))
        return { first, again, feed, versions: [...versions.values()], stored }
      })
    )
    expect(got.first).toEqual({ imported: records.length, skipped: 0, chunks: Math.ceil(records.length / 300) })
    expect(got.again).toEqual({ imported: 0, skipped: records.length, chunks: 0 })
    // the feed is the log, in its order, with its versions, ids and payloads
    expect(got.feed.map((e) => [e.stream, e.version, e.id, e.type])).toEqual(
      records.map((r, i) => [r.stream, versionOf[i], r.id, r.type])
    )
    expect(got.feed.map((e) => EventCodec.EventLogCodec.encodeRecord(e).data)).toEqual(
      records.map((r) => EventCodec.EventLogCodec.encodeRecord(r).data)
    )
    expect(got.stored).toEqual(got.versions)
    // and the ledger of the stored feed is the ledger of the log
    const a = Ledger.fromRecords(got.feed, policy)
    const b = Ledger.fromRecords(records, policy)
    expect(a.memberIds().map((m) => a.compliance(m, { year: 2025 }).map((x) => [x.status, x.earned.hours]))).toEqual(
      b.memberIds().map((m) => b.compliance(m, { year: 2025 }).map((x) => [x.status, x.earned.hours]))
    )
  })

  it("one chunk over 20,000 streams: one lock for the chunk (a lock per stream overflowed the server's lock table)", async () => {
    const many = Array.from(
      { length: 20_000 },
      (_, i) =>
        ({
          stream: `school-S${i}`,
          version: 1,
          type: "SchoolRegistered",
          data: { schoolId: `S${i}`, name: `学校${i}`, tier: "community" },
          schemaVersion: 1
        }) as unknown as EventCodec.LogRecord
    )
    const got = await run(
      Effect.gen(function* () {
        const schema = yield* freshSchema
        const store = yield* openStore(schema)
        const r = yield* withSql(PostgresBulkImport.importRecords(schema, many, { chunkEvents: 20_000 }))
        const count = yield* Stream.runCount(store.eventStore.readAll())
        return { r, count }
      })
    )
    expect(got.r).toEqual({ imported: 20_000, skipped: 0, chunks: 1 })
    expect(got.count).toBe(20_000)
  })

  it("a log that does not continue the store is refused, nothing of the chunk written; an invalid line writes nothing", async () => {
    const got = await run(
      Effect.gen(function* () {
        const schema = yield* freshSchema
        const store = yield* openStore(schema)
        // the first 100 lines, then the whole log again without ids on the first stream: its versions clash
        yield* withSql(PostgresBulkImport.importLog(schema, lines.slice(0, 100)))
        const head = yield* store.eventStore.head()
        // the first stream's first event again, under a new id: version 1 is taken
        const first = records[0] as EventCodec.LogRecord
        const clash = { ...first, id: "ffffffff-0000-4000-8000-000000000000", version: 1 } as EventCodec.LogRecord
        const refused = yield* Effect.flip(withSql(PostgresBulkImport.importRecords(schema, [clash])))
        const bad = [...lines.slice(100, 120), '{"stream":"member-X","type":"Nope"}']
        const invalid = yield* Effect.flip(withSql(PostgresBulkImport.importLog(schema, bad)))
        return { head, refused, invalid, after: yield* store.eventStore.head() }
      })
    )
    expect(got.refused._tag).toBe("BulkImportConflict")
    expect(got.refused.message).toContain(records[0]?.stream)
    expect(got.invalid._tag).toBe("LogError")
    expect(got.after).toBe(got.head)
  })
})
