/**
 * Strict input and limits (issue 13): a segment line under a valid checksum
 * that holds invalid UTF-8, a repeated key or a line past the bound is
 * refused naming segment, byte and line; an append past the limits of a
 * stored line is an `EventEncodingError` (not a retryable `StoreUnavailable`),
 * and the file and memory adapters refuse the same appends.
 */
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { type EventStore, StrictJson } from "@xueshi/core"
import { Cause, Effect, Exit } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import { MemoryEventStore } from "../../adapter-memory/src/index.js"
import { FileFormat } from "../src/index.js"
import { cleanup, openExit, openStore, quota, schoolEvents, tempDir, withStore } from "./helpers.js"

const dirs: Array<string> = []
const fresh = () => {
  const d = tempDir("xueshi-strict-", true)
  dirs.push(d)
  return d
}
afterAll(() => {
  for (const d of dirs) cleanup(d)
})

const segment = (directory: string) => join(directory, "segments", FileFormat.segmentFileName(1))

/** A store of three events, closed; answers its directory and its segment's lines. */
const threeEvents = async () => {
  const directory = fresh()
  await withStore({ directory }, (s) =>
    s.eventStore.append("school-U", schoolEvents("U", [1, 2, 3], false), "noStream")
  )
  return { directory, lines: readFileSync(segment(directory), "utf8").trimEnd().split("\n") }
}

/** A line re-framed as record 0 of 1 with a valid checksum over `canonical` (bytes, possibly not UTF-8). */
const reframe = (canonical: Buffer): Buffer => {
  const head = Buffer.concat([
    canonical.subarray(0, canonical.length - 1),
    Buffer.from(',"$file":{"i":0,"n":1,"crc":"')
  ])
  return Buffer.concat([head, Buffer.from(`${FileFormat.crcHex(head)}"}}\n`)])
}
const canonicalOf = (line: string) => Buffer.from(FileFormat.toEventLogLine(line) as string)

const corruption = async (directory: string) => {
  const exit = await openExit({ directory, verify: "full" })
  return Exit.isFailure(exit)
    ? (Cause.squash(exit.cause) as { _tag: string; message: string; location?: string })
    : undefined
}

describe("segment lines are read strictly", () => {
  it("invalid UTF-8 under a valid checksum is refused with segment, byte and line (not replaced by U+FFFD)", async () => {
    const { directory, lines } = await threeEvents()
    const second = canonicalOf(lines[1] as string)
    const at = second.indexOf('"U"') + 1
    second.set([0xff, 0xfe, 0xc3], at) // inside the school id: U → bytes FF FE C3
    const offset = Buffer.byteLength(`${lines[0]}\n`)
    writeFileSync(
      segment(directory),
      Buffer.concat([Buffer.from(`${lines[0]}\n`), reframe(second), Buffer.from(`${lines[2]}\n`)])
    )
    const error = await corruption(directory)
    expect(error).toMatchObject({
      _tag: "StoreCorrupted",
      location: `segments/${FileFormat.segmentFileName(1)} byte ${offset} line 2`
    })
    expect(error?.message).toContain(`invalid UTF-8 at byte ${at}`)
  })

  it("a repeated key under a valid checksum is refused naming the key and the line", async () => {
    const { directory, lines } = await threeEvents()
    const first = canonicalOf(lines[0] as string).toString()
    const twice = Buffer.from(first.replace('"traineeTimes":1', '"traineeTimes":1000,"traineeTimes":1'))
    writeFileSync(segment(directory), Buffer.concat([reframe(twice), Buffer.from(`${lines[1]}\n${lines[2]}\n`)]))
    const error = await corruption(directory)
    expect(error).toMatchObject({
      _tag: "StoreCorrupted",
      location: `segments/${FileFormat.segmentFileName(1)} byte 0 line 1`
    })
    expect(error?.message).toContain('"traineeTimes" appears twice')
  })

  it("a line longer than any append can write is refused with its line, without building the string", async () => {
    const { directory, lines } = await threeEvents()
    const text = `${lines[0]}\n${lines[1]}\n`
    const huge = Buffer.alloc(StrictJson.MAX_LINE_BYTES + 1024, 0x20)
    writeFileSync(segment(directory), Buffer.concat([Buffer.from(text), huge, Buffer.from(`\n${lines[2]}\n`)]))
    const error = await corruption(directory)
    expect(error).toMatchObject({
      _tag: "StoreCorrupted",
      location: `segments/${FileFormat.segmentFileName(1)} byte ${Buffer.byteLength(text)} line 3`
    })
    expect(error?.message).toContain("a line longer than")
  })
})

describe("the limits of an append are the same in every adapter, and not retryable", () => {
  const deep = (levels: number): unknown => {
    let v: unknown = {}
    for (let k = 1; k < levels; k++) v = { a: v }
    return v
  }
  const cyclic: Record<string, unknown> = {}
  cyclic.self = cyclic
  const cases: ReadonlyArray<readonly [string, EventStore.EventToAppend, string]> = [
    ["meta 100,000 levels deep", { event: quota("L", 1), meta: deep(100_000) as Record<string, unknown> }, "meta"],
    [
      "meta one level past the limit",
      { event: quota("L", 1), meta: deep(StrictJson.MAX_DEPTH) as Record<string, unknown> },
      "meta"
    ],
    ["a cyclic meta", { event: quota("L", 1), meta: cyclic }, "meta"],
    [
      "a meta whose line would pass MAX_LINE_BYTES",
      { event: quota("L", 1), meta: { note: "x".repeat(StrictJson.MAX_LINE_BYTES) } },
      "data"
    ]
  ]

  it.each(cases)("%s: EventEncodingError in the file and the memory adapter alike", async (_name, event, path) => {
    const file = await openStore({ directory: fresh() })
    const memory = MemoryEventStore.make()
    for (const store of [file.store.eventStore, memory.eventStore]) {
      const exit = await Effect.runPromiseExit(store.append("school-L", [event], "noStream"))
      const error = Exit.isFailure(exit) ? (Cause.squash(exit.cause) as { _tag: string; path: string }) : undefined
      expect(error).toMatchObject({ _tag: "EventEncodingError", path })
      expect(await Effect.runPromise(store.head())).toBe(0)
    }
    // at the limit, both accept it, and the file store reads it back
    const ok: EventStore.EventToAppend = {
      event: quota("L", 1),
      meta: deep(StrictJson.MAX_DEPTH - 1) as Record<string, unknown>
    }
    for (const store of [file.store.eventStore, memory.eventStore]) {
      expect(await Effect.runPromise(store.append("school-L", [ok], "noStream"))).toMatchObject({ version: 1 })
    }
    await file.close()
  })
})
