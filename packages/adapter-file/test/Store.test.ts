/**
 * The file store beyond the conformance suite: the on-disk lines, segments and
 * summaries, group commit, read-only openers, disk-full and permission errors,
 * repair, and state file names.
 */
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { Cause, Effect, Exit, Option, Stream } from "effect"
import { afterEach, describe, expect, it } from "vitest"
import { FileFormat, FileStore } from "../src/index.js"
import { cleanup, numberOf, openStore, quota, readAll, readStream, schoolEvents, tempDir } from "./helpers.js"

const dirs: Array<string> = []
const fresh = (memory = false) => {
  const d = tempDir("xueshi-file-", memory)
  dirs.push(d)
  return d
}
afterEach(() => {
  for (const d of dirs.splice(0)) cleanup(d)
})

const run = <A, E>(e: Effect.Effect<A, E>) => Effect.runPromise(e)
const failure = async <A, E>(e: Effect.Effect<A, E>) => {
  const exit = await Effect.runPromiseExit(e)
  if (Exit.isSuccess(exit)) throw new Error("expected a failure")
  return Cause.squash(exit.cause) as { _tag: string; message: string; location?: string }
}
const errno = (code: string) => Object.assign(new Error(`${code}: injected`), { code })

describe("format", () => {
  it("writes event-log-v1 lines with a $file key, a checksum and the append's shape", async () => {
    const directory = fresh()
    const a = await openStore({ directory })
    expect(a.store.recovery.created).toBe(true)
    const r1 = await run(a.store.eventStore.append("school-A", schoolEvents("A", [1, 2, 3]), "noStream"))
    expect(r1).toEqual({ stream: "school-A", version: 3, positions: [1, 2, 3] })
    await run(a.store.eventStore.append("school-B", [{ event: quota("B", 4), meta: { actor: "张三" } }], "any"))
    await a.close()

    const text = readFileSync(join(directory, "segments", FileFormat.segmentFileName(1)), "utf8")
    const lines = text.trimEnd().split("\n")
    expect(lines.map((l) => JSON.parse(l).$file)).toEqual([
      { i: 0, n: 3, crc: expect.stringMatching(/^[0-9a-f]{8}$/) },
      { i: 1, n: 3, crc: expect.stringMatching(/^[0-9a-f]{8}$/) },
      { i: 2, n: 3, crc: expect.stringMatching(/^[0-9a-f]{8}$/) },
      { i: 0, n: 1, crc: expect.stringMatching(/^[0-9a-f]{8}$/) }
    ])
    for (const line of lines) {
      expect(FileFormat.checkLineCrc(Buffer.from(line))).toBe(true)
      const plain = FileFormat.toEventLogLine(line) as string
      expect(plain).not.toContain("$file")
      // the plain line is the canonical event-log-v1 encoding
      const json = JSON.parse(plain)
      expect(Object.keys(json)).toEqual(
        ["stream", "type", "data", "version", "id", "schemaVersion", "recordedAt", "position", "meta"].filter(
          (k) => k in json
        )
      )
    }
    expect(JSON.parse(FileFormat.toEventLogLine(lines[3] as string) as string).meta).toEqual({ actor: "张三" })
    expect(readdirSync(join(directory, "segments")).sort()).toEqual([
      "00000000000000000001.jsonl",
      "00000000000000000001.summary.json"
    ])
    expect(JSON.parse(readFileSync(join(directory, "FORMAT"), "utf8"))).toEqual({ format: "xueshi-file-store/1" })

    // reopening trusts the summary written at close: nothing is parsed
    const b = await openStore({ directory })
    expect(b.store.recovery).toMatchObject({ created: false, scannedBytes: 0, events: 4, tornTail: undefined })
    expect(await run(b.store.eventStore.version("school-A"))).toBe(3)
    expect((await readAll(b.store)).map((e) => [e.stream, e.version, e.position, numberOf(e)])).toEqual([
      ["school-A", 1, 1, 1],
      ["school-A", 2, 2, 2],
      ["school-A", 3, 3, 3],
      ["school-B", 1, 4, 4]
    ])
    // an idempotent retry still answers the original result after a reopen
    expect(await run(b.store.eventStore.append("school-A", schoolEvents("A", [1, 2, 3]), "noStream"))).toEqual(r1)
    await b.close()
  })

  it("rolls segments at the configured size, keeps appends whole, and opens from the summaries", async () => {
    const directory = fresh(true)
    const a = await openStore({ directory, segmentBytes: 2000, durability: "never" })
    for (let k = 0; k < 40; k++) {
      await run(
        a.store.eventStore.append(
          `school-S${k % 3}`,
          schoolEvents(`S${k % 3}`, [k * 10, k * 10 + 1, k * 10 + 2]),
          "any"
        )
      )
    }
    await a.close()
    const names = readdirSync(join(directory, "segments"))
    const segments = names.filter((n) => n.endsWith(".jsonl")).sort()
    expect(segments.length).toBeGreaterThan(10)
    expect(names.filter((n) => n.endsWith(".summary.json"))).toHaveLength(segments.length)
    for (const name of segments) {
      const lines = readFileSync(join(directory, "segments", name), "utf8")
        .trimEnd()
        .split("\n")
      // a segment starts with the first record of an append and ends with the last one
      expect(JSON.parse(lines[0] as string).$file.i).toBe(0)
      const last = JSON.parse(lines[lines.length - 1] as string).$file
      expect(last.i).toBe(last.n - 1)
      expect(JSON.parse(lines[0] as string).position).toBe(FileFormat.parseSegmentFileName(name))
    }
    // a clean reopen parses nothing; without the active segment's summary only that segment is parsed
    const b = await openStore({ directory })
    expect(b.store.recovery.scannedBytes).toBe(0)
    expect(b.store.recovery.segments).toBe(segments.length)
    const s1 = await readStream(b.store, "school-S1", { from: 5, to: 20 })
    expect(s1.map((e) => e.version)).toEqual(Array.from({ length: 16 }, (_, i) => i + 5))
    const back = await readStream(b.store, "school-S2", { direction: "backwards", limit: 4 })
    expect(back.map((e) => e.version)).toEqual([39, 38, 37, 36])
    const after = await readAll(b.store, { after: 57, limit: 10 })
    expect(after.map((e) => e.position)).toEqual(Array.from({ length: 10 }, (_, i) => 58 + i))
    await b.close()
    const active = segments[segments.length - 1] as string
    rmSync(join(directory, "segments", active.replace(".jsonl", ".summary.json")))
    const c = await openStore({ directory })
    expect(c.store.recovery.scannedBytes).toBe(statSync(join(directory, "segments", active)).size)
    expect((await readAll(c.store)).length).toBe(120)
    await c.close()
    // verify: "full" parses everything and agrees
    const d = await openStore({ directory, verify: "full" })
    expect(d.store.recovery.events).toBe(120)
    await d.close()
  })
})

