/**
 * Fuzzed corruption of a small store: truncation at every offset, flipped
 * bytes, appended garbage, damaged summaries. Opening either recovers (a torn
 * tail, cut into quarantine) or refuses with `StoreCorrupted` naming the right
 * segment, byte offset and line; reading never returns wrong events.
 */
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import type { EventStore } from "@xueshi/core"
import { Random } from "@xueshi/testing"
import { Cause, Effect, Exit, Stream } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { FileStore } from "../src/index.js"
import { cleanup, schoolEvents, tempDir, withStore } from "./helpers.js"

const root = tempDir("xueshi-fuzz-", true)
afterAll(() => cleanup(root))

/** Seeded PRNG (the testing kit's one: `Random.makeRandom`). */
const prng = (seed: number): (() => number) => Random.makeRandom(seed).next

interface Template {
  readonly dir: string
  /** Every segment's bytes, by file name. */
  readonly segments: ReadonlyArray<{ readonly name: string; readonly bytes: Buffer }>
  /** The events, as read back. */
  readonly events: ReadonlyArray<EventStore.StoredEvent>
  /** For each segment: line starts, and the byte offsets where appends end. */
  readonly lineStarts: ReadonlyArray<ReadonlyArray<number>>
  readonly batchEnds: ReadonlyArray<ReadonlyArray<number>>
}

const strip = (e: EventStore.StoredEvent) => JSON.stringify(e)

/** Builds a store with appends of 1–3 events; `segmentBytes` decides how many segments. */
const build = async (name: string, segmentBytes: number, appends: number): Promise<Template> => {
  const dir = join(root, name)
  await withStore({ directory: dir, durability: "never", segmentBytes }, (store) =>
    Effect.gen(function* () {
      for (let k = 0; k < appends; k++) {
        const n = 1 + (k % 3)
        const numbers = Array.from({ length: n }, (_, i) => k * 10 + i)
        yield* store.eventStore.append(`school-F${k % 2}`, schoolEvents(`F${k % 2}`, numbers), "any")
      }
    })
  )
  rmSync(join(dir, "LOCK"), { force: true })
  const names = readdirSync(join(dir, "segments"))
    .filter((n) => n.endsWith(".jsonl"))
    .sort()
  const segments = names.map((n) => ({ name: n, bytes: readFileSync(join(dir, "segments", n)) }))
  const lineStarts = segments.map(({ bytes }) => {
    const starts: Array<number> = []
    for (let o = 0; o < bytes.length; o = bytes.indexOf(0x0a, o) + 1) starts.push(o)
    return starts
  })
  const batchEnds = segments.map(({ bytes }) => {
    const ends: Array<number> = [0]
    let o = 0
    while (o < bytes.length) {
      const nl = bytes.indexOf(0x0a, o)
      const json = JSON.parse(bytes.subarray(o, nl).toString())
      if (json.$file.i === json.$file.n - 1) ends.push(nl + 1)
      o = nl + 1
    }
    return ends
  })
  const events = await withStore({ directory: dir, readOnly: true }, (store) =>
    Stream.runCollect(store.eventStore.readAll())
  )
  return { dir, segments, events, lineStarts, batchEnds }
}

let work = 0
/** A copy of the template's directory, with `mutate` applied; summaries removed unless `keepSummaries`. */
const copy = (t: Template, keepSummaries: boolean, mutate: (dir: string) => void): string => {
  const dir = join(root, `work-${work++}`)
  cpSync(t.dir, dir, { recursive: true })
  if (!keepSummaries) {
    for (const f of readdirSync(join(dir, "segments")))
      if (f.endsWith(".summary.json")) rmSync(join(dir, "segments", f))
  }
  mutate(dir)
  return dir
}

type Outcome =
  | {
      readonly _tag: "Opened"
      readonly recovery: FileStore.FileStoreService["recovery"]
      readonly events: ReadonlyArray<EventStore.StoredEvent>
    }
  | { readonly _tag: "Corrupted"; readonly location: string; readonly message: string }
  | { readonly _tag: "ReadCorrupted"; readonly location: string }

