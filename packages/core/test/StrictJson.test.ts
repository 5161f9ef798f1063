/**
 * Strict input (issue 13): repeated keys, nesting, line length and invalid
 * UTF-8 are refused with where they are, by StrictJson, the codec's parse
 * step, validateText and the byte reader of LogSource alike; lone CR is not a
 * line ending for any of them.
 */
import { Cause, Effect, Exit, Result, Stream } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { EventLogCodec } from "../src/EventCodec.js"
import * as LogSource from "../src/LogSource.js"
import { validateText } from "../src/LogValidator.js"
import * as StrictJson from "../src/StrictJson.js"

const SCHOOL =
  '{"stream":"school-S1","type":"SchoolRegistered","data":{"schoolId":"S1","name":"党校","tier":"district"}}'
const QUOTA = (minutes: string) =>
  `{"stream":"school-S1","type":"QuotaClaimed","data":{"schoolId":"S1","year":2025,${minutes}}}`

const failureOf = (text: string) => {
  const r = StrictJson.parse(text)
  return Result.isFailure(r) ? r.failure : undefined
}

const linesOf = (chunks: ReadonlyArray<Uint8Array>) =>
  Effect.runPromiseExit(Stream.runCollect(LogSource.lines(LogSource.bytes(chunks))))

const errorOf = (exit: Exit.Exit<unknown, unknown>) =>
  Exit.isFailure(exit) ? (Cause.squash(exit.cause) as { _tag: string; line: number; message: string }) : undefined

describe("StrictJson.parse", () => {
  it("agrees with JSON.parse on JSON without repeated keys (a law over arbitrary JSON values)", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (v) => {
        const text = JSON.stringify(v)
        const r = StrictJson.parse(text)
        expect(Result.isSuccess(r) && r.success).toEqual(JSON.parse(text))
      })
    )
  })

  it("refuses a repeated key at any depth, naming the key and where its second use starts", () => {
    const text = '{"a":1,"b":{"x":"\\"x\\"","x":2}}'
    expect(failureOf(text)).toMatchObject({ reason: "duplicateKey", key: "x", offset: text.lastIndexOf('"x"') })
    expect(failureOf('{"minutes":1000,"minutes":90}')).toMatchObject({ reason: "duplicateKey", key: "minutes" })
    // the same key in two different objects, or as a string value, is no repetition
    expect(failureOf('{"a":{"k":1},"b":{"k":2},"c":"k","d":[{"k":1},{"k":2}]}')).toBeUndefined()
    // keys that differ only by escapes are the same key
    expect(failureOf('{"k":1,"\\u006b":2}')).toMatchObject({ reason: "duplicateKey", key: "k" })
  })

  it("refuses nesting deeper than MAX_DEPTH and accepts it at the limit", () => {
    const nest = (n: number) => `${"[".repeat(n - 1)}{}${"]".repeat(n - 1)}`
    expect(failureOf(nest(StrictJson.MAX_DEPTH))).toBeUndefined()
    expect(failureOf(nest(StrictJson.MAX_DEPTH + 1))).toMatchObject({ reason: "tooDeep" })
    // 100,000 levels: refused without a stack overflow
    expect(failureOf(`{"meta":${"[".repeat(100_000)}${"]".repeat(100_000)}}`)).toMatchObject({ reason: "tooDeep" })
    // brackets inside strings do not count
    expect(failureOf(JSON.stringify({ s: "[".repeat(1000) }))).toBeUndefined()
  })

  it("refuses a line longer than MAX_LINE_BYTES, counted in UTF-8 bytes", () => {
    const ascii = `"${"a".repeat(StrictJson.MAX_LINE_BYTES - 2)}"`
    expect(failureOf(ascii)).toBeUndefined()
    expect(failureOf(`${ascii} `)).toMatchObject({ reason: "tooLong" })
    // 3 bytes per character: a third of the characters is already too long
    expect(failureOf(`"${"党".repeat(StrictJson.MAX_LINE_BYTES / 3)}"`)).toMatchObject({ reason: "tooLong" })
  })

  it("decodeUtf8 refuses invalid bytes, naming the first one's offset", () => {
    const bytes = new Uint8Array([0x7b, 0x22, 0xe5, 0x85, 0x9a, 0xff, 0xfe, 0xc3, 0x22])
    expect(StrictJson.decodeUtf8(bytes)).toMatchObject({ _tag: "Failure", failure: { reason: "utf8", offset: 5 } })
    // overlong, surrogate and truncated sequences
    for (const [seq, at] of [
      [[0x61, 0xc0, 0xaf], 1],
      [[0xed, 0xa0, 0x80], 0],
      [[0x61, 0x62, 0xe5, 0x85], 2]
    ] as const) {
      expect(StrictJson.decodeUtf8(new Uint8Array(seq))).toMatchObject({ failure: { offset: at } })
    }
    expect(StrictJson.decodeUtf8(new TextEncoder().encode("西青区委党校 ✓"))).toEqual(Result.succeed("西青区委党校 ✓"))
  })
})

