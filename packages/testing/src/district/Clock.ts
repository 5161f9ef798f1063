/**
 * The district's clock (China Standard Time, +08:00, no daylight saving): the
 * instants, wall-clock times and dates every district shape writes.
 *
 * @since 0.1.0
 */

/**
 * One hour in milliseconds.
 *
 * @category constants
 * @since 0.1.0
 */
export const HOUR = 3_600_000
/**
 * One day in milliseconds.
 *
 * @category constants
 * @since 0.1.0
 */
export const DAY = 24 * HOUR
/**
 * The offset of China Standard Time from UTC, in milliseconds.
 *
 * @category constants
 * @since 0.1.0
 */
export const OFFSET = 8 * HOUR

/**
 * `YYYY-MM-DDTHH:MM:SS+08:00` of epoch milliseconds (no milliseconds written).
 *
 * @category utils
 * @since 0.1.0
 */
export const instantOf = (ms: number): string => `${new Date(ms + OFFSET).toISOString().slice(0, 19)}+08:00`

/**
 * Epoch milliseconds of a wall-clock time at +08:00.
 *
 * @category utils
 * @since 0.1.0
 */
export const wallClock = (year: number, month: number, day: number, hour = 0, minute = 0): number =>
  Date.UTC(year, month - 1, day, hour, minute) - OFFSET

/**
 * The local date (`YYYY-MM-DD` at +08:00) of epoch milliseconds.
 *
 * @category utils
 * @since 0.1.0
 */
export const dateOf = (ms: number): string => instantOf(ms).slice(0, 10)

/**
 * The instant of the last lesson a year can hold: 23:30 on 31 December, the
 * edge of the year every shape reaches.
 *
 * @category utils
 * @since 0.1.0
 */
export const newYearsEve = (year: number): number => wallClock(year, 12, 31, 23, 30)
