import { fc, test } from "@fast-check/vitest"
import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as Calendar from "../src/Calendar.js"

// ---------------------------------------------------------------------------
// Independent oracles: a month-length table and Date.UTC arithmetic (UTC only,
// so they do not depend on the process time zone either).
// ---------------------------------------------------------------------------

const leap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
const monthLength = (y: number, m: number): number => (m === 2 && leap(y) ? 29 : (MONTH_DAYS[m - 1] ?? 0))
const isRealDate = (y: number, m: number, d: number): boolean =>
  y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= monthLength(y, m)

const p2 = (n: number): string => String(n).padStart(2, "0")
const p4 = (n: number): string => String(n).padStart(4, "0")
const ymd = (y: number, m: number, d: number): string => `${p4(y)}-${p2(m)}-${p2(d)}`

/** Epoch milliseconds of a UTC date-time; years 0–99 handled without Date.UTC's 1900 quirk. */
const utcMillis = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number => {
  const date = new Date(0)
  date.setUTCFullYear(y, mo - 1, d)
  date.setUTCHours(h, mi, s, ms)
  return date.getTime()
}
/** The UTC calendar date of epoch milliseconds, via Date's UTC getters. */
const utcDate = (ms: number): string => {
  const date = new Date(ms)
  return ymd(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate())
}

const date = (s: string): Calendar.LocalDate => {
  const d = Calendar.parseLocalDate(s)
  if (d === undefined) throw new Error(`bad test date ${s}`)
  return d
}
const instant = (s: string): Calendar.Instant => {
  const i = Calendar.parseInstant(s)
  if (i === undefined) throw new Error(`bad test instant ${s}`)
  return i
}

const realDate = fc
  .record({
    y: fc.integer({ min: 1, max: 9999 }),
    m: fc.integer({ min: 1, max: 12 }),
    d: fc.integer({ min: 1, max: 31 })
  })
  .map(({ y, m, d }) => ({ y, m, d: Math.min(d, monthLength(y, m)) }))
const localDate = realDate.map(({ y, m, d }) => date(ymd(y, m, d)))
const modernDate = fc
  .record({
    y: fc.integer({ min: 1900, max: 2100 }),
    m: fc.integer({ min: 1, max: 12 }),
    d: fc.integer({ min: 1, max: 31 })
  })
  .map(({ y, m, d }) => date(ymd(y, m, Math.min(d, monthLength(y, m)))))

// ---------------------------------------------------------------------------

