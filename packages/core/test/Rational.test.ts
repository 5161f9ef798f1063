import { fc, test } from "@fast-check/vitest"
import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as Rational from "../src/Rational.js"

const MAX = Number.MAX_SAFE_INTEGER

// Reference arithmetic: plain BigInt fractions, normalised independently.
const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? (a < 0n ? -a : a) : gcd(b, a % b))
const refNormal = (n: bigint, d: bigint): { num: bigint; den: bigint } => {
  if (d < 0n) return refNormal(-n, -d)
  if (n === 0n) return { num: 0n, den: 1n }
  const g = gcd(n, d)
  return { num: n / g, den: d / g }
}
const refCompare = (a: Rational.Rational, b: Rational.Rational): number => {
  const l = BigInt(a.num) * BigInt(b.den)
  const r = BigInt(b.num) * BigInt(a.den)
  return l < r ? -1 : l > r ? 1 : 0
}
const fits = (x: { num: bigint; den: bigint }): boolean =>
  x.num <= BigInt(MAX) && x.num >= -BigInt(MAX) && x.den <= BigInt(MAX)

// Integers biased towards both small values and the edges of the safe range.
const anyInt = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }),
  fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }),
  fc.maxSafeInteger(),
  fc.integer({ min: MAX - 1000, max: MAX }),
  fc.integer({ min: -MAX, max: -MAX + 1000 })
)
const posInt = fc.oneof(
  fc.integer({ min: 1, max: 1000 }),
  fc.integer({ min: 1, max: 1_000_000_000 }),
  fc.integer({ min: 1, max: MAX }),
  fc.integer({ min: MAX - 1000, max: MAX })
)
const anyRational = fc.tuple(anyInt, posInt).map(([n, d]) => Rational.make(n, d))
// Small enough that sums, differences and products stay within safe integers.
const smallRational = fc
  .tuple(fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.integer({ min: 1, max: 1_000_000 }))
  .map(([n, d]) => Rational.make(n, d))

describe("make", () => {
  it("normalises sign and common factors", () => {
    expect(Rational.make(40, 100)).toStrictEqual({ num: 2, den: 5 })
    expect(Rational.make(3, -6)).toStrictEqual({ num: -1, den: 2 })
    expect(Rational.make(-3, -6)).toStrictEqual({ num: 1, den: 2 })
    expect(Rational.make(0, -7)).toStrictEqual({ num: 0, den: 1 })
    expect(Object.is(Rational.make(-0, 5).num, 0)).toBe(true)
    expect(Rational.make(7)).toStrictEqual({ num: 7, den: 1 })
    expect(JSON.stringify(Rational.make(40, 100))).toBe('{"num":2,"den":5}')
  })

  it("throws RangeError on a zero denominator or non-integers", () => {
    expect(() => Rational.make(1, 0)).toThrow(RangeError)
    expect(() => Rational.make(1.5, 2)).toThrow(RangeError)
    expect(() => Rational.make(1, 2.5)).toThrow(RangeError)
    expect(() => Rational.make(Number.NaN, 1)).toThrow(RangeError)
    expect(() => Rational.make(1, Number.POSITIVE_INFINITY)).toThrow(RangeError)
    expect(() => Rational.make(MAX + 1, 1)).toThrow(RangeError)
  })

  test.prop([anyInt, posInt])("result is in normal form and equal in value to num/den", (n, d) => {
    const r = Rational.make(n, d)
    expect(Rational.isRational(r)).toBe(true)
    const ref = refNormal(BigInt(n), BigInt(d))
    expect([BigInt(r.num), BigInt(r.den)]).toStrictEqual([ref.num, ref.den])
  })

  test.prop([
    fc.integer({ min: -1_000_000, max: 1_000_000 }),
    fc.integer({ min: 1, max: 1_000_000 }),
    fc.integer({ min: 1, max: 1000 }),
    fc.integer({ min: -1000, max: 1000 }).filter((k) => k !== 0)
  ])("equal rationals have identical fields (normalisation)", (n, d, k1, k2) => {
    const a = Rational.make(n * k1, d * k1)
    const b = Rational.make(n * k2, d * k2)
    expect(Rational.equals(a, b)).toBe(true)
    expect(a).toStrictEqual(b)
    expect(JSON.stringify(a)).toBe(JSON.stringify(b))
  })

  test.prop([anyRational, anyRational])("compare(a, b) === 0 exactly when fields are identical", (a, b) => {
    expect(Rational.compare(a, b) === 0).toBe(a.num === b.num && a.den === b.den)
  })
})