/** Opens the store (writer), reads everything; removes the directory. */
const attempt = async (
  dir: string,
  verify: "quick" | "full" = "quick",
  inspect?: (dir: string) => void
): Promise<Outcome> => {
  try {
    const exit = await Effect.runPromise(
      Effect.exit(
        Effect.scoped(
          Effect.gen(function* () {
            const store = yield* FileStore.make({ directory: dir, durability: "never", verify })
            const read = yield* Effect.exit(Stream.runCollect(store.eventStore.readAll()))
            return { recovery: store.recovery, read }
          })
        )
      )
    )
    if (Exit.isFailure(exit)) {
      const err = Cause.squash(exit.cause) as { _tag?: string; location?: string; message?: string }
      if (err._tag === "StoreCorrupted")
        return { _tag: "Corrupted", location: err.location ?? "", message: err.message ?? "" }
      throw new Error(`unexpected failure: ${String(err.message ?? err)}`)
    }
    const { recovery, read } = exit.value
    inspect?.(dir)
    if (Exit.isFailure(read)) {
      const err = Cause.squash(read.cause) as { _tag?: string; location?: string }
      if (err._tag === "StoreCorrupted") return { _tag: "ReadCorrupted", location: err.location ?? "" }
      throw new Error(`unexpected read failure: ${String(err)}`)
    }
    return { _tag: "Opened", recovery, events: read.value }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Runs `f` over `items`, `width` at a time. */
const pool = async <A>(items: ReadonlyArray<A>, width: number, f: (a: A) => Promise<void>): Promise<void> => {
  let next = 0
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await f(items[next++] as A)
    })
  )
}

const range = (from: number, to: number, step = 1): Array<number> => {
  const out: Array<number> = []
  for (let k = from; k < to; k += step) out.push(k)
  return out
}

const location = (segment: string, offset: number, line: number) => `segments/${segment} byte ${offset} line ${line}`

/** The line (start offset, 1-based number) that holds byte `offset`. */
const lineOf = (starts: ReadonlyArray<number>, offset: number) => {
  let k = 0
  while (k + 1 < starts.length && (starts[k + 1] as number) <= offset) k++
  return { start: starts[k] as number, line: k + 1 }
}

/** Events stored in segments before `segment` plus those of `segment` ending at or before byte `end`. */
const prefixUpTo = (t: Template, segment: number, end: number): number => {
  let count = 0
  for (let s = 0; s < segment; s++) count += (t.lineStarts[s] as ReadonlyArray<number>).length
  const starts = t.lineStarts[segment] as ReadonlyArray<number>
  return count + starts.filter((o) => o < end).length
}

const expectPrefix = (t: Template, events: ReadonlyArray<EventStore.StoredEvent>, count: number) => {
  expect(events.length).toBe(count)
  expect(events.map(strip)).toEqual(t.events.slice(0, count).map(strip))
}

let single: Template
let multi: Template
beforeAll(async () => {
  single = await build("single", 1 << 20, 4)
  multi = await build("multi", 1500, 14)
})