describe("LocalDate", () => {
  const decode = Schema.decodeUnknownSync(Calendar.LocalDateSchema)
  const accepts = (s: string): boolean => Schema.is(Calendar.LocalDateSchema)(s)

  it("worked examples", () => {
    expect(decode("2024-02-29")).toBe("2024-02-29")
    expect(decode("2000-02-29")).toBe("2000-02-29")
    expect(decode("0001-01-01")).toBe("0001-01-01")
    expect(decode("9999-12-31")).toBe("9999-12-31")
    for (const bad of [
      "2025-02-29",
      "1900-02-29",
      "2100-02-29",
      "2025-04-31",
      "2025-13-01",
      "2025-00-10",
      "2025-01-00",
      "0000-01-01",
      "2025-1-01",
      "2025-01-1",
      "20250101",
      "+2025-01-01",
      " 2025-01-01",
      "2025-01-01 ",
      "2025-01-01T00:00:00Z",
      "２０２５-01-01"
    ]) {
      expect(accepts(bad)).toBe(false)
      expect(Calendar.parseLocalDate(bad)).toBeUndefined()
      expect(Calendar.isLocalDate(bad)).toBe(false)
    }
    expect(() => decode(20250101)).toThrow()
    expect(Calendar.isLocalDate(null)).toBe(false)
  })

  it("accepts exactly the real dates of 1896–2104 (exhaustive against the month-length table)", () => {
    for (let y = 1896; y <= 2104; y++) {
      for (let m = 0; m <= 13; m++) {
        for (let d = 0; d <= 32; d++) {
          const text = ymd(y, m, d)
          const ok = isRealDate(y, m, d)
          if (accepts(text) !== ok) throw new Error(`${text}: expected ${ok}`)
        }
      }
    }
  })

  test.prop([fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 })])(
    "accepts YYYY-MM-DD exactly when the month-length table has that day",
    (y, m, d) => {
      const text = ymd(y, m, d)
      expect(accepts(text)).toBe(isRealDate(y, m, d))
      if (isRealDate(y, m, d)) {
        // and Date's UTC calendar agrees that the day exists
        expect(utcDate(utcMillis(y, m, d))).toBe(text)
      }
    }
  )

  it("makeLocalDate and the field accessors", () => {
    expect(Calendar.makeLocalDate(2025, 3, 4)).toBe("2025-03-04")
    expect(Calendar.makeLocalDate(7, 1, 1)).toBe("0007-01-01")
    expect(() => Calendar.makeLocalDate(2025, 2, 29)).toThrow(RangeError)
    expect(() => Calendar.makeLocalDate(2025, 1.5, 1)).toThrow(RangeError)
    const d = date("2025-12-31")
    expect([Calendar.yearOfDate(d), Calendar.monthOfDate(d), Calendar.dayOfDate(d)]).toStrictEqual([2025, 12, 31])
    expect(Calendar.isLeapYear(2024)).toBe(true)
    expect(Calendar.isLeapYear(1900)).toBe(false)
    expect(Calendar.daysInMonth(2024, 2)).toBe(29)
  })
})