describe("compare and Order", () => {
  test.prop([anyRational, anyRational])("agrees with BigInt cross-multiplication", (a, b) => {
    expect(Rational.compare(a, b)).toBe(refCompare(a, b))
  })

  test.prop([anyRational])("is reflexive", (a) => {
    expect(Rational.compare(a, a)).toBe(0)
  })

  test.prop([anyRational, anyRational])("is antisymmetric", (a, b) => {
    expect(Rational.compare(a, b)).toBe(-Rational.compare(b, a) || 0)
  })

  test.prop([anyRational, anyRational, anyRational])("is transitive", (a, b, c) => {
    const [x, y, z] = [a, b, c].sort(Rational.Order)
    if (x === undefined || y === undefined || z === undefined) throw new Error("unreachable")
    expect(Rational.compare(x, y)).toBeLessThanOrEqual(0)
    expect(Rational.compare(y, z)).toBeLessThanOrEqual(0)
    expect(Rational.compare(x, z)).toBeLessThanOrEqual(0)
  })

  it("is exact where floating point cannot tell values apart", () => {
    const a = Rational.make(MAX, MAX - 1) // 1 + 1/(2^53 - 2)
    const b = Rational.make(MAX - 1, MAX - 2) // 1 + 1/(2^53 - 3)
    expect(Rational.toNumber(a)).toBe(Rational.toNumber(b))
    expect(Rational.compare(a, b)).toBe(-1)
    expect(Rational.isLessThan(a, b)).toBe(true)
    expect(Rational.equals(a, b)).toBe(false)
  })

  it("predicates, min and max (data-first and data-last)", () => {
    const twoFifths = Rational.percent(40)
    const third = Rational.make(1, 3)
    expect(Rational.isGreaterThanOrEqualTo(twoFifths, Rational.make(2, 5))).toBe(true)
    expect(Rational.isGreaterThan(twoFifths, Rational.make(2, 5))).toBe(false)
    expect(Rational.isLessThanOrEqualTo(third, twoFifths)).toBe(true)
    expect(Rational.isLessThan(twoFifths)(third)).toBe(true)
    expect(Rational.min(twoFifths, third)).toStrictEqual(third)
    expect(Rational.max(twoFifths, third)).toStrictEqual(twoFifths)
    expect(Rational.Equivalence(Rational.make(4, 10), twoFifths)).toBe(true)
  })
})

