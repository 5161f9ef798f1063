/**
 * Exact rational numbers for shares and ratios (40% is `2/5`).
 *
 * A {@link Rational} is a plain JSON-serialisable object `{ num, den }` of safe
 * integers in lowest terms with `den > 0`, so equal rationals have identical
 * fields. Comparison cross-multiplies integers (switching to `BigInt` when a
 * product could leave the safe-integer range), so it is exact for every pair of
 * safe-integer fields. Arithmetic is exact too and throws a `RangeError` when a
 * normalised result does not fit in safe integers; binary floating point is
 * used only by the display function {@link toNumber}.
 *
 * @since 0.1.0
 */
import { Schema, SchemaGetter } from "effect"
import * as Equ from "effect/Equivalence"
import { dual } from "effect/Function"
import * as order from "effect/Order"

/**
 * An exact rational number: safe integers `num` and `den`, `den > 0`,
 * `gcd(|num|, den) = 1` (zero is `{ num: 0, den: 1 }`). Build values with
 * {@link make}; the fields are a stable JSON form.
 *
 * @category models
 * @since 0.1.0
 */
export interface Rational {
  readonly num: number
  readonly den: number
}

const gcdNumber = (a: number, b: number): number => {
  while (b !== 0) {
    const t = a % b
    a = b
    b = t
  }
  return a
}

const gcdBig = (a: bigint, b: bigint): bigint => {
  while (b !== 0n) {
    const t = a % b
    a = b
    b = t
  }
  return a
}

const MAX = BigInt(Number.MAX_SAFE_INTEGER)

/** Normalises a bigint fraction (d ≠ 0) and converts it back to safe integers. */
const fromBig = (n: bigint, d: bigint): Rational => {
  if (d < 0n) {
    n = -n
    d = -d
  }
  if (n === 0n) return ZERO
  const g = gcdBig(n < 0n ? -n : n, d)
  n /= g
  d /= g
  if (n > MAX || n < -MAX || d > MAX) {
    throw new RangeError(`rational ${n}/${d} does not fit in safe integers`)
  }
  return { num: Number(n), den: Number(d) }
}

/** Normalises a fraction of safe integers (d ≠ 0). */
const normalise = (n: number, d: number): Rational => {
  if (n === 0) return ZERO
  if (d < 0) {
    n = -n
    d = -d
  }
  const g = gcdNumber(Math.abs(n), d)
  return g === 1 ? { num: n, den: d } : { num: n / g, den: d / g }
}

/**
 * `a * b` when the product is a safe integer, else `undefined`. A float product
 * within the safe range is exact, because rounding is monotonic and `2^53` is
 * representable.
 */
const safeProduct = (a: number, b: number): number | undefined => {
  const p = a * b
  return Number.isSafeInteger(p) ? p : undefined
}

const ZERO: Rational = { num: 0, den: 1 }

/**
 * Makes the rational `num / den` in lowest terms.
 *
 * Throws a `RangeError` when `den` is zero or either argument is not a safe
 * integer (a programming error, not a data error: decode data with
 * {@link RationalSchema}).
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (num: number, den: number = 1): Rational => {
  if (!Number.isSafeInteger(num) || !Number.isSafeInteger(den)) {
    throw new RangeError(`rational parts must be safe integers, got ${num}/${den}`)
  }
  if (den === 0) throw new RangeError(`rational denominator must not be zero, got ${num}/0`)
  return normalise(num, den)
}

/**
 * The rational zero, `0/1`.
 *
 * @category math
 * @since 0.1.0
 */
export const zero: Rational = ZERO

/**
 * The rational one, `1/1`.
 *
 * @category math
 * @since 0.1.0
 */
export const one: Rational = { num: 1, den: 1 }

/**
 * A percentage as a rational: `percent(n, d)` is `n / d`, so with the default
 * `d = 100` the argument is a whole percent: `percent(40)` is `2/5`, and
 * `percent(3333, 10000)` is 33.33% (`3333/10000`).
 *
 * Throws like {@link make}.
 *
 * @category math
 * @since 0.1.0
 */
export const percent = (n: number, d: number = 100): Rational => make(n, d)

const PERCENT = /^(-?)(\d{1,15})(?:\.(\d{1,6}))?%?$/

/**
 * Parses a decimal percentage such as `"40"`, `"33.33"` or `"12.5%"` exactly
 * (`"33.33"` is `3333/10000`), using only string and integer operations.
 * Returns `undefined` for anything else (at most 6 decimals).
 *
 * @category math
 * @since 0.1.0
 */
export const parsePercent = (text: string): Rational | undefined => {
  const m = PERCENT.exec(text)
  if (m === null) return undefined
  const frac = m[3] ?? ""
  const digits = BigInt(`${m[2]}${frac}`)
  const n = m[1] === "-" ? -digits : digits
  try {
    return fromBig(n, 100n * 10n ** BigInt(frac.length))
  } catch {
    return undefined
  }
}