describe("date arithmetic", () => {
  it("epochDay and fromEpochDay agree with a day-by-day walk over 1900–2100", () => {
    let day = Calendar.epochDay(date("1900-01-01"))
    expect(day).toBe(utcMillis(1900, 1, 1) / 86_400_000)
    for (let y = 1900; y <= 2100; y++) {
      for (let m = 1; m <= 12; m++) {
        for (let d = 1; d <= monthLength(y, m); d++) {
          const text = ymd(y, m, d)
          if (Calendar.epochDay(date(text)) !== day || Calendar.fromEpochDay(day) !== text) {
            throw new Error(`${text} is not day ${day}`)
          }
          day++
        }
      }
    }
  })

  it("worked examples", () => {
    expect(Calendar.addDays(date("2024-02-28"), 1)).toBe("2024-02-29")
    expect(Calendar.addDays(date("2025-02-28"), 1)).toBe("2025-03-01")
    expect(Calendar.addDays(date("2025-12-31"), 1)).toBe("2026-01-01")
    expect(Calendar.addDays(date("2025-01-01"), -1)).toBe("2024-12-31")
    expect(Calendar.daysBetween(date("2024-12-31"), date("2025-01-01"))).toBe(1)
    expect(Calendar.daysBetween(date("2025-01-01"), date("2024-01-01"))).toBe(-366)
    expect(Calendar.epochDay(date("1970-01-01"))).toBe(0)
    expect(Calendar.addYears(date("2024-02-29"), 1)).toBe("2025-02-28")
    expect(Calendar.addYears(date("2024-02-29"), 4)).toBe("2028-02-29")
    expect(Calendar.addYears(date("2025-06-30"), -5)).toBe("2020-06-30")
    expect(Calendar.startOfYear(2025)).toBe("2025-01-01")
    expect(Calendar.endOfYear(2025)).toBe("2025-12-31")
    expect(() => Calendar.addDays(date("9999-12-31"), 1)).toThrow(RangeError)
    expect(() => Calendar.addDays(date("0001-01-01"), -1)).toThrow(RangeError)
    expect(() => Calendar.addDays(date("2025-01-01"), 0.5)).toThrow(RangeError)
    expect(() => Calendar.addYears(date("9999-01-01"), 1)).toThrow(RangeError)
    expect(() => Calendar.startOfYear(0)).toThrow(RangeError)
    expect(() => Calendar.endOfYear(10_000)).toThrow(RangeError)
  })

  test.prop([modernDate, fc.integer({ min: -500_000, max: 500_000 })])(
    "addDays agrees with UTC millisecond arithmetic and daysBetween inverts it",
    (d, n) => {
      const expected = utcDate(
        utcMillis(Calendar.yearOfDate(d), Calendar.monthOfDate(d), Calendar.dayOfDate(d)) + n * 86_400_000
      )
      const moved = Calendar.addDays(d, n)
      expect(moved).toBe(expected)
      expect(Calendar.daysBetween(d, moved)).toBe(n)
    }
  )

  test.prop([localDate, localDate])("addDays(a, daysBetween(a, b)) === b, and the order agrees", (a, b) => {
    const n = Calendar.daysBetween(a, b)
    expect(Calendar.addDays(a, n)).toBe(b)
    expect(Calendar.daysBetween(b, a) + n).toBe(0)
    expect(Calendar.compareDates(a, b)).toBe(-Math.sign(n) || 0)
    expect(Calendar.LocalDateOrder(a, b)).toBe(-Math.sign(n) || 0)
  })

  test.prop([localDate, fc.integer({ min: -100, max: 100 })])(
    "addYears keeps the month and clamps only February 29",
    (d, k) => {
      const y = Calendar.yearOfDate(d) + k
      fc.pre(y >= 1 && y <= 9999)
      const r = Calendar.addYears(d, k)
      expect(Calendar.yearOfDate(r)).toBe(y)
      expect(Calendar.monthOfDate(r)).toBe(Calendar.monthOfDate(d))
      const clamped = Calendar.monthOfDate(d) === 2 && Calendar.dayOfDate(d) === 29 && !leap(y)
      expect(Calendar.dayOfDate(r)).toBe(clamped ? 28 : Calendar.dayOfDate(d))
    }
  )

  test.prop([fc.integer({ min: 1, max: 9999 })])("a year runs from startOfYear to endOfYear", (y) => {
    expect(Calendar.daysBetween(Calendar.startOfYear(y), Calendar.endOfYear(y))).toBe(leap(y) ? 365 : 364)
    if (y < 9999) expect(Calendar.addDays(Calendar.endOfYear(y), 1)).toBe(Calendar.startOfYear(y + 1))
  })
})

// ---------------------------------------------------------------------------