describe("arithmetic", () => {
  it("worked examples", () => {
    expect(Rational.add(Rational.make(1, 3), Rational.make(1, 6))).toStrictEqual({ num: 1, den: 2 })
    expect(Rational.subtract(Rational.make(1, 3), Rational.make(1, 2))).toStrictEqual({ num: -1, den: 6 })
    expect(Rational.multiply(Rational.make(2, 3), Rational.make(3, 4))).toStrictEqual({ num: 1, den: 2 })
    expect(Rational.abs(Rational.make(-2, 3))).toStrictEqual({ num: 2, den: 3 })
    expect(Rational.negate(Rational.zero)).toStrictEqual(Rational.zero)
    expect(Rational.isZero(Rational.subtract(Rational.percent(40), Rational.make(2, 5)))).toBe(true)
    expect(Rational.sign(Rational.make(-1, 9))).toBe(-1)
    expect(Rational.sumAll([Rational.percent(40), Rational.percent(40), Rational.percent(20)])).toStrictEqual(
      Rational.one
    )
  })

  test.prop([smallRational, smallRational])("subtract undoes add", (a, b) => {
    expect(Rational.subtract(Rational.add(a, b), b)).toStrictEqual(a)
    expect(Rational.add(Rational.subtract(a, b), b)).toStrictEqual(a)
  })

  test.prop([smallRational, smallRational])("add is commutative and a - a is zero", (a, b) => {
    expect(Rational.add(a, b)).toStrictEqual(Rational.add(b, a))
    expect(Rational.subtract(a, a)).toStrictEqual(Rational.zero)
  })

  test.prop([anyRational, anyRational])("add is exact, or throws RangeError when the result does not fit", (a, b) => {
    const ref = refNormal(BigInt(a.num) * BigInt(b.den) + BigInt(b.num) * BigInt(a.den), BigInt(a.den) * BigInt(b.den))
    if (fits(ref)) {
      const r = Rational.add(a, b)
      expect([BigInt(r.num), BigInt(r.den)]).toStrictEqual([ref.num, ref.den])
    } else {
      expect(() => Rational.add(a, b)).toThrow(RangeError)
    }
  })

  test.prop([anyRational, anyRational])(
    "multiply is exact, or throws RangeError when the result does not fit",
    (a, b) => {
      const ref = refNormal(BigInt(a.num) * BigInt(b.num), BigInt(a.den) * BigInt(b.den))
      if (fits(ref)) {
        const r = Rational.multiply(a, b)
        expect([BigInt(r.num), BigInt(r.den)]).toStrictEqual([ref.num, ref.den])
      } else {
        expect(() => Rational.multiply(a, b)).toThrow(RangeError)
      }
    }
  )

  test.prop([anyRational])("abs is non-negative and equals a or -a", (a) => {
    const r = Rational.abs(a)
    expect(r.num).toBeGreaterThanOrEqual(0)
    expect(Rational.equals(r, a) || Rational.equals(r, Rational.negate(a))).toBe(true)
  })
})

describe("share", () => {
  it("worked examples and the empty-whole convention", () => {
    expect(Rational.share(96, 240)).toStrictEqual({ num: 2, den: 5 })
    expect(Rational.share(0, 240)).toStrictEqual(Rational.zero)
    expect(Rational.share(240, 240)).toStrictEqual(Rational.one)
    expect(Rational.share(0, 0)).toBeUndefined()
    expect(Rational.share(5, 0)).toBeUndefined()
    expect(() => Rational.share(1.5, 3)).toThrow(RangeError)
  })

  test.prop([fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 30 })])(
    "shares of parts that sum to the whole sum to exactly 1",
    (parts) => {
      const whole = parts.reduce((s, p) => s + p, 0)
      const shares = parts.map((p) => Rational.share(p, whole))
      if (whole === 0) {
        expect(shares.every((s) => s === undefined)).toBe(true)
        return
      }
      const defined = shares.filter((s): s is Rational.Rational => s !== undefined)
      expect(defined).toHaveLength(parts.length)
      expect(Rational.sumAll(defined)).toStrictEqual(Rational.one)
    }
  )

  test.prop([
    fc.integer({ min: 0, max: 100_000 }),
    fc.integer({ min: 1, max: 100_000 }),
    fc.integer({ min: 1, max: 99 })
  ])("a share meets a percentage threshold exactly when part * 100 >= p * whole", (part, whole, p) => {
    const s = Rational.share(part, whole)
    if (s === undefined) throw new Error("unreachable")
    expect(Rational.isGreaterThanOrEqualTo(s, Rational.percent(p))).toBe(part * 100 >= p * whole)
  })
})

