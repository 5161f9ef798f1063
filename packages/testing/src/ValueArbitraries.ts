/**
 * fast-check arbitraries of the event model's single values: ids, vocabulary,
 * text, years, dates, instants, minutes and hours. `Arbitraries` builds the
 * payloads, events, commands and log records from them and re-exports them.
 *
 * @since 0.1.0
 */
import { Calendar, Events, type Hours, type Ids, type Vocabulary } from "@xueshi/core"
import fc from "fast-check"

// ---------------------------------------------------------------------------
// ids
// ---------------------------------------------------------------------------

const STREAM_ID_READABLE = fc
  .tuple(
    fc.constantFrom("XQ", "JMH", "ZFL", "M", "C", "S", "WY", "FX", "T"),
    fc.integer({ min: 0, max: 99_999 }),
    fc.constantFrom("", "-A", ".2025", ":x", "_1")
  )
  .map(([a, n, b]) => `${a}${n}${b}`)

/**
 * A stream id: matches `[A-Za-z0-9][A-Za-z0-9._:-]{0,63}`; mostly readable
 * (`XQ12-A`), sometimes any matching string.
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const streamId: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: STREAM_ID_READABLE },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/) }
)

/**
 * A school id.
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const schoolId: fc.Arbitrary<Ids.SchoolId> = streamId.map((s) => s as Ids.SchoolId)

/**
 * A member id.
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const memberId: fc.Arbitrary<Ids.MemberId> = streamId.map((s) => s as Ids.MemberId)

/**
 * A class id.
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const classId: fc.Arbitrary<Ids.ClassId> = streamId.map((s) => s as Ids.ClassId)

const freeId: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 9999 }).map((n) => `S${n}`) },
  { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 16 }) }
)

/**
 * A session id (a free non-empty string of at most 128 characters).
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const sessionId: fc.Arbitrary<Ids.SessionId> = freeId.map((s) => s as Ids.SessionId)

/**
 * A grant id (a free non-empty string of at most 128 characters).
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const grantId: fc.Arbitrary<Ids.GrantId> = freeId.map((s) => s as Ids.GrantId)

/**
 * An event id (a UUID).
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const eventId: fc.Arbitrary<Ids.EventId> = fc.uuid().map((s) => s as Ids.EventId)

// ---------------------------------------------------------------------------
// vocabulary, text, numbers, times
// ---------------------------------------------------------------------------

/**
 * The closed vocabularies, read from the payload schemas that use them (so they
 * are the values the schemas accept).
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const vocabulary = {
  schoolTiers: Events.SchoolRegistered.fields.tier.literals,
  classFormats: Events.ClassPlanned.fields.format.literals,
  courseCategories: Events.SessionScheduled.fields.category.literals,
  sessionModes: Events.SessionScheduled.fields.mode.literals,
  traineeCategories: Events.Categories.value.literals,
  exemptionReasons: Events.ExemptionGranted.fields.reason.literals
} as const

/**
 * A school tier.
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const schoolTier: fc.Arbitrary<Vocabulary.SchoolTier> = fc.constantFrom(...vocabulary.schoolTiers)
/**
 * A class format.
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const classFormat: fc.Arbitrary<Vocabulary.ClassFormat> = fc.constantFrom(...vocabulary.classFormats)
/**
 * A course category.
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const courseCategory: fc.Arbitrary<Vocabulary.CourseCategory> = fc.constantFrom(...vocabulary.courseCategories)
/**
 * A session mode.
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const sessionMode: fc.Arbitrary<Vocabulary.SessionMode> = fc.constantFrom(...vocabulary.sessionModes)
/**
 * A trainee category.
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const traineeCategory: fc.Arbitrary<Vocabulary.TraineeCategory> = fc.constantFrom(
  ...vocabulary.traineeCategories
)
/**
 * An exemption reason.
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const exemptionReason: fc.Arbitrary<Vocabulary.ExemptionReason> = fc.constantFrom(...vocabulary.exemptionReasons)

/**
 * A non-empty list of distinct trainee categories.
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const categories: fc.Arbitrary<readonly [Vocabulary.TraineeCategory, ...Array<Vocabulary.TraineeCategory>]> = fc
  .uniqueArray(traineeCategory, { minLength: 1, maxLength: 4 })
  .map((cs) => cs as unknown as readonly [Vocabulary.TraineeCategory, ...Array<Vocabulary.TraineeCategory>])

const TITLES = [
  "党的二十大精神",
  "湖畔讲堂夜校",
  "习近平新时代中国特色社会主义思想",
  "基层治理实务",
  "乡村振兴",
  "党务工作",
  "先进模范事迹报告",
  "Party history, part 1"
] as const

/**
 * A non-blank text (titles, reasons, names): Chinese titles or any string that
 * is not only white space.
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const text: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...TITLES) },
  { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 40 }).map((s) => (s.trim() === "" ? `x${s}` : s)) },
  {
    weight: 1,
    arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 20 }).map((s) => (s.trim() === "" ? `题${s}` : s))
  }
)

/**
 * A calendar year (1900–9999), mostly recent.
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const year: fc.Arbitrary<number> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 2019, max: 2030 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1900, max: 9999 }) }
)

const EPOCH_DAY_1900 = Calendar.epochDay(Calendar.makeLocalDate(1900, 1, 1))
const EPOCH_DAY_2200 = Calendar.epochDay(Calendar.makeLocalDate(2200, 12, 31))

/**
 * A business date `YYYY-MM-DD` (1900–2200).
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const localDate: fc.Arbitrary<Calendar.LocalDate> = fc
  .integer({ min: EPOCH_DAY_1900, max: EPOCH_DAY_2200 })
  .map(Calendar.fromEpochDay)

const MS_1950 = Date.UTC(1950, 0, 1)
const MS_2100 = Date.UTC(2100, 0, 1)

/**
 * An instant with an explicit offset, mostly `+08:00`, in the forms the contract
 * allows (`…T19:00+08:00`, `…T19:00:00+08:00`, `…T19:00:00.123Z`).
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const instant: fc.Arbitrary<Calendar.Instant> = fc
  .record({
    ms: fc.integer({ min: MS_1950, max: MS_2100 }),
    offset: fc.constantFrom(480, 480, 480, 0, -300, 330, 345, -600),
    form: fc.constantFrom("minutes", "seconds", "millis")
  })
  .map(({ ms, offset, form }) => {
    const full = Calendar.makeInstant(ms, offset) // YYYY-MM-DDTHH:MM:SS.mmm±HH:MM
    const zone = full.slice(23)
    const text = form === "millis" ? full : form === "seconds" ? full.slice(0, 19) + zone : full.slice(0, 16) + zone
    return text as Calendar.Instant
  })

/**
 * Session minutes: 1–1440, mostly lesson lengths (45, 90, 120 …).
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const sessionMinutes: fc.Arbitrary<number> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(15, 30, 45, 60, 90, 120, 180, 240) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 1440 }) }
)

/**
 * A positive amount of hours (integers of 0.01 hour), mostly quarter hours.
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const positiveHours: fc.Arbitrary<Hours.Hours> = fc
  .oneof(
    { weight: 3, arbitrary: fc.integer({ min: 1, max: 400 }).map((q) => q * 25) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 100_000_000 }) }
  )
  .map((n) => n as Hours.Hours)

/**
 * Session tags: free strings, mostly `newThought` and `partySpirit`.
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const tags: fc.Arbitrary<ReadonlyArray<string>> = fc.array(
  fc.oneof({ weight: 3, arbitrary: fc.constantFrom("newThought", "partySpirit") }, { weight: 1, arbitrary: text }),
  { maxLength: 3 }
)
