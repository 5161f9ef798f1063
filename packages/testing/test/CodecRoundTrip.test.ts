/**
 * Laws of the event-log codec: decode ∘ encode is the identity on records,
 * canonical lines are fixed points (encode ∘ decode), and export is byte-stable
 * whatever the key order of the input (export → import → export is identical).
 */
import { fc, test } from "@fast-check/vitest"
import { EventCodec } from "@xueshi/core"
import { Result } from "effect"
import { describe, expect } from "vitest"
import { logRecord } from "../src/Arbitraries.js"
import { districtHistory, renderLines } from "../src/District.js"
import { makeRandom, type Random } from "../src/Random.js"

const codec = EventCodec.EventLogCodec

const decode = (line: string) => {
  const r = codec.decodeLine(line)
  if (Result.isFailure(r)) throw new Error(`${r.failure.rule} ${r.failure.path}: ${r.failure.message}\n${line}`)
  return r.success
}

/** The same JSON value with every object's keys in a random order. */
const shuffleKeys = (u: unknown, r: Random): unknown => {
  if (Array.isArray(u)) return u.map((x) => shuffleKeys(x, r))
  if (typeof u === "object" && u !== null) {
    const keys = Object.keys(u)
    for (let i = keys.length - 1; i > 0; i--) {
      const j = r.int(0, i)
      ;[keys[i], keys[j]] = [keys[j] as string, keys[i] as string]
    }
    const out: Record<string, unknown> = {}
    for (const k of keys) out[k] = shuffleKeys((u as Record<string, unknown>)[k], r)
    return out
  }
  return u
}

describe("the event-log codec", () => {
  test.prop([logRecord])("decode(encode(record)) is the record", (record) => {
    expect(decode(codec.encodeLine(record))).toEqual(record)
  })

  test.prop([logRecord])("canonical lines are fixed points: encode(decode(line)) === line", (record) => {
    const line = codec.encodeLine(record)
    expect(codec.encodeLine(decode(line))).toBe(line)
  })

  test.prop([logRecord, fc.integer()])("export is byte-stable under any key order of the input", (record, seed) => {
    const canonical = codec.encodeLine(record)
    const shuffled = JSON.stringify(shuffleKeys(JSON.parse(canonical), makeRandom(seed)))
    const exported = codec.encodeLine(decode(shuffled))
    expect(exported).toBe(canonical)
    expect(codec.encodeLine(decode(exported))).toBe(exported)
  })

  test.prop([districtHistory(), fc.integer()])(
    "a whole history survives export → import → export byte for byte",
    (history, seed) => {
      const lines = renderLines(history)
      const r = makeRandom(seed)
      const reimported = lines.map((l) => JSON.stringify(shuffleKeys(JSON.parse(l), r))).map(decode)
      expect(reimported.map((rec) => codec.encodeLine(rec))).toEqual(lines)
    }
  )
})