describe("percentages", () => {
  it("toPercentString rounds half away from zero, exactly", () => {
    expect(Rational.toPercentString(Rational.make(2, 5))).toBe("40.00%")
    expect(Rational.toPercentString(Rational.make(2, 3))).toBe("66.67%")
    expect(Rational.toPercentString(Rational.make(1, 3))).toBe("33.33%")
    expect(Rational.toPercentString(Rational.make(1, 800))).toBe("0.13%") // 0.125% → 0.13%
    expect(Rational.toPercentString(Rational.make(-1, 800))).toBe("-0.13%")
    expect(Rational.toPercentString(Rational.make(-1, 8), 1)).toBe("-12.5%")
    expect(Rational.toPercentString(Rational.make(-1, 1000), 0)).toBe("0%")
    expect(Rational.toPercentString(Rational.make(7, 2), 0)).toBe("350%")
    expect(Rational.toPercentString(Rational.zero)).toBe("0.00%")
    expect(Rational.toPercentString(Rational.make(MAX, 3), 2)).toBe("300239975158033033.33%")
    expect(() => Rational.toPercentString(Rational.one, -1)).toThrow(RangeError)
  })

  test.prop([anyRational, fc.integer({ min: 0, max: 6 })])(
    "toPercentString is within half a unit of the last place",
    (r, decimals) => {
      const text = Rational.toPercentString(r, decimals)
      expect(text).toMatch(decimals === 0 ? /^-?\d+%$/ : new RegExp(`^-?\\d+\\.\\d{${decimals}}%$`))
      // the printed value as a BigInt fraction: digits / (100 · 10^decimals)
      const digits = BigInt(text.replace(/[.%]/g, ""))
      const scale = 100n * 10n ** BigInt(decimals)
      // |digits/scale - num/den| <= 1/(2 · scale)  ⇔  2·|digits·den - num·scale| <= den
      const diff = digits * BigInt(r.den) - BigInt(r.num) * scale
      const abs = diff < 0n ? -diff : diff
      expect(2n * abs <= BigInt(r.den)).toBe(true)
    }
  )

  it("percent and parsePercent", () => {
    expect(Rational.percent(40)).toStrictEqual({ num: 2, den: 5 })
    expect(Rational.percent(3333, 10_000)).toStrictEqual({ num: 3333, den: 10_000 })
    expect(Rational.parsePercent("40")).toStrictEqual({ num: 2, den: 5 })
    expect(Rational.parsePercent("33.33")).toStrictEqual({ num: 3333, den: 10_000 })
    expect(Rational.parsePercent("12.5%")).toStrictEqual({ num: 1, den: 8 })
    expect(Rational.parsePercent("-20")).toStrictEqual({ num: -1, den: 5 })
    for (const bad of ["", "40 %", "1e2", ".5", "5.", "+5", "0.1234567", "abc"]) {
      expect(Rational.parsePercent(bad)).toBeUndefined()
    }
  })
})

describe("RationalSchema", () => {
  const decode = Schema.decodeUnknownSync(Rational.RationalSchema)
  const encode = Schema.encodeSync(Rational.RationalSchema)

  it("decodes JSON and normalises it", () => {
    expect(decode({ num: 40, den: 100 })).toStrictEqual({ num: 2, den: 5 })
    expect(decode(JSON.parse('{"num":-3,"den":6}'))).toStrictEqual({ num: -1, den: 2 })
    expect(encode(Rational.make(2, 5))).toStrictEqual({ num: 2, den: 5 })
  })

  it("rejects a zero or negative denominator, non-integers and missing fields", () => {
    for (const bad of [
      { num: 1, den: 0 },
      { num: 1, den: -2 },
      { num: 1.5, den: 2 },
      { num: 1, den: 2.5 },
      { num: MAX + 1, den: 1 },
      { num: "1", den: 2 },
      { num: 1 },
      null,
      "2/5"
    ]) {
      expect(() => decode(bad)).toThrow()
    }
  })

  test.prop([anyRational])("encode then decode (through JSON) is the identity", (r) => {
    expect(decode(JSON.parse(JSON.stringify(encode(r))))).toStrictEqual(r)
  })
})