describe("durability", () => {
  it("always flushes every append; grouped coalesces concurrent appends into fewer flushes", async () => {
    for (const durability of ["always", "grouped", "never"] as const) {
      const directory = fresh()
      let syncs = 0
      let writes = 0
      const s = await openStore({
        directory,
        durability,
        faults: {
          // slow pieces keep the first append busy while the others queue up
          pieceBytes: 64,
          write: (file) => {
            if (file.endsWith(".jsonl")) writes++
            return undefined
          },
          sync: (file) => {
            if (file.endsWith(".jsonl")) syncs++
          }
        }
      })
      const appends = 40
      const results = await run(
        Effect.all(
          Array.from({ length: appends }, (_, k) =>
            s.store.eventStore.append(`school-G${k % 4}`, schoolEvents(`G${k % 4}`, [k]), "any")
          ),
          { concurrency: "unbounded" }
        )
      )
      expect(new Set(results.flatMap((r) => r.positions)).size).toBe(appends)
      if (durability === "always") {
        expect(writes).toBe(appends)
        expect(syncs).toBe(appends)
      } else if (durability === "grouped") {
        expect(writes).toBeLessThan(appends)
        expect(syncs).toBe(writes)
      } else {
        expect(writes).toBeLessThan(appends)
        expect(syncs).toBe(0)
      }
      await s.close()
      const again = await openStore({ directory })
      expect((await readAll(again.store)).length).toBe(appends)
      await again.close()
    }
  })
})

