/**
 * The time-zone suite. `pnpm test` runs this file again under TZ=UTC,
 * TZ=Asia/Shanghai and TZ=America/New_York: every expectation below is computed
 * by explicit offset arithmetic on epoch milliseconds (Date's UTC getters only)
 * or written out literally, never by the process time zone, so the same
 * assertions must hold in each run.
 */
import { fc, test } from "@fast-check/vitest"
import { describe, expect, it } from "vitest"
import * as Calendar from "../src/Calendar.js"

const processTz = process.env.TZ ?? "(unset)"

// ---------------------------------------------------------------------------
// Oracles by offset arithmetic
// ---------------------------------------------------------------------------

const HOUR = 3_600_000
const p2 = (n: number): string => String(n).padStart(2, "0")
const utcDate = (ms: number): string => {
  const d = new Date(ms)
  return `${String(d.getUTCFullYear()).padStart(4, "0")}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}`
}
const offsetText = (minutes: number): string =>
  minutes === 0
    ? "Z"
    : `${minutes < 0 ? "-" : "+"}${p2(Math.floor(Math.abs(minutes) / 60))}:${p2(Math.abs(minutes) % 60)}`
/** An instant written at an offset, built by hand (not with makeInstant). */
const written = (ms: number, offsetMinutes: number): Calendar.Instant => {
  const local = new Date(ms + offsetMinutes * 60_000)
  const text = `${utcDate(local.getTime())}T${p2(local.getUTCHours())}:${p2(local.getUTCMinutes())}:${p2(local.getUTCSeconds())}.${String(local.getUTCMilliseconds()).padStart(3, "0")}${offsetText(offsetMinutes)}`
  const i = Calendar.parseInstant(text)
  if (i === undefined) throw new Error(`bad instant ${text}`)
  return i
}

/**
 * America/New_York under the US rules in force since 2007: UTC−4 from the second
 * Sunday of March at 02:00 EST (07:00Z) to the first Sunday of November at
 * 02:00 EDT (06:00Z), UTC−5 otherwise.
 */
const newYorkOffsetMinutes = (ms: number): number => {
  const y = new Date(ms).getUTCFullYear()
  const sundayOnOrAfter = (month: number, day: number): number => {
    const dow = new Date(Date.UTC(y, month, day)).getUTCDay()
    return day + ((7 - dow) % 7)
  }
  const start = Date.UTC(y, 2, sundayOnOrAfter(2, 8), 7)
  const end = Date.UTC(y, 10, sundayOnOrAfter(10, 1), 6)
  return ms >= start && ms < end ? -240 : -300
}

const FIXED_ZONES: ReadonlyArray<{ readonly zone: string; readonly offsetMinutes: number }> = [
  { zone: "UTC", offsetMinutes: 0 },
  { zone: "Etc/GMT-8", offsetMinutes: 480 }, // POSIX sign: Etc/GMT-8 is UTC+8
  { zone: "Etc/GMT+8", offsetMinutes: -480 },
  { zone: "Etc/GMT-14", offsetMinutes: 840 },
  { zone: "Etc/GMT+12", offsetMinutes: -720 },
  { zone: "Asia/Kolkata", offsetMinutes: 330 }, // no DST since 1945
  { zone: "Asia/Kathmandu", offsetMinutes: 345 } // no DST since 1986
]

const YEAR_1992 = Date.UTC(1992, 0, 1)
const YEAR_2008 = Date.UTC(2008, 0, 1)
const YEAR_2100 = Date.UTC(2100, 0, 1)
const anyOffset = fc.integer({ min: -12 * 60, max: 14 * 60 })
/** Instants biased to the hours around local midnights and New Year. */
const aroundMidnight = fc
  .tuple(
    fc.integer({ min: 1992, max: 2099 }),
    fc.integer({ min: 0, max: 11 }),
    fc.integer({ min: 1, max: 28 }),
    fc.integer({ min: -15 * 60, max: 15 * 60 })
  )
  .map(([y, m, d, minutes]) => Date.UTC(y, m, d) + minutes * 60_000)
const modern = fc.oneof(fc.integer({ min: YEAR_1992, max: YEAR_2100 }), aroundMidnight)

// ---------------------------------------------------------------------------