/**
 * Compares two rationals exactly by cross-multiplication: `-1` when
 * `self < that`, `0` when equal, `1` when greater. Uses `BigInt` only when a
 * cross product leaves the safe-integer range. Correct for unnormalised
 * fractions too, as long as `den > 0`.
 *
 * @category math
 * @since 0.1.0
 */
export const compare = (self: Rational, that: Rational): -1 | 0 | 1 => {
  const l = safeProduct(self.num, that.den)
  const r = safeProduct(that.num, self.den)
  if (l !== undefined && r !== undefined) return l < r ? -1 : l > r ? 1 : 0
  const lb = BigInt(self.num) * BigInt(that.den)
  const rb = BigInt(that.num) * BigInt(self.den)
  return lb < rb ? -1 : lb > rb ? 1 : 0
}

/**
 * The total order of rationals by value.
 *
 * @category values
 * @since 0.1.0
 */
export const Order: order.Order<Rational> = order.make(compare)

/**
 * Equality by value (two normalised rationals are equal exactly when their
 * fields are identical).
 *
 * @category values
 * @since 0.1.0
 */
export const Equivalence: Equ.Equivalence<Rational> = Equ.make((self, that) => compare(self, that) === 0)

/**
 * Whether two rationals are equal by value.
 *
 * @category math
 * @since 0.1.0
 */
export const equals: {
  (that: Rational): (self: Rational) => boolean
  (self: Rational, that: Rational): boolean
} = dual(2, (self: Rational, that: Rational): boolean => compare(self, that) === 0)

/**
 * Whether `self < that`.
 *
 * @category guards
 * @since 0.1.0
 */
export const isLessThan: {
  (that: Rational): (self: Rational) => boolean
  (self: Rational, that: Rational): boolean
} = order.isLessThan(Order)

/**
 * Whether `self <= that`.
 *
 * @category guards
 * @since 0.1.0
 */
export const isLessThanOrEqualTo: {
  (that: Rational): (self: Rational) => boolean
  (self: Rational, that: Rational): boolean
} = order.isLessThanOrEqualTo(Order)

/**
 * Whether `self > that`.
 *
 * @category guards
 * @since 0.1.0
 */
export const isGreaterThan: {
  (that: Rational): (self: Rational) => boolean
  (self: Rational, that: Rational): boolean
} = order.isGreaterThan(Order)

/**
 * Whether `self >= that`.
 *
 * @category guards
 * @since 0.1.0
 */
export const isGreaterThanOrEqualTo: {
  (that: Rational): (self: Rational) => boolean
  (self: Rational, that: Rational): boolean
} = order.isGreaterThanOrEqualTo(Order)

/**
 * The smaller of two rationals.
 *
 * @category math
 * @since 0.1.0
 */
export const min: {
  (that: Rational): (self: Rational) => Rational
  (self: Rational, that: Rational): Rational
} = order.min(Order)

/**
 * The larger of two rationals.
 *
 * @category math
 * @since 0.1.0
 */
export const max: {
  (that: Rational): (self: Rational) => Rational
  (self: Rational, that: Rational): Rational
} = order.max(Order)

/**
 * The exact sum `self + that`. Throws a `RangeError` if the normalised result
 * does not fit in safe integers.
 *
 * @category math
 * @since 0.1.0
 */
export const add: {
  (that: Rational): (self: Rational) => Rational
  (self: Rational, that: Rational): Rational
} = dual(2, (self: Rational, that: Rational): Rational => {
  if (self.den === that.den) {
    const n = self.num + that.num
    if (Number.isSafeInteger(n)) return normalise(n, self.den)
  } else {
    const a = safeProduct(self.num, that.den)
    const b = safeProduct(that.num, self.den)
    const d = safeProduct(self.den, that.den)
    if (a !== undefined && b !== undefined && d !== undefined && Number.isSafeInteger(a + b)) return normalise(a + b, d)
  }
  return fromBig(
    BigInt(self.num) * BigInt(that.den) + BigInt(that.num) * BigInt(self.den),
    BigInt(self.den) * BigInt(that.den)
  )
})

/**
 * The additive inverse `-self`.
 *
 * @category math
 * @since 0.1.0
 */
export const negate = (self: Rational): Rational => (self.num === 0 ? ZERO : { num: -self.num, den: self.den })

/**
 * The exact difference `self - that`. Throws a `RangeError` if the normalised
 * result does not fit in safe integers.
 *
 * @category math
 * @since 0.1.0
 */
export const subtract: {
  (that: Rational): (self: Rational) => Rational
  (self: Rational, that: Rational): Rational
} = dual(2, (self: Rational, that: Rational): Rational => add(self, negate(that)))

/**
 * The exact product `self * that`. Throws a `RangeError` if the normalised
 * result does not fit in safe integers.
 *
 * @category math
 * @since 0.1.0
 */
export const multiply: {
  (that: Rational): (self: Rational) => Rational
  (self: Rational, that: Rational): Rational
} = dual(2, (self: Rational, that: Rational): Rational => {
  const n = safeProduct(self.num, that.num)
  const d = safeProduct(self.den, that.den)
  if (n !== undefined && d !== undefined) return normalise(n, d)
  return fromBig(BigInt(self.num) * BigInt(that.num), BigInt(self.den) * BigInt(that.den))
})