describe("every entry refuses the same lines", () => {
  it("the codec and the validator refuse a repeated key naming the line and the key (the last one no longer wins)", () => {
    const decoded = EventLogCodec.decodeLine(QUOTA('"traineeTimes":1000,"traineeTimes":90'))
    expect(Result.isFailure(decoded) && decoded.failure.message).toContain('"traineeTimes" appears twice')
    const twoTypes = SCHOOL.replace('"type":"SchoolRegistered"', '"type":"SchoolRegistered","type":"QuotaClaimed"')
    const report = validateText(`${SCHOOL.replace("S1", "S0").replace("S1", "S0")}\n${twoTypes}\n`)
    expect(report.ok).toBe(false)
    expect(report.errors[0]).toMatchObject({ line: 2, rule: "line.json" })
    expect(report.errors[0]?.message).toContain('"type" appears twice')
  })

  it("lone CR: validateText and the byte reader both take CR LF as a line end and a lone CR as part of a line", async () => {
    const crlf = `${SCHOOL}\r\n${QUOTA('"traineeTimes":3')}\r\n`
    expect(validateText(crlf)).toMatchObject({ ok: true, accepted: 2 })
    const read = await linesOf([new TextEncoder().encode(crlf)])
    expect(Exit.isSuccess(read) && read.value.length).toBe(2)
    const lone = `${SCHOOL}\r${QUOTA('"traineeTimes":3')}\r`
    const text = validateText(lone)
    expect(text.errors[0]).toMatchObject({ line: 1, rule: "line.json" })
    expect(text.errors[0]?.message).toContain("carriage return")
    const fromBytes = await Effect.runPromise(
      Effect.flip(LogSource.validated(LogSource.bytes([new TextEncoder().encode(lone)]), () => undefined))
    )
    expect(fromBytes).toMatchObject({ _tag: "LogError", line: 1, rule: "line.json", message: text.errors[0]?.message })
  })

  it("the byte reader refuses invalid UTF-8 with the line and the byte offset, split across chunks or not", async () => {
    const enc = new TextEncoder()
    const good = enc.encode(`${SCHOOL}\n`)
    const name = SCHOOL.replace("S1", "S2").replace("S1", "S2")
    const at = enc.encode(name.slice(0, name.indexOf("党校"))).length
    const bad = enc.encode(`${name}\n`)
    bad.set([0xff, 0xfe, 0xc3], at)
    for (const chunks of [
      [good, bad],
      [new Uint8Array([...good, ...bad.subarray(0, at + 1)]), bad.subarray(at + 1)]
    ]) {
      const error = errorOf(await linesOf(chunks))
      expect(error).toMatchObject({ _tag: "LogError", line: 2, rule: "line.json" })
      expect(error?.message).toContain(`invalid UTF-8 at byte ${at} of the line (byte ${good.length + at} of the log)`)
    }
  })

  it("a 600 MB line is refused with its line number before it is held in memory (no RangeError)", async () => {
    const piece = new Uint8Array(8 * 1024 * 1024).fill(0x20)
    let given = 0
    function* chunks() {
      yield new TextEncoder().encode(`${SCHOOL}\n{"stream":`)
      for (; given < 600 / 8; given++) yield piece
    }
    const error = errorOf(await Effect.runPromiseExit(Stream.runDrain(LogSource.lines(LogSource.bytes(chunks())))))
    expect(error).toMatchObject({ _tag: "LogError", line: 2, rule: "line.json" })
    expect(error?.message).toContain(`longer than ${StrictJson.MAX_LINE_BYTES} bytes`)
    // it stopped reading at the bound, not at the end of the 600 MB
    expect(given).toBeLessThan(10)
  })
})
