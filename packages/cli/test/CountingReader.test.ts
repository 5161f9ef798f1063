/**
 * `countingReader`: the strict byte source of a log and the progress meter over it (the bytes
 * the stream has read against the file's size), in-process.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { EventCodec, Ledger, Presets } from "@xueshi/core"
import { District } from "@xueshi/testing"
import { Effect } from "effect"
import { afterAll, beforeAll, expect, it } from "vitest"
import { countingReader } from "../src/Sources.js"

let dir: string
let log: string
const records = [...District.generateDistrict({ members: 60, seed: 9, communities: 4 })]

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "xueshi-meter-"))
  log = join(dir, "district.jsonl")
  writeFileSync(log, records.map((r) => `${EventCodec.EventLogCodec.encodeLine(r)}\n`).join(""))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

it("the meter is 0 before the read and the file's size after it; the ledger is the records' ledger", async () => {
  const { source, meter } = countingReader(log)
  const size = statSync(log).size
  expect(meter()).toEqual({ done: 0, total: size })
  const ledger = await Effect.runPromise(Ledger.fromLog(source, Presets.xiqingDistrict))
  expect(meter()).toEqual({ done: size, total: size })
  expect(ledger.memberIds()).toEqual(Ledger.fromRecords(records, Presets.xiqingDistrict).memberIds())
})