/**
 * Sums rationals exactly (`0` for none).
 *
 * @category math
 * @since 0.1.0
 */
export const sumAll = (collection: Iterable<Rational>): Rational => {
  let total = ZERO
  for (const r of collection) total = add(total, r)
  return total
}

/**
 * The absolute value `|self|`.
 *
 * @category math
 * @since 0.1.0
 */
export const abs = (self: Rational): Rational => (self.num < 0 ? { num: -self.num, den: self.den } : self)

/**
 * The sign of a rational: `-1`, `0` or `1`.
 *
 * @category math
 * @since 0.1.0
 */
export const sign = (self: Rational): -1 | 0 | 1 => (self.num < 0 ? -1 : self.num > 0 ? 1 : 0)

/**
 * Whether a rational is zero.
 *
 * @category guards
 * @since 0.1.0
 */
export const isZero = (self: Rational): boolean => self.num === 0

/**
 * The share `part / whole` of two integer quantities (lesson minutes, lesson
 * counts), e.g. `share(96, 240)` is `2/5`.
 *
 * Convention: the share of an empty whole (`whole === 0`) is **undefined** and
 * the function returns `undefined` rather than inventing `0` or `1`; a course
 * mix rule must decide explicitly what an empty module means (vacuously
 * satisfied, or "no data"). Throws a `RangeError` when an argument is not a
 * safe integer.
 *
 * @category math
 * @since 0.1.0
 */
export const share = (part: number, whole: number): Rational | undefined => {
  if (!Number.isSafeInteger(part) || !Number.isSafeInteger(whole)) {
    throw new RangeError(`share needs safe integers, got ${part}/${whole}`)
  }
  return whole === 0 ? undefined : normalise(part, whole)
}

/**
 * The rational as a percentage string rounded half away from zero to
 * `decimals` places (default 2) with a `%` suffix: `2/3` → `"66.67%"`, `2/5`
 * → `"40.00%"`, `-1/8` with 1 decimal → `"-12.5%"`. Rounding uses exact
 * `BigInt` arithmetic. For display only: compare with {@link compare}, never
 * with the string.
 *
 * @category math
 * @since 0.1.0
 */
export const toPercentString = (self: Rational, decimals: number = 2): string => {
  if (!Number.isSafeInteger(decimals) || decimals < 0 || decimals > 100) {
    throw new RangeError(`decimals must be an integer in 0..100, got ${decimals}`)
  }
  const n = BigInt(self.num)
  const d = BigInt(self.den)
  const neg = n < 0n
  const scale = 10n ** BigInt(decimals)
  const scaled = (neg ? -n : n) * 100n * scale
  const q = scaled / d
  const rem = scaled - q * d
  const rounded = 2n * rem >= d ? q + 1n : q
  const whole = rounded / scale
  const frac = rounded - whole * scale
  const fracText = decimals === 0 ? "" : `.${frac.toString().padStart(decimals, "0")}`
  return `${neg && rounded !== 0n ? "-" : ""}${whole}${fracText}%`
}

/**
 * The nearest `number` to the rational. **For display and logging only**:
 * never use the result in sums or comparisons.
 *
 * @category math
 * @since 0.1.0
 */
export const toNumber = (self: Rational): number => self.num / self.den

/**
 * Whether an unknown value is a {@link Rational} in normal form (safe integer
 * fields, `den > 0`, lowest terms).
 *
 * @category guards
 * @since 0.1.0
 */
export const isRational = (u: unknown): u is Rational => {
  if (typeof u !== "object" || u === null) return false
  const { num, den } = u as { num?: unknown; den?: unknown }
  return (
    typeof num === "number" &&
    typeof den === "number" &&
    Number.isSafeInteger(num) &&
    Number.isSafeInteger(den) &&
    den > 0 &&
    (num === 0 ? den === 1 && !Object.is(num, -0) : gcdNumber(Math.abs(num), den) === 1)
  )
}

const Normalised = Schema.Struct({
  num: Schema.Int,
  den: Schema.Int
}).check(Schema.makeFilter((r) => isRational(r) || "expected a rational in lowest terms with a positive denominator"))

/**
 * The JSON codec of a rational: decodes `{ num: Int, den: Int > 0 }` and
 * normalises it (`{ num: 40, den: 100 }` decodes to `{ num: 2, den: 5 }`);
 * encodes a rational to its (already normalised) fields.
 *
 * @category schemas
 * @since 0.1.0
 */
export const RationalSchema = Schema.Struct({
  num: Schema.Int,
  den: Schema.Int.check(Schema.isGreaterThan(0))
})
  .annotate({
    title: "Rational",
    description: "An exact fraction num/den with den > 0; it need not be in lowest terms (the decoder normalises it)."
  })
  .pipe(
    Schema.decodeTo(Normalised, {
      decode: SchemaGetter.transform((r: { readonly num: number; readonly den: number }) => normalise(r.num, r.den)),
      encode: SchemaGetter.transform((r: { readonly num: number; readonly den: number }) => ({
        num: r.num,
        den: r.den
      }))
    })
  )