describe("Instant", () => {
  const accepts = (s: string): boolean => Schema.is(Calendar.InstantSchema)(s)

  it("accepts ISO 8601 date-times with an explicit offset", () => {
    for (const ok of [
      "2025-03-04T19:00:00+08:00",
      "2025-03-04T19:00+08:00",
      "2025-03-04T19:00:00Z",
      "2025-03-04T19:00:00.5Z",
      "2025-03-04T19:00:00.123-05:00",
      "2025-03-04T19:00:00.123456789+05:45",
      "2024-02-29T23:59:59+14:00",
      "2025-03-04T00:00:00+00:00"
    ]) {
      expect(accepts(ok)).toBe(true)
      expect(Calendar.isInstant(ok)).toBe(true)
    }
  })

  it("rejects missing offsets, -00:00 and impossible dates or times", () => {
    for (const bad of [
      "2025-03-04T19:00:00", // no offset
      "2025-03-04",
      "2025-03-04T19:00:00-00:00", // RFC 3339: offset unknown
      "2025-03-04T19:00:00z",
      "2025-03-04t19:00:00Z",
      "2025-03-04 19:00:00+08:00",
      "2025-03-04T19:00:00+0800",
      "2025-03-04T19:00:00+08",
      "2025-03-04T19:00:00+08:60",
      "2025-03-04T24:00:00Z",
      "2025-03-04T23:60:00Z",
      "2025-03-04T23:59:60Z",
      "2025-02-29T10:00:00Z",
      "2025-03-04T19:00:00.Z",
      "2025-03-04T19:00:00.1234567890Z",
      "2025-03-04T19Z",
      "0000-01-01T00:00:00Z"
    ]) {
      expect(accepts(bad)).toBe(false)
      expect(Calendar.parseInstant(bad)).toBeUndefined()
    }
    expect(() => Schema.decodeUnknownSync(Calendar.InstantSchema)(1_700_000_000_000)).toThrow()
  })

  it("epochMillis worked examples", () => {
    expect(Calendar.epochMillis(instant("1970-01-01T00:00:00Z"))).toBe(0)
    expect(Calendar.epochMillis(instant("1970-01-01T08:00+08:00"))).toBe(0)
    expect(Calendar.epochMillis(instant("2025-12-31T23:30:00+08:00"))).toBe(Date.UTC(2025, 11, 31, 15, 30))
    expect(Calendar.epochMillis(instant("2025-12-31T17:30:00-08:00"))).toBe(Date.UTC(2026, 0, 1, 1, 30))
    expect(Calendar.epochMillis(instant("2025-01-01T00:00:00.987654321Z"))).toBe(Date.UTC(2025, 0, 1) + 987)
    expect(Calendar.epochMillis(instant("2025-01-01T00:00:00.5Z"))).toBe(Date.UTC(2025, 0, 1) + 500)
    expect(() => Calendar.epochMillis("yesterday" as Calendar.Instant)).toThrow(RangeError)
  })

  const fields = fc.record({
    y: fc.integer({ min: 1, max: 9999 }),
    mo: fc.integer({ min: 1, max: 12 }),
    d: fc.integer({ min: 1, max: 31 }),
    h: fc.integer({ min: 0, max: 23 }),
    mi: fc.integer({ min: 0, max: 59 }),
    s: fc.integer({ min: 0, max: 59 }),
    ms: fc.integer({ min: 0, max: 999 }),
    off: fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 })
  })
  const offsetText = (off: number): string =>
    off === 0 ? "Z" : `${off < 0 ? "-" : "+"}${p2(Math.floor(Math.abs(off) / 60))}:${p2(Math.abs(off) % 60)}`

  test.prop([fields])("epochMillis equals UTC field arithmetic minus the offset", (f) => {
    const d = Math.min(f.d, monthLength(f.y, f.mo))
    const text = `${ymd(f.y, f.mo, d)}T${p2(f.h)}:${p2(f.mi)}:${p2(f.s)}.${String(f.ms).padStart(3, "0")}${offsetText(f.off)}`
    const expected = utcMillis(f.y, f.mo, d, f.h, f.mi, f.s, f.ms) - f.off * 60_000
    expect(Calendar.epochMillis(instant(text))).toBe(expected)
    if (f.y >= 1000) expect(Date.parse(text)).toBe(expected)
    expect(Calendar.localDateOfInstantOffset(instant(text))).toBe(ymd(f.y, f.mo, d))
  })

  test.prop([
    fc.integer({ min: utcMillis(1, 1, 2), max: utcMillis(9999, 12, 30) }),
    fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 })
  ])("makeInstant writes the same instant at the given offset", (ms, off) => {
    const i = Calendar.makeInstant(ms, off)
    expect(Calendar.isInstant(i)).toBe(true)
    expect(Calendar.epochMillis(i)).toBe(ms)
    expect(i.endsWith(offsetText(off))).toBe(true)
    expect(Calendar.localDateOfInstantOffset(i)).toBe(utcDate(ms + off * 60_000))
  })

  it("makeInstant worked examples and errors", () => {
    expect(Calendar.makeInstant(0)).toBe("1970-01-01T00:00:00.000Z")
    expect(Calendar.makeInstant(0, 480)).toBe("1970-01-01T08:00:00.000+08:00")
    expect(Calendar.makeInstant(Date.UTC(2026, 0, 1, 1, 30), -480)).toBe("2025-12-31T17:30:00.000-08:00")
    expect(() => Calendar.makeInstant(0.5)).toThrow(RangeError)
    expect(() => Calendar.makeInstant(0, 24 * 60)).toThrow(RangeError)
  })

  test.prop([
    fc.integer({ min: 0, max: 4e12 }),
    fc.integer({ min: 0, max: 4e12 }),
    fc.integer({ min: -720, max: 840 }),
    fc.integer({ min: -720, max: 840 })
  ])("compareInstants orders by time, not by text", (a, b, oa, ob) => {
    const ia = Calendar.makeInstant(a, oa)
    const ib = Calendar.makeInstant(b, ob)
    expect(Calendar.compareInstants(ia, ib)).toBe(Math.sign(a - b) || 0)
    expect(Calendar.InstantOrder(ia, ib)).toBe(Math.sign(a - b) || 0)
  })
})