describe("fuzzed corruption", () => {
  it("the templates are what the tests expect", () => {
    expect(single.segments).toHaveLength(1)
    expect(multi.segments.length).toBeGreaterThanOrEqual(3)
    expect(single.events).toHaveLength(7)
  })

  it("truncation at every offset recovers the complete appends before it and quarantines the rest", async () => {
    const seg = single.segments[0] as { name: string; bytes: Buffer }
    const ends = single.batchEnds[0] as ReadonlyArray<number>
    await pool(range(0, seg.bytes.length + 1), 6, async (cut) => {
      const dir = copy(single, false, (d) => writeFileSync(join(d, "segments", seg.name), seg.bytes.subarray(0, cut)))
      const boundary = Math.max(...ends.filter((e) => e <= cut))
      let quarantined: Buffer | undefined
      const outcome = await attempt(dir, "quick", (d) => {
        const files = readdirSync(join(d, "quarantine"))
        quarantined = files.length === 1 ? readFileSync(join(d, "quarantine", files[0] as string)) : undefined
      })
      expect(outcome._tag, `cut at ${cut}`).toBe("Opened")
      if (outcome._tag !== "Opened") return
      expectPrefix(single, outcome.events, prefixUpTo(single, 0, boundary))
      if (boundary === cut) {
        expect(outcome.recovery.tornTail, `cut at ${cut}`).toBeUndefined()
      } else {
        expect(outcome.recovery.tornTail?.offset, `cut at ${cut}`).toBe(boundary)
        expect(outcome.recovery.tornTail?.bytes).toBe(cut - boundary)
        expect(quarantined?.equals(seg.bytes.subarray(boundary, cut)), `quarantine of cut at ${cut}`).toBe(true)
      }
    })
  }, 120_000)

  it("a flipped byte anywhere: a torn last append is cut, anything else is refused at its line", async () => {
    const random = prng(1234)
    for (const [t, name] of [
      [single, "single"],
      [multi, "multi"]
    ] as const) {
      for (let s = 0; s < t.segments.length; s++) {
        const seg = t.segments[s] as { name: string; bytes: Buffer }
        const isLast = s === t.segments.length - 1
        const starts = t.lineStarts[s] as ReadonlyArray<number>
        const ends = t.batchEnds[s] as ReadonlyArray<number>
        const step = name === "single" ? 1 : 5
        const cases = range(0, seg.bytes.length, step).map((at) => ({ at, mask: 1 + Math.floor(random() * 255) }))
        await pool(cases, 6, async ({ at, mask }) => {
          const flipped = Buffer.from(seg.bytes)
          flipped[at] = (flipped[at] as number) ^ mask
          const outcome = await attempt(
            copy(t, true, (d) => writeFileSync(join(d, "segments", seg.name), flipped)),
            "full"
          )
          const { start, line } = lineOf(starts, at)
          // damage that reaches the end of the last segment with no intact line after it is a torn
          // tail: the damaged line is the last one, or its newline was hit and the next is the last
          const lastLineStart = starts[starts.length - 1] as number
          const next = starts[line] // the start of the line after the damaged one
          const torn = isLast && (start === lastLineStart || (seg.bytes[at] === 0x0a && next === lastLineStart))
          const batchStart = Math.max(...ends.filter((e) => e <= start))
          if (torn) {
            expect(outcome._tag, `${name} ${seg.name} flip at ${at}`).toBe("Opened")
            if (outcome._tag !== "Opened") return
            expect(outcome.recovery.tornTail?.offset).toBe(batchStart)
            expectPrefix(t, outcome.events, prefixUpTo(t, s, batchStart))
          } else {
            expect(outcome._tag).toBe("Corrupted")
            if (outcome._tag === "Corrupted")
              expect(outcome.location, `${name} flip at ${at}`).toBe(location(seg.name, start, line))
          }
        })
      }
    }
  }, 120_000)

  it("quick opening of a flipped sealed segment never returns wrong events", async () => {
    const random = prng(99)
    const seg = multi.segments[0] as { name: string; bytes: Buffer }
    const starts = multi.lineStarts[0] as ReadonlyArray<number>
    for (let k = 0; k < 150; k++) {
      const at = Math.floor(random() * seg.bytes.length)
      const flipped = Buffer.from(seg.bytes)
      flipped[at] = (flipped[at] as number) ^ (1 + Math.floor(random() * 255))
      const outcome = await attempt(
        copy(multi, true, (d) => writeFileSync(join(d, "segments", seg.name), flipped)),
        "quick"
      )
      const { start, line } = lineOf(starts, at)
      if (outcome._tag === "Opened") throw new Error(`flip at ${at} went unnoticed`)
      // the summary's check of the last record, or the read, names the line
      expect(outcome.location, `flip at ${at}`).toBe(location(seg.name, start, line))
    }
  }, 60_000)

  it("garbage appended after the last append is cut; garbage followed by an intact line is refused", async () => {
    const random = prng(7)
    const seg = single.segments[0] as { name: string; bytes: Buffer }
    const size = seg.bytes.length
    const lines = (single.lineStarts[0] as ReadonlyArray<number>).length
    for (let k = 0; k < 200; k++) {
      const garbage = Buffer.from(
        Array.from({ length: 1 + Math.floor(random() * 300) }, () => Math.floor(random() * 256))
      )
      const outcome = await attempt(
        copy(single, k % 2 === 0, (d) =>
          writeFileSync(join(d, "segments", seg.name), Buffer.concat([seg.bytes, garbage]))
        )
      )
      expect(outcome._tag).toBe("Opened")
      if (outcome._tag !== "Opened") continue
      expect(outcome.recovery.tornTail?.offset).toBe(size)
      expect(outcome.recovery.tornTail?.bytes).toBe(garbage.length)
      expectPrefix(single, outcome.events, single.events.length)
    }
    // an intact line after garbage: not a torn tail
    const firstLine = seg.bytes.subarray(0, seg.bytes.indexOf(0x0a) + 1)
    const outcome = await attempt(
      copy(single, false, (d) =>
        writeFileSync(join(d, "segments", seg.name), Buffer.concat([seg.bytes, Buffer.from("garbage\n"), firstLine]))
      )
    )
    expect(outcome).toMatchObject({ _tag: "Corrupted", location: location(seg.name, size, lines + 1) })
    // a copy of an intact line appended: its position does not follow
    const dup = await attempt(
      copy(single, false, (d) => writeFileSync(join(d, "segments", seg.name), Buffer.concat([seg.bytes, firstLine])))
    )
    expect(dup._tag).toBe("Opened")
    if (dup._tag === "Opened") expect(dup.recovery.tornTail?.offset).toBe(size)
  }, 60_000)

  it("a damaged or missing summary is rebuilt by scanning", async () => {
    const random = prng(5)
    const name = (multi.segments[0] as { name: string }).name.replace(".jsonl", ".summary.json")
    const summary = readFileSync(join(multi.dir, "segments", name))
    for (let k = 0; k < 60; k++) {
      const at = Math.floor(random() * summary.length)
      const flipped = Buffer.from(summary)
      flipped[at] = (flipped[at] as number) ^ (1 + Math.floor(random() * 255))
      const outcome = await attempt(copy(multi, true, (d) => writeFileSync(join(d, "segments", name), flipped)))
      expect(outcome._tag).toBe("Opened")
      if (outcome._tag !== "Opened") continue
      expectPrefix(multi, outcome.events, multi.events.length)
      expect(outcome.recovery.summariesRebuilt).toEqual([`segments/${name}`])
    }
    const gone = await attempt(copy(multi, true, (d) => rmSync(join(d, "segments", name))))
    expect(gone._tag).toBe("Opened")
    if (gone._tag === "Opened") expect(gone.recovery.summariesRebuilt).toEqual([`segments/${name}`])
  }, 60_000)

  it("a truncated sealed segment or a missing segment is refused", async () => {
    const first = multi.segments[0] as { name: string; bytes: Buffer }
    const second = multi.segments[1] as { name: string; bytes: Buffer }
    const cut = first.bytes.length - 10
    const truncated = await attempt(
      copy(multi, true, (d) => writeFileSync(join(d, "segments", first.name), first.bytes.subarray(0, cut)))
    )
    expect(truncated._tag).toBe("Corrupted")
    // the line the cut falls in (not "the summary's count + 1")
    const { line } = lineOf(multi.lineStarts[0] as ReadonlyArray<number>, cut)
    expect(line).toBeLessThan((multi.lineStarts[0] as ReadonlyArray<number>).length + 1)
    if (truncated._tag === "Corrupted") expect(truncated.location).toBe(location(first.name, cut, line))
    const missing = await attempt(copy(multi, true, (d) => rmSync(join(d, "segments", second.name))))
    expect(missing._tag).toBe("Corrupted")
    if (missing._tag === "Corrupted") expect(missing.location).toContain("segments/")
  })
})