describe("disk full and permission errors", () => {
  it("a failed write or flush fails the append with StoreUnavailable and leaves the store consistent and usable", async () => {
    const directory = fresh()
    let mode: "ok" | "short" | "nospace" | "eio" = "ok"
    const s = await openStore({
      directory,
      faults: {
        write: (file, length) => {
          if (!file.endsWith(".jsonl")) return undefined
          if (mode === "short") return Math.floor(length / 2)
          if (mode === "nospace") throw errno("ENOSPC")
          return undefined
        },
        sync: (file) => {
          if (mode === "eio" && file.endsWith(".jsonl")) throw errno("EIO")
        }
      }
    })
    const es = s.store.eventStore
    await run(es.append("school-D", schoolEvents("D", [1, 2]), "noStream"))
    for (const m of ["short", "nospace", "eio"] as const) {
      mode = m
      const err = await failure(es.append("school-D", schoolEvents("D", [3, 4]), 2))
      expect(err._tag).toBe("StoreUnavailable")
      expect(err.message).toMatch(m === "eio" ? /I\/O error/ : /disk full/)
      expect(await run(es.version("school-D"))).toBe(2)
      expect(await run(es.head())).toBe(2)
    }
    mode = "ok"
    // the same append (same ids) now succeeds where it would have gone
    expect(await run(es.append("school-D", schoolEvents("D", [3, 4]), 2))).toEqual({
      stream: "school-D",
      version: 4,
      positions: [3, 4]
    })
    await s.close()
    const again = await openStore({ directory })
    expect(again.store.recovery.tornTail).toBeUndefined()
    expect((await readAll(again.store)).map(numberOf)).toEqual([1, 2, 3, 4])
    await again.close()
  })

  it("a failed roll (the summary cannot be written) fails the append; the next one rolls", async () => {
    const directory = fresh()
    let fail = false
    const s = await openStore({
      directory,
      segmentBytes: 600,
      faults: {
        rename: (_from, to) => {
          if (fail && to.endsWith(".summary.json")) throw errno("EACCES")
        }
      }
    })
    await run(s.store.eventStore.append("school-R", schoolEvents("R", [1, 2]), "any"))
    fail = true
    const err = await failure(s.store.eventStore.append("school-R", schoolEvents("R", [3]), "any"))
    expect(err).toMatchObject({ _tag: "StoreUnavailable" })
    expect(err.message).toMatch(/permission denied/)
    fail = false
    await run(s.store.eventStore.append("school-R", schoolEvents("R", [3]), "any"))
    await s.close()
    expect(readdirSync(join(directory, "segments")).filter((n) => n.endsWith(".jsonl"))).toHaveLength(2)
    const again = await openStore({ directory })
    expect((await readAll(again.store)).map(numberOf)).toEqual([1, 2, 3])
    await again.close()
  })

  it("a failed state write leaves the previous value", async () => {
    const directory = fresh()
    let fail = false
    const s = await openStore({
      directory,
      faults: {
        write: (file) => {
          if (fail && file.includes("state")) throw errno("ENOSPC")
          return undefined
        }
      }
    })
    expect(await run(s.store.checkpoints.compareAndSet("p", 0, 5))).toBe(true)
    fail = true
    expect((await failure(s.store.checkpoints.compareAndSet("p", 5, 9)))._tag).toBe("StoreUnavailable")
    expect(await run(s.store.checkpoints.get("p"))).toBe(5)
    fail = false
    expect(await run(s.store.checkpoints.compareAndSet("p", 5, 9))).toBe(true)
    await s.close()
    expect(readdirSync(join(directory, "state", "checkpoints"))).toEqual(["p.json"])
  })
})

describe("read-only openers", () => {
  it("refuse a missing store, do not touch a torn tail, and cannot write", async () => {
    expect(
      (await failure(Effect.scoped(FileStore.make({ directory: join(fresh(), "nope"), readOnly: true }))))._tag
    ).toBe("StoreUnavailable")
    const directory = fresh()
    const a = await openStore({ directory })
    await run(a.store.eventStore.append("school-T", schoolEvents("T", [1, 2]), "any"))
    await a.close()
    const segment = join(directory, "segments", FileFormat.segmentFileName(1))
    const whole = readFileSync(segment)
    writeFileSync(segment, Buffer.concat([whole, Buffer.from('{"stream":"school-T","ty')]))
    const r = await openStore({ directory, readOnly: true })
    expect(r.store.recovery.tornTail).toBeUndefined()
    expect((await readAll(r.store)).map(numberOf)).toEqual([1, 2])
    expect((await failure(r.store.checkpoints.compareAndSet("x", 0, 1)))._tag).toBe("StoreUnavailable")
    await r.close()
    expect(readFileSync(segment).length).toBe(whole.length + 24)
    const w = await openStore({ directory })
    expect(w.store.recovery.tornTail).toMatchObject({ offset: whole.length, bytes: 24, lines: 1, intactRecords: 0 })
    await w.close()
    expect(readFileSync(segment).equals(whole)).toBe(true)
    const q = readdirSync(join(directory, "quarantine"))
    expect(q).toHaveLength(1)
    expect(readFileSync(join(directory, "quarantine", q[0] as string), "utf8")).toBe('{"stream":"school-T","ty')
  })
})

