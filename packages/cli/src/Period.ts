/**
 * The `--year` and `--as-of` flags: the date checked, the year resolved (the year of `--as-of`,
 * else the ledger's latest year with a session).
 *
 * @since 0.1.0
 */
import { Calendar, Input, type Ledger } from "@xueshi/core"
import { Effect, Option, Result } from "effect"
import { type CliFailure, usage } from "./Failure.js"

/**
 * Parses `--as-of` (exit 2 for a date that is not YYYY-MM-DD) and checks it is not before
 * `--year`.
 *
 * @category codecs
 * @since 0.1.0
 */
export const parseAsOf = (
  asOf: Option.Option<string>,
  year: Option.Option<number>
): Effect.Effect<Calendar.LocalDate | undefined, CliFailure> => {
  if (Option.isNone(asOf)) return Effect.succeed(undefined)
  const d = Input.localDate(asOf.value, "--as-of")
  if (Result.isFailure(d))
    return Effect.fail(
      usage(`--as-of ${asOf.value}: ${d.failure.message}`, "write a date as YYYY-MM-DD, e.g. --as-of 2025-12-31")
    )
  if (Option.isSome(year) && Calendar.yearOfDate(d.success) < year.value)
    return Effect.fail(
      usage(`--as-of ${d.success} is before the year ${year.value}`, "give a date in or after the year")
    )
  return Effect.succeed(d.success)
}

/**
 * The latest year with a session, when neither `--year` nor `--as-of` says.
 *
 * @category utils
 * @since 0.1.0
 */
export const latestYear = (ledger: Ledger.Ledger): number | undefined => {
  let year: number | undefined
  for (const c of ledger.facts.classes.values())
    for (const s of c.sessions.values()) {
      const y = Calendar.yearOfDate(s.date)
      if (year === undefined || y > year) year = y
    }
  return year
}

/**
 * The year: `--year`, else the year of `--as-of`, else the ledger's latest year with a session.
 *
 * @category utils
 * @since 0.1.0
 */
export const resolveYear = (
  year: Option.Option<number>,
  asOf: Calendar.LocalDate | undefined,
  ledger: Ledger.Ledger
): number | undefined =>
  Option.isSome(year) ? year.value : asOf !== undefined ? Calendar.yearOfDate(asOf) : latestYear(ledger)
