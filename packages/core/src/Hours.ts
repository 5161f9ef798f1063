/**
 * Credit hours (学时) as exact integers of 0.01 hour.
 *
 * On the wire (event-log-v1) hours are JSON numbers with at most two decimals;
 * at runtime they are integers of 0.01 hour ("centi-hours"), so sums and
 * comparisons never touch binary floating point.
 *
 * @since 0.1.0
 */
import { Schema, type SchemaAST, SchemaGetter } from "effect"

/**
 * Hours at runtime: a safe integer count of 0.01 hour (`125` is 1.25 学时).
 *
 * @category schemas
 * @since 0.1.0
 */
export const Hours = Schema.Int.pipe(Schema.brand("Hours"))

/**
 * Hours at runtime: a safe integer count of 0.01 hour.
 *
 * @category models
 * @since 0.1.0
 */
export type Hours = typeof Hours.Type

const WIRE = /^(\d{1,13})(?:\.(\d{1,2}))?$/

/**
 * Parses the decimal text of a wire amount (`"1.25"`, `"1.5"`, `"32"`) into
 * hours, or `undefined` unless it is plain decimal digits with at most 13 whole
 * digits and at most two decimals (no sign, exponent or spaces). Only string
 * and integer operations are used: no binary floating point arithmetic.
 *
 * @category math
 * @since 0.1.0
 */
export const parseHours = (text: string): Hours | undefined => {
  const m = WIRE.exec(text)
  if (m === null) return undefined
  const frac = m[2] === undefined ? 0 : m[2].length === 1 ? Number(m[2]) * 10 : Number(m[2])
  return (Number(m[1]) * 100 + frac) as Hours
}

/**
 * Converts a wire number (a JSON number with at most two decimals) to hours.
 * Returns `undefined` when its shortest decimal text (`String(n)`) has more than
 * two decimals, or it is negative, not finite, or `>= 10^13` hours.
 *
 * @category constructors
 * @since 0.1.0
 */
export const fromWire = (n: number): Hours | undefined =>
  typeof n === "number" && Number.isFinite(n) ? parseHours(String(n)) : undefined

/**
 * The wire number for an amount of hours: `125` → `1.25`, `150` → `1.5`. The
 * result's shortest decimal text (what `String` and `JSON.stringify` write) is
 * the two-decimal amount without trailing zeros, and `fromWire(toWire(h)) === h`
 * for every `0 <= h < 10^15` (at most 15 significant digits, which a double
 * round-trips exactly). Wire amounts are non-negative: `fromWire` rejects the
 * result for negative `h`.
 *
 * @category math
 * @since 0.1.0
 */
export const toWire = (h: Hours): number => Number(format(h))

/**
 * Formats hours as a decimal string with exactly two decimals: `125` → `"1.25"`,
 * `-5` → `"-0.05"`. Integer arithmetic only.
 *
 * @category math
 * @since 0.1.0
 */
export const format = (h: Hours): string => {
  const sign = h < 0 ? "-" : ""
  const a = Math.abs(h)
  const frac = a % 100
  const whole = (a - frac) / 100
  return `${sign}${whole}.${frac < 10 ? "0" : ""}${frac}`
}

/**
 * Makes hours from a count of 0.01 hour; throws on a non-integer (a programming error).
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (centiHours: number): Hours => {
  if (!Number.isSafeInteger(centiHours))
    throw new RangeError(`hours must be an integer of 0.01 hour, got ${centiHours}`)
  return centiHours as Hours
}

/**
 * Zero hours.
 *
 * @category math
 * @since 0.1.0
 */
export const zero: Hours = 0 as Hours

/**
 * Adds amounts of hours exactly (integer addition). Throws a `RangeError` if the
 * total leaves the safe-integer range.
 *
 * @category math
 * @since 0.1.0
 */
export const sum = (...hs: ReadonlyArray<Hours>): Hours => sumAll(hs)

/**
 * Adds an iterable of hours exactly (integer addition); use it rather than
 * spreading a large array into {@link sum}. Throws a `RangeError` if a partial
 * total leaves the safe-integer range.
 *
 * @category math
 * @since 0.1.0
 */
export const sumAll = (hs: Iterable<Hours>): Hours => {
  let t = 0
  for (const h of hs) {
    t += h
    if (!Number.isSafeInteger(t)) throw new RangeError("sum of hours exceeds the safe-integer range")
  }
  return t as Hours
}

/** The JSON Schema of a wire amount: `multipleOf: 0.01` stands in for "at most two decimals". */
const wireAmountJsonSchema = (): readonly [Record<string, unknown>, true] => [
  { minimum: 0, exclusiveMaximum: 1e13, multipleOf: 0.01 },
  true
]

const WIRE_DESCRIPTION =
  "Credit hours (学时): a JSON number with at most two decimals, below 10^13. `multipleOf: 0.01` approximates the decimals rule: validators that divide in binary floating point need a tolerance (ajv: `multipleOfPrecision: 4`, exact below 10^9 hours), and the decoder checks the decimal text itself (1.25 is valid, 1.255 and 1.25e0 are not)."

/** A wire amount of hours decoded into {@link Hours}; `checks` run on the wire number. */
const hoursFromWire = (...checks: ReadonlyArray<SchemaAST.Check<number>>) =>
  Schema.Number.check(
    Schema.makeFilter(
      (n: number) => fromWire(n) !== undefined || "hours must be a non-negative number with at most two decimals",
      { toJsonSchema: wireAmountJsonSchema }
    ),
    ...checks,
    // never fails after the filter above; it keeps the JSON form a plain number (no "Infinity"/"NaN" strings)
    Schema.isFinite()
  )
    .annotate({ title: checks.length === 0 ? "Hours" : "PositiveHours", description: WIRE_DESCRIPTION })
    .pipe(
      Schema.decodeTo(Hours, {
        decode: SchemaGetter.transform((n: number): number => fromWire(n) ?? Number.NaN),
        encode: SchemaGetter.transform((h: number): number => toWire(h as Hours))
      })
    )

/**
 * The wire codec of a non-negative amount of hours: decodes a JSON number with at most
 * two decimals into {@link Hours} and encodes it back to the same number.
 *
 * @category values
 * @since 0.1.0
 */
export const HoursFromWire = hoursFromWire()

/**
 * The wire codec of a positive amount of hours ("expected hours > 0" for 0): like
 * {@link HoursFromWire}, with the bound on the wire number, where JSON Schema sees it.
 *
 * @category values
 * @since 0.1.0
 */
export const PositiveHoursFromWire = hoursFromWire(
  Schema.makeFilter((n: number) => n > 0 || "expected hours > 0", { toJsonSchema: () => ({ exclusiveMinimum: 0 }) })
)
