import { fc, test } from "@fast-check/vitest"
import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as Hours from "../src/Hours.js"

const centi = (n: number): Hours.Hours => Hours.make(n)

describe("format, toWire and fromWire", () => {
  it("worked examples", () => {
    expect(Hours.format(centi(0))).toBe("0.00")
    expect(Hours.format(centi(5))).toBe("0.05")
    expect(Hours.format(centi(125))).toBe("1.25")
    expect(Hours.format(centi(150))).toBe("1.50")
    expect(Hours.format(centi(3200))).toBe("32.00")
    expect(Hours.format(centi(-5))).toBe("-0.05")
    expect(Hours.format(centi(-150))).toBe("-1.50")
    expect(Hours.format(centi(Number.MAX_SAFE_INTEGER))).toBe("90071992547409.91")
    expect(Hours.toWire(centi(150))).toBe(1.5)
    expect(JSON.stringify(Hours.toWire(centi(150)))).toBe("1.5")
    expect(JSON.stringify(Hours.toWire(centi(3200)))).toBe("32")
    expect(JSON.stringify(Hours.toWire(centi(1)))).toBe("0.01")
    expect(Hours.fromWire(1.25)).toBe(125)
    expect(Hours.fromWire(0)).toBe(0)
    expect(Hours.fromWire(-0)).toBe(0)
    expect(Hours.fromWire(32)).toBe(3200)
  })

  test.prop([fc.integer({ min: 0, max: 1_000_000_000 })])("wire round trip for 0..10^9 centi-hours", (n) => {
    const h = centi(n)
    const wire = Hours.toWire(h)
    expect(Hours.fromWire(wire)).toBe(h)
    const text = String(wire)
    expect(JSON.stringify(wire)).toBe(text)
    // at most two decimals, never a trailing zero in the fraction, no exponent
    expect(text).toMatch(/^\d+(\.\d?[1-9])?$/)
    // the wire text is format(h) with the trailing zeros (and a bare ".") removed
    const f = Hours.format(h)
    expect(text).toBe(f.endsWith(".00") ? f.slice(0, -3) : f.endsWith("0") ? f.slice(0, -1) : f)
  })

  test.prop([fc.integer({ min: 0, max: 1e15 - 1 })])("wire round trip for every amount below 10^13 hours", (n) => {
    expect(Hours.fromWire(Hours.toWire(centi(n)))).toBe(n)
  })

  test.prop([fc.integer({ min: -1e15 + 1, max: 1e15 - 1 })])(
    "parseHours inverts format for non-negative amounts below 10^13 hours",
    (n) => {
      const text = Hours.format(centi(n))
      expect(text).toMatch(/^-?\d+\.\d\d$/)
      expect(Hours.parseHours(text)).toBe(n >= 0 ? n : undefined)
    }
  )

  it("rejects amounts that are negative, not finite or have more than two decimals", () => {
    for (const bad of [
      1.255,
      0.001,
      -1,
      -0.01,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      0.1 + 0.2,
      1e13,
      1e21
    ]) {
      expect(Hours.fromWire(bad)).toBeUndefined()
    }
    for (const bad of ["1.255", "-1", "", "1.", ".5", "1e2", " 1", "1 ", "1,5", "+1", "NaN", "Infinity"]) {
      expect(Hours.parseHours(bad)).toBeUndefined()
    }
  })

  test.prop([fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 1, max: 9 })])(
    "rejects every number with a third decimal digit",
    (centis, thousandth) => {
      const text = `${Math.floor(centis / 100)}.${String(centis % 100).padStart(2, "0")}${thousandth}`
      expect(Hours.parseHours(text)).toBeUndefined()
      expect(Hours.fromWire(Number(text))).toBeUndefined()
    }
  )
})

describe("make, zero and sum", () => {
  it("make accepts only safe integers", () => {
    expect(Hours.make(125)).toBe(125)
    expect(Hours.zero).toBe(0)
    for (const bad of [1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER + 1]) {
      expect(() => Hours.make(bad)).toThrow(RangeError)
    }
  })

  it("sum is exact where floating point is not", () => {
    expect(0.1 + 0.2).not.toBe(0.3)
    expect(Hours.sum(centi(10), centi(20))).toBe(30)
    expect(Hours.toWire(Hours.sum(centi(10), centi(20)))).toBe(0.3)
    let float = 0
    for (let i = 0; i < 1000; i++) float += 0.01
    expect(float).not.toBe(10)
    const cents = Array.from({ length: 1000 }, () => centi(1))
    expect(Hours.sumAll(cents)).toBe(1000)
    expect(Hours.format(Hours.sum(...cents))).toBe("10.00")
    expect(Hours.sum()).toBe(0)
  })

  test.prop([fc.nat({ max: 100_000 })])("the sum of n times 0.01 is exactly n centi-hours", (n) => {
    expect(Hours.sumAll(Array.from({ length: n }, () => centi(1)))).toBe(n)
  })

  test.prop([fc.array(fc.integer({ min: -1e12, max: 1e12 }), { maxLength: 200 })])(
    "sum equals the BigInt sum and does not depend on order",
    (ns) => {
      const hs = ns.map(centi)
      const expected = ns.reduce((s, n) => s + BigInt(n), 0n)
      expect(BigInt(Hours.sum(...hs))).toBe(expected)
      expect(Hours.sumAll([...hs].reverse())).toBe(Hours.sum(...hs))
    }
  )

  it("sum throws instead of losing precision", () => {
    expect(() => Hours.sum(centi(Number.MAX_SAFE_INTEGER), centi(1))).toThrow(RangeError)
  })
})

describe("HoursFromWire", () => {
  const decode = Schema.decodeUnknownSync(Hours.HoursFromWire)
  const encode = Schema.encodeSync(Hours.HoursFromWire)

  it("decodes wire numbers and encodes them back", () => {
    expect(decode(1.25)).toBe(125)
    expect(decode(32)).toBe(3200)
    expect(decode(0)).toBe(0)
    expect(encode(centi(150))).toBe(1.5)
    expect(JSON.stringify({ hours: encode(centi(125)) })).toBe('{"hours":1.25}')
    expect(
      Schema.decodeUnknownSync(Schema.Struct({ hours: Hours.HoursFromWire }))(JSON.parse('{"hours":0.25}'))
    ).toStrictEqual({
      hours: 25
    })
  })

  it("rejects bad wire values and negative amounts", () => {
    for (const bad of [1.255, -1, Number.NaN, Number.POSITIVE_INFINITY, "1.25", null, undefined, 1e13]) {
      expect(() => decode(bad)).toThrow()
    }
    expect(() => encode(centi(-150))).toThrow()
    expect(() => encode(1.5 as Hours.Hours)).toThrow()
  })

  test.prop([fc.integer({ min: 0, max: 1e15 - 1 })])("decode(encode(h)) === h through JSON", (n) => {
    const h = centi(n)
    expect(decode(JSON.parse(JSON.stringify(encode(h))))).toBe(h)
  })
})
