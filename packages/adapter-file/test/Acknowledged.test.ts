/**
 * A truncation of the active segment exactly at an append boundary past its
 * last summary (issue 13): without the acknowledged mark it opens clean with
 * fewer events (the format's limit, documented); with `recordAcknowledged`
 * opening refuses it naming segment, byte and line, and repair cuts back to
 * what is there. A mark that lags (a crash between the flush and the mark)
 * refuses nothing.
 */
import { readFileSync, truncateSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { Cause, Effect, Exit } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import { FileFormat, FileStore } from "../src/index.js"
import { cleanup, openExit, schoolEvents, tempDir, withStore } from "./helpers.js"

const dirs: Array<string> = []
afterAll(() => {
  for (const d of dirs) cleanup(d)
})

/** A store of 5 appends of one event each, no summary of the active segment; answers the byte where append 4 starts. */
const fiveAppends = async (recordAcknowledged: boolean) => {
  const directory = tempDir("xueshi-ack-", true)
  dirs.push(directory)
  await withStore({ directory, recordAcknowledged, summaryIntervalBytes: 1 << 30 }, (s) =>
    Effect.gen(function* () {
      for (let k = 1; k <= 5; k++)
        yield* s.eventStore.append("school-A", schoolEvents("A", [k]), k === 1 ? "noStream" : k - 1)
    })
  )
  const path = join(directory, "segments", FileFormat.segmentFileName(1))
  // closing wrote the summary: remove it, as a crash before close leaves none
  writeFileSync(join(directory, "segments", FileFormat.segmentFileName(1).replace(".jsonl", ".summary.json")), "")
  const text = readFileSync(path, "utf8")
  const starts = [0]
  for (let o = text.indexOf("\n"); o >= 0 && o < text.length - 1; o = text.indexOf("\n", o + 1)) starts.push(o + 1)
  const boundary = Buffer.byteLength(text.slice(0, starts[3]))
  return { directory, path, boundary }
}

const openOutcome = async (directory: string) => {
  const exit = await openExit({ directory })
  return Exit.isFailure(exit)
    ? (Cause.squash(exit.cause) as { _tag: string; location?: string; message: string })
    : exit.value
}

describe("truncation exactly at an append boundary past the last summary", () => {
  it("without the mark: opens clean with fewer events (the documented limit of the format)", async () => {
    const { directory, path, boundary } = await fiveAppends(false)
    truncateSync(path, boundary)
    expect(await openOutcome(directory)).toMatchObject({ events: 3, tornTail: undefined })
  })

  it("with recordAcknowledged: refused naming segment, byte and line; repair keeps what is there", async () => {
    const { directory, path, boundary } = await fiveAppends(true)
    truncateSync(path, boundary)
    const error = await openOutcome(directory)
    expect(error).toMatchObject({
      _tag: "StoreCorrupted",
      location: `segments/${FileFormat.segmentFileName(1)} byte ${boundary} line 4`
    })
    expect((error as { message: string }).message).toContain("acknowledged events are missing")
    const repair = await Effect.runPromise(FileStore.repairFileStore({ directory }))
    expect(repair).toMatchObject({ repaired: true, eventsKept: 3 })
    expect(await openOutcome(directory)).toMatchObject({ events: 3 })
  })

  it("with recordAcknowledged: an intact store opens, and a mark that lags behind the data refuses nothing", async () => {
    const { directory } = await fiveAppends(true)
    const ack = join(directory, "segments", "ACKNOWLEDGED")
    const text = readFileSync(ack, "utf8")
    expect(JSON.parse(text)).toMatchObject({ segment: FileFormat.segmentFileName(1) })
    await withStore({ directory, recordAcknowledged: true }, (s) =>
      s.eventStore.append("school-A", schoolEvents("A", [6]), 5)
    )
    // the mark of an earlier commit (a crash after the data's flush, before the mark's)
    writeFileSync(ack, text)
    const exit = await Effect.runPromiseExit(
      Effect.scoped(Effect.map(FileStore.make({ directory, recordAcknowledged: true }), (s) => s.recovery))
    )
    expect(Exit.isSuccess(exit) && exit.value).toMatchObject({ events: 6 })
    // opened without the option, the mark is removed: nothing is promised beyond the summaries
    expect(await openOutcome(directory)).toMatchObject({ events: 6 })
    expect(() => readFileSync(ack)).toThrow()
  })
})