// ---------------------------------------------------------------------------

describe("year attribution in a time zone", () => {
  it("the brief's examples", () => {
    const lateShanghai = instant("2025-12-31T23:30:00+08:00")
    expect(Calendar.yearIn(lateShanghai, "Asia/Shanghai")).toBe(2025)
    expect(Calendar.yearIn(lateShanghai, "UTC")).toBe(2025) // 15:30Z
    expect(Calendar.localDateIn(lateShanghai, "UTC")).toBe("2025-12-31")
    const lateCalifornia = instant("2025-12-31T17:30:00-08:00")
    expect(Calendar.localDateOfInstantOffset(lateCalifornia)).toBe("2025-12-31")
    expect(Calendar.localDateIn(lateCalifornia, "Asia/Shanghai")).toBe("2026-01-01")
    expect(Calendar.yearIn(lateCalifornia, "Asia/Shanghai")).toBe(2026)
    expect(Calendar.yearIn(lateCalifornia, "America/Los_Angeles")).toBe(2025)
    expect(Calendar.yearIn(lateCalifornia, Calendar.DEFAULT_TIME_ZONE)).toBe(2026)
    expect(Calendar.DEFAULT_TIME_ZONE).toBe("Asia/Shanghai")
  })

  it("Etc/GMT-8 is UTC+8 (POSIX signs are reversed)", () => {
    const i = instant("2025-12-31T16:30:00Z")
    expect(Calendar.localDateIn(i, "Etc/GMT-8")).toBe("2026-01-01")
    expect(Calendar.localDateIn(i, "Etc/GMT+8")).toBe("2025-12-31")
  })

  it("daylight saving time: America/New_York and Asia/Shanghai before 1992", () => {
    // 2025-11-02T04:30Z is 00:30 EDT (UTC-4); at UTC-5 it would still be Nov 1
    expect(Calendar.localDateIn(instant("2025-11-02T04:30:00Z"), "America/New_York")).toBe("2025-11-02")
    // after the fall-back at 06:00Z the zone is UTC-5: 2025-11-03T04:30Z is Nov 2, 23:30 EST
    expect(Calendar.localDateIn(instant("2025-11-03T04:30:00Z"), "America/New_York")).toBe("2025-11-02")
    // 2025-07-01T04:30Z is 00:30 EDT on July 1
    expect(Calendar.localDateIn(instant("2025-07-01T04:30:00Z"), "America/New_York")).toBe("2025-07-01")
    // New Year in New York is in winter time: 2026-01-01T04:30Z is Dec 31, 23:30 EST
    expect(Calendar.yearIn(instant("2026-01-01T04:30:00Z"), "America/New_York")).toBe(2025)
    expect(Calendar.yearIn(instant("2026-01-01T05:00:00Z"), "America/New_York")).toBe(2026)
    // China observed DST (UTC+9) in summer 1986–1991: 1991-06-30T15:30Z was 00:30 on July 1
    expect(Calendar.localDateIn(instant("1991-06-30T15:30:00Z"), "Asia/Shanghai")).toBe("1991-07-01")
    // ... and no longer in 1992
    expect(Calendar.localDateIn(instant("1992-06-30T15:30:00Z"), "Asia/Shanghai")).toBe("1992-06-30")
  })

  const ETC_ZONES = Array.from({ length: 27 }, (_, i) => i - 12).map((h) => ({
    // Etc/GMT-h is UTC+h
    zone: h === 0 ? "Etc/GMT" : `Etc/GMT${h > 0 ? "-" : "+"}${Math.abs(h)}`,
    offsetMinutes: h * 60
  }))
  const writtenOffset = fc.integer({ min: -12 * 60, max: 14 * 60 })

  test.prop([
    fc.integer({ min: utcMillis(1000, 1, 2), max: utcMillis(9999, 12, 30) }),
    fc.constantFrom(...ETC_ZONES),
    writtenOffset
  ])("fixed-offset zones: localDateIn/yearIn equal offset arithmetic", (ms, { zone, offsetMinutes }, written) => {
    const i = Calendar.makeInstant(ms, written)
    const expected = utcDate(ms + offsetMinutes * 60_000)
    expect(Calendar.localDateIn(i, zone)).toBe(expected)
    expect(Calendar.yearIn(i, zone)).toBe(Number(expected.slice(0, 4)))
  })

  test.prop([fc.integer({ min: utcMillis(1992, 1, 1), max: utcMillis(2200, 1, 1) }), writtenOffset])(
    "Asia/Shanghai after 1992 is UTC+08:00",
    (ms, written) => {
      const i = Calendar.makeInstant(ms, written)
      const expected = utcDate(ms + 480 * 60_000)
      expect(Calendar.localDateIn(i, "Asia/Shanghai")).toBe(expected)
      expect(Calendar.yearIn(i, "Asia/Shanghai")).toBe(Number(expected.slice(0, 4)))
    }
  )

  test.prop([fc.integer({ min: 1992, max: 2200 }), fc.integer({ min: -60, max: 60 })])(
    "around each New Year, Asia/Shanghai switches year at 16:00Z on Dec 31",
    (y, minutes) => {
      const ms = utcMillis(y - 1, 12, 31, 16) + minutes * 60_000
      expect(Calendar.yearIn(Calendar.makeInstant(ms), "Asia/Shanghai")).toBe(minutes < 0 ? y - 1 : y)
    }
  )

  it("time zones", () => {
    for (const tz of ["Asia/Shanghai", "America/New_York", "UTC", "Etc/GMT-8", "Asia/Kathmandu", "asia/shanghai"]) {
      expect(Calendar.isValidTimeZone(tz)).toBe(true)
    }
    for (const tz of ["", "Mars/Olympus_Mons", "+08:00", "GMT+8:00", "Asia/Shanghai "]) {
      expect(Calendar.isValidTimeZone(tz)).toBe(false)
    }
    expect(() => Calendar.localDateIn(instant("2025-01-01T00:00:00Z"), "Mars/Olympus_Mons")).toThrow(RangeError)
    expect(Schema.is(Calendar.TimeZoneSchema)("America/New_York")).toBe(true)
    expect(Schema.is(Calendar.TimeZoneSchema)("Nowhere")).toBe(false)
  })

  it("local dates outside years 0001–9999 are an error, not a wrong date", () => {
    expect(Calendar.localDateIn(instant("0001-01-01T00:30:00+01:00"), "Etc/GMT-2")).toBe("0001-01-01")
    expect(() => Calendar.localDateIn(instant("0001-01-01T00:30:00+01:00"), "UTC")).toThrow(RangeError)
    expect(() => Calendar.localDateIn(instant("9999-12-31T23:30:00-01:00"), "UTC")).toThrow(RangeError)
  })
})