describe(`time-zone suite under process TZ=${processTz}`, () => {
  it(`reports the process time zone (TZ=${processTz})`, () => {
    const resolved = new Intl.DateTimeFormat().resolvedOptions().timeZone
    const localOffset = new Date(Date.UTC(2025, 0, 1)).getTimezoneOffset()
    console.log(
      `[Calendar.tz] process TZ=${processTz}, Intl default zone=${resolved}, local offset on 2025-01-01=${-localOffset} min`
    )
    if (process.env.TZ === "UTC") expect(localOffset).toBe(0)
    if (process.env.TZ === "Asia/Shanghai") expect(localOffset).toBe(-480)
    if (process.env.TZ === "America/New_York") expect(localOffset).toBe(300)
  })

  it("golden values do not depend on the process time zone", () => {
    const cases: ReadonlyArray<readonly [string, string, string]> = [
      ["2025-12-31T23:30:00+08:00", "Asia/Shanghai", "2025-12-31"],
      ["2025-12-31T23:30:00+08:00", "UTC", "2025-12-31"],
      ["2025-12-31T17:30:00-08:00", "Asia/Shanghai", "2026-01-01"],
      ["2025-12-31T17:30:00-08:00", "UTC", "2026-01-01"],
      ["2025-12-31T17:30:00-08:00", "America/New_York", "2025-12-31"],
      ["2025-12-31T16:00:00Z", "Asia/Shanghai", "2026-01-01"],
      ["2025-12-31T15:59:59.999Z", "Asia/Shanghai", "2025-12-31"],
      ["2026-01-01T04:59:59Z", "America/New_York", "2025-12-31"],
      ["2026-01-01T05:00:00Z", "America/New_York", "2026-01-01"],
      ["2025-03-09T04:30:00Z", "America/New_York", "2025-03-08"], // 23:30 EST
      ["2025-03-10T03:30:00Z", "America/New_York", "2025-03-09"], // 23:30 EDT
      ["2025-11-02T04:30:00Z", "America/New_York", "2025-11-02"], // 00:30 EDT
      ["2025-11-03T04:30:00Z", "America/New_York", "2025-11-02"], // 23:30 EST
      ["1991-06-30T15:30:00Z", "Asia/Shanghai", "1991-07-01"], // China DST, UTC+9
      ["1992-06-30T15:30:00Z", "Asia/Shanghai", "1992-06-30"],
      ["2024-02-29T20:00:00-05:00", "Asia/Shanghai", "2024-03-01"],
      ["2024-02-29T20:00:00-05:00", "Etc/GMT-8", "2024-03-01"],
      ["2024-02-29T20:00:00-05:00", "Etc/GMT+8", "2024-02-29"],
      ["2025-06-15T18:20:00Z", "Asia/Kathmandu", "2025-06-16"] // 00:05 at +05:45
    ]
    for (const [text, zone, expected] of cases) {
      const i = Calendar.parseInstant(text)
      if (i === undefined) throw new Error(`bad instant ${text}`)
      expect(`${text} in ${zone}: ${Calendar.localDateIn(i, zone)}`).toBe(`${text} in ${zone}: ${expected}`)
      expect(Calendar.yearIn(i, zone)).toBe(Number(expected.slice(0, 4)))
    }
    expect(Calendar.epochMillis(Calendar.parseInstant("2025-12-31T23:30:00+08:00") as Calendar.Instant)).toBe(
      1_767_195_000_000
    )
    expect(Calendar.makeInstant(1_767_195_000_000, 480)).toBe("2025-12-31T23:30:00.000+08:00")
  })

  test.prop([modern, fc.constantFrom(...FIXED_ZONES), anyOffset])(
    "fixed-offset zones: local date = UTC date of (epoch + offset)",
    (ms, { zone, offsetMinutes }, writtenAt) => {
      const i = written(ms, writtenAt)
      const expected = utcDate(ms + offsetMinutes * 60_000)
      expect(Calendar.localDateIn(i, zone)).toBe(expected)
      expect(Calendar.yearIn(i, zone)).toBe(Number(expected.slice(0, 4)))
    }
  )

  test.prop([modern, anyOffset])("Asia/Shanghai since 1992: local date = UTC date of (epoch + 8h)", (ms, writtenAt) => {
    const i = written(ms, writtenAt)
    const expected = utcDate(ms + 8 * HOUR)
    expect(Calendar.localDateIn(i, Calendar.DEFAULT_TIME_ZONE)).toBe(expected)
    expect(Calendar.yearIn(i, Calendar.DEFAULT_TIME_ZONE)).toBe(Number(expected.slice(0, 4)))
  })

  const newYorkTransitions = fc
    .tuple(fc.integer({ min: 2008, max: 2099 }), fc.boolean(), fc.integer({ min: -6 * 60, max: 6 * 60 }))
    .map(([y, spring, minutes]) => {
      // around the transition instants, where the two offsets disagree on the date
      const march1 = new Date(Date.UTC(y, 2, 1)).getUTCDay()
      const nov1 = new Date(Date.UTC(y, 10, 1)).getUTCDay()
      const at = spring ? Date.UTC(y, 2, 8 + ((7 - march1) % 7), 7) : Date.UTC(y, 10, 1 + ((7 - nov1) % 7), 6)
      return at + minutes * 60_000
    })

  test.prop([fc.oneof(fc.integer({ min: YEAR_2008, max: YEAR_2100 }), newYorkTransitions), anyOffset])(
    "America/New_York (DST, US rules since 2007): local date = UTC date of (epoch + EST/EDT offset)",
    (ms, writtenAt) => {
      const i = written(ms, writtenAt)
      const expected = utcDate(ms + newYorkOffsetMinutes(ms) * 60_000)
      expect(Calendar.localDateIn(i, "America/New_York")).toBe(expected)
      expect(Calendar.yearIn(i, "America/New_York")).toBe(Number(expected.slice(0, 4)))
    }
  )

  test.prop([modern, anyOffset])(
    "epochMillis and the written date do not depend on the process time zone",
    (ms, writtenAt) => {
      const i = written(ms, writtenAt)
      expect(Calendar.epochMillis(i)).toBe(ms)
      expect(Calendar.localDateOfInstantOffset(i)).toBe(utcDate(ms + writtenAt * 60_000))
      expect(Calendar.makeInstant(ms, writtenAt)).toBe(i)
    }
  )

  test.prop([
    fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2100, 0, 1) }),
    fc.integer({ min: -100_000, max: 100_000 })
  ])("date arithmetic does not depend on the process time zone", (ms, days) => {
    const d = Calendar.parseLocalDate(utcDate(ms))
    if (d === undefined) throw new Error("unreachable")
    expect(Calendar.addDays(d, days)).toBe(utcDate(ms + days * 86_400_000))
    expect(Calendar.epochDay(d)).toBe(Math.floor(ms / 86_400_000))
  })
})