describe("repair", () => {
  it("moves everything from the first bad record into quarantine and says how much", async () => {
    const directory = fresh()
    const a = await openStore({ directory, segmentBytes: 1500 })
    for (let k = 0; k < 12; k++)
      await run(a.store.eventStore.append("school-P", schoolEvents("P", [k * 2, k * 2 + 1]), "any"))
    await a.close()
    const segments = readdirSync(join(directory, "segments"))
      .filter((n) => n.endsWith(".jsonl"))
      .sort()
    expect(segments.length).toBeGreaterThanOrEqual(3)
    const healthy = await run(FileStore.repairFileStore({ directory }))
    expect(healthy).toMatchObject({ repaired: false, eventsSetAside: 0, eventsKept: 24 })

    // damage the second record of the second segment's first append
    const second = segments[1] as string
    const path = join(directory, "segments", second)
    const bytes = readFileSync(path)
    const lineTwo = bytes.indexOf(0x0a) + 1
    bytes[lineTwo + 20] = (bytes[lineTwo + 20] as number) ^ 0x20
    writeFileSync(path, bytes)
    const refused = await failure(Effect.scoped(FileStore.make({ directory, verify: "full" })))
    expect(refused).toMatchObject({ _tag: "StoreCorrupted", location: `segments/${second} byte ${lineTwo} line 2` })

    const kept = FileFormat.parseSegmentFileName(second) as number
    const lines = (name: string) =>
      readFileSync(join(directory, "segments", name), "utf8")
        .trimEnd()
        .split("\n").length
    const later = segments.slice(2).reduce((n, s) => n + lines(s), 0)
    const secondLines = lines(second)
    const report = await run(FileStore.repairFileStore({ directory }))
    expect(report).toMatchObject({
      repaired: true,
      location: `segments/${second} byte ${lineTwo} line 2`,
      cut: { segment: `segments/${second}`, offset: 0, line: 1, lines: secondLines, intactRecords: secondLines - 1 },
      eventsSetAside: secondLines + later,
      intactEventsSetAside: secondLines - 1 + later,
      eventsKept: kept - 1
    })
    expect(report.segmentsSetAside).toHaveLength(segments.length - 2)
    const q = readdirSync(join(directory, "quarantine"))
    expect(q).toHaveLength(1 + segments.length - 2)

    const b = await openStore({ directory })
    expect((await readAll(b.store)).map(numberOf)).toEqual(Array.from({ length: kept - 1 }, (_, i) => i))
    // and the store goes on
    const r = await run(b.store.eventStore.append("school-P", schoolEvents("P", [100]), kept - 1))
    expect(r.positions).toEqual([kept])
    await b.close()
  })
})

describe("state files", () => {
  it("checkpoints, projections, leases and snapshots of any name survive a reopen", async () => {
    const directory = fresh()
    const names = ["simple", "a/b\\c", "..", ".hidden", "中文名", "x".repeat(300), "x".repeat(299) + "y", "%41"]
    const a = await openStore({ directory })
    for (const [k, name] of names.entries()) {
      expect(await run(a.store.checkpoints.compareAndSet(name, 0, k + 1))).toBe(true)
      expect(await run(a.store.projections.save(name, 0, { checkpoint: k + 1, state: { name, k } }))).toBe(true)
      await run(a.store.snapshots.save(`school-${k}`, name, { version: k, state: [name] }))
    }
    expect(await run(a.store.projections.acquireLease("proj", "me", 60_000))).toBe(true)
    await a.close()
    const files = readdirSync(join(directory, "state", "checkpoints"))
    expect(files).toHaveLength(names.length)
    for (const f of files) expect(f).toMatch(/^[A-Za-z0-9_%~-]+\.json$/)
    const b = await openStore({ directory })
    for (const [k, name] of names.entries()) {
      expect(await run(b.store.checkpoints.get(name))).toBe(k + 1)
      expect(await run(b.store.projections.load(name))).toEqual(Option.some({ checkpoint: k + 1, state: { name, k } }))
      expect(await run(b.store.snapshots.load(`school-${k}`, name))).toEqual(Option.some({ version: k, state: [name] }))
    }
    expect(await run(b.store.projections.acquireLease("proj", "other", 60_000))).toBe(false)
    await run(b.store.projections.reset("simple"))
    expect(await run(b.store.projections.load("simple"))).toEqual(Option.none())
    await b.close()
  })
})

describe("subscriptions", () => {
  it("a subscription of the writer goes live", async () => {
    const directory = fresh()
    const s = await openStore({ directory, durability: "grouped" })
    await run(s.store.eventStore.append("school-L", schoolEvents("L", [0, 1]), "any"))
    const collected = Effect.runPromise(Stream.runCollect(Stream.take(s.store.eventStore.subscribe({ after: 1 }), 4)))
    for (let k = 2; k < 6; k++) await run(s.store.eventStore.append("school-L", schoolEvents("L", [k]), "any"))
    expect((await collected).map(numberOf)).toEqual([1, 2, 3, 4])
    // a subscription that outlives its store ends with StoreUnavailable
    const waiting = Effect.runPromiseExit(Stream.runCollect(s.store.eventStore.subscribe({ after: 6 })))
    await s.close()
    const exit = await waiting
    expect(Exit.isFailure(exit) && (Cause.squash(exit.cause) as { _tag: string })._tag).toBe("StoreUnavailable")
  })
})
