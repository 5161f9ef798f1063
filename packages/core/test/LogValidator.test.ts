/**
 * The log validator: options, line handling, references between streams and
 * the three ways to feed it (lines, an async iterable, an Effect Stream).
 */
import { Effect, Stream } from "effect"
import { describe, expect, it } from "vitest"
import {
  describeLogError,
  type ValidationReport,
  validateAsyncLines,
  validateLines,
  validateStream,
  validateText
} from "../src/LogValidator.js"

/** The tiny example of event-log-v1. */
const EXAMPLE = [
  '{"stream":"school-XQ","type":"SchoolRegistered","data":{"schoolId":"XQ","name":"西青区委党校","tier":"district"}}',
  '{"stream":"school-XQ-JMH","type":"SchoolRegistered","data":{"schoolId":"XQ-JMH","name":"津门湖街道党校","tier":"subdistrict","parentId":"XQ"}}',
  '{"stream":"member-M1","type":"MemberRegistered","data":{"memberId":"M1","schoolId":"XQ-JMH","categories":["ordinaryMember"]}}',
  '{"stream":"class-C1","type":"ClassPlanned","data":{"classId":"C1","schoolId":"XQ-JMH","title":"湖畔讲堂夜校","format":"concentrated","module":"grassrootsGovernance"}}',
  '{"stream":"class-C1","type":"SessionScheduled","data":{"classId":"C1","sessionId":"S1","title":"党的二十大精神","category":"theory","startsAt":"2025-03-04T19:00:00+08:00","minutes":90,"mode":"inPerson","tags":["newThought"]}}',
  '{"stream":"class-C1","type":"MemberEnrolled","data":{"classId":"C1","memberId":"M1","at":"2025-03-01T10:00:00+08:00"}}',
  '{"stream":"class-C1","type":"AttendanceRecorded","data":{"classId":"C1","sessionId":"S1","memberId":"M1","minutes":90}}'
]
const [SCHOOL, SUBSCHOOL, MEMBER, CLASS, SESSION, ENROL, ATTEND] = EXAMPLE as [
  string,
  string,
  string,
  string,
  string,
  string,
  string
]

const tooLong = ATTEND.replace('"minutes":90', '"minutes":95')
const withId = (l: string, id: string) => l.replace(/}$/, `,"id":"${id}"}`)
const ID = "0b7c9f8e-8d1e-4f7a-9a51-3c2b1e4d5f60"

const errorsOf = (r: ValidationReport) => r.errors.map((e) => [e.line, e.rule])

describe("validateLines", () => {
  it("accepts the contract's example", () => {
    const r = validateLines(EXAMPLE)
    expect(r).toMatchObject({ ok: true, lines: 7, accepted: 7, errors: [] })
    expect(r.records.map((x) => x.version)).toEqual([1, 1, 1, 1, 2, 3, 4])
  })

  it("stops at the first error, naming line, path and rule, and keeps no records", () => {
    const r = validateLines([...EXAMPLE.slice(0, 6), tooLong, "garbage"])
    expect(r.ok).toBe(false)
    expect(r.records).toEqual([])
    expect(r.lines).toBe(7)
    expect(r.errors.map(describeLogError)).toEqual([
      "line 7: data.minutes: [attendance.exceedsSession] 95 minutes exceed the 90 of session S1"
    ])
    expect(r.errors[0]?.stream).toBe("class-C1")
  })

  it("collectAll reports every error and keeps the accepted records", () => {
    const r = validateLines([...EXAMPLE.slice(0, 6), tooLong, "garbage", ATTEND, ATTEND], { collectAll: true })
    expect(errorsOf(r)).toEqual([
      [7, "attendance.exceedsSession"],
      [8, "line.json"],
      [10, "attendance.duplicate"]
    ])
    expect(r.accepted).toBe(7)
    expect(r.records).toHaveLength(7)
  })

  it("maxErrors stops collecting", () => {
    const r = validateLines(["a", "b", "c", "d"], { collectAll: true, maxErrors: 2 })
    expect(errorsOf(r)).toEqual([
      [1, "line.json"],
      [2, "line.json"]
    ])
    expect(r.lines).toBe(2)
  })

  it("keepRecords: false keeps none, onRecord sees each", () => {
    const seen: Array<string> = []
    const r = validateLines(EXAMPLE, { keepRecords: false, onRecord: (x) => seen.push(x.type) })
    expect(r.records).toEqual([])
    expect(r.accepted).toBe(7)
    expect(seen).toHaveLength(7)
  })

  it("checks references between streams by default, not with references: false", () => {
    const alone = [CLASS, SESSION, ENROL, ATTEND]
    expect(errorsOf(validateLines(alone))).toEqual([[1, "class.unknownSchool"]])
    expect(validateLines(alone, { references: false })).toMatchObject({ ok: true, accepted: 4 })
    // in-stream rules still hold without references
    expect(errorsOf(validateLines([CLASS, SESSION, ENROL, tooLong], { references: false }))).toEqual([
      [4, "attendance.exceedsSession"]
    ])
  })

  it.each([
    ["a parent school registered later", [SUBSCHOOL, SCHOOL], [1, "school.unknownParent"]],
    [
      "a parent of a lower tier",
      [
        SCHOOL,
        SUBSCHOOL,
        SUBSCHOOL.replace(/XQ-JMH/g, "XQ-X")
          .replace('"subdistrict"', '"district"')
          .replace('"parentId":"XQ"', '"parentId":"XQ-JMH"')
      ],
      [3, "school.parentTier"]
    ],
    ["a member of an unknown school", [SCHOOL, MEMBER], [2, "member.unknownSchool"]],
    ["a class of an unknown school", [SCHOOL, CLASS], [2, "class.unknownSchool"]],
    ["an enrolment of an unknown member", [SCHOOL, SUBSCHOOL, CLASS, ENROL], [4, "enrollment.unknownMember"]],
    [
      "credit for an unknown member",
      [
        '{"stream":"credit-M9","type":"CreditGranted","data":{"memberId":"M9","grantId":"g","year":2025,"hours":2,"source":{"kind":"external","system":"x","reference":"y"},"policyId":"p","at":"2025-03-04T21:00:00+08:00"}}'
      ],
      [1, "credit.unknownMember"]
    ],
    [
      "credit for an unknown session",
      [
        SCHOOL,
        SUBSCHOOL,
        MEMBER,
        CLASS,
        '{"stream":"credit-M1","type":"CreditGranted","data":{"memberId":"M1","grantId":"g","year":2025,"hours":2,"source":{"kind":"session","classId":"C1","sessionId":"S9"},"policyId":"p","at":"2025-03-04T21:00:00+08:00"}}'
      ],
      [5, "credit.unknownSession"]
    ],
    [
      "an enrolment outside the audience",
      [SCHOOL, SUBSCHOOL, MEMBER, CLASS.replace('"module"', '"audience":["grassrootsSecretary"],"module"')].concat(
        ENROL
      ),
      [5, "enrollment.audience"]
    ]
  ])("rejects %s", (_name, lines, expected) => {
    expect(errorsOf(validateLines(lines as Array<string>))[0]).toEqual(expected)
  })

  it("checks explicit versions and positions", () => {
    const v = (l: string, extra: string) => l.replace(/}$/, `,${extra}}`)
    expect(validateLines([v(SCHOOL, '"version":1,"position":3'), v(SUBSCHOOL, '"version":1,"position":9')]).ok).toBe(
      true
    )
    expect(errorsOf(validateLines([SCHOOL, v(SUBSCHOOL, '"version":2')]))).toEqual([[2, "stream.version"]])
    expect(errorsOf(validateLines([v(SCHOOL, '"position":3'), v(SUBSCHOOL, '"position":3')]))).toEqual([
      [2, "log.position"]
    ])
    // positions need not be on every line, nor be dense
    expect(validateLines([v(SCHOOL, '"position":3'), SUBSCHOOL, v(MEMBER, '"position":100')]).ok).toBe(true)
  })

  it("rejects a byte order mark", () => {
    const r = validateLines([`\uFEFF${SCHOOL}`, SUBSCHOOL])
    expect(errorsOf(r)).toEqual([[1, "line.json"]])
    expect(validateText(`\uFEFF${EXAMPLE.join("\n")}\n`).errors[0]?.rule).toBe("line.json")
  })

  it("tolerates CRLF line ends and ignores blank lines (they still count as lines)", () => {
    const text = `${SCHOOL}\r\n\r\n   \n${SUBSCHOOL}\r\n\n${EXAMPLE.slice(2).join("\r\n")}\r\n`
    const r = validateText(text)
    expect(r).toMatchObject({ ok: true, accepted: 7 })
    expect(errorsOf(validateText(`${SCHOOL}\n\n${tooLong}\n`))).toEqual([[3, "class.notPlanned"]])
  })

  it("a repeated event id with the same event is a no-op; with another event it is event.idReused", () => {
    const once = validateLines([withId(SCHOOL, ID), withId(SCHOOL, ID), SUBSCHOOL])
    expect(once).toMatchObject({ ok: true, accepted: 2 })
    // the same event with its keys in another order is the same event
    const reordered =
      '{"data":{"tier":"district","name":"西青区委党校","schoolId":"XQ"},"type":"SchoolRegistered","stream":"school-XQ"}'
    expect(validateLines([withId(SCHOOL, ID), withId(reordered, ID)]).accepted).toBe(1)
    expect(errorsOf(validateLines([withId(SCHOOL, ID), withId(SUBSCHOOL, ID)]))).toEqual([[2, "event.idReused"]])
    // UUIDs compare case-insensitively: the same id in upper case is the same id
    expect(errorsOf(validateLines([withId(SCHOOL, ID), withId(SUBSCHOOL, ID.toUpperCase())]))).toEqual([
      [2, "event.idReused"]
    ])
    expect(validateLines([withId(SCHOOL, ID), withId(SCHOOL, ID.toUpperCase())]).accepted).toBe(1)
  })
})

describe("other inputs", () => {
  it("validateAsyncLines reads an async iterable", async () => {
    async function* lines() {
      for (const l of EXAMPLE) yield l
    }
    expect(await validateAsyncLines(lines())).toMatchObject({ ok: true, accepted: 7 })
    async function* bad() {
      yield* lines()
      yield tooLong
      throw new Error("must not be read after the first error")
    }
    expect(errorsOf(await validateAsyncLines(bad()))).toEqual([[8, "attendance.duplicate"]])
  })

  it("validateStream reads an Effect Stream and stops pulling at the first error", async () => {
    const ok = await Effect.runPromise(validateStream(Stream.fromIterable(EXAMPLE)))
    expect(ok).toMatchObject({ ok: true, accepted: 7 })
    let pulled = 0
    const counted = Stream.fromIterable([...EXAMPLE.slice(0, 6), tooLong, ...EXAMPLE]).pipe(
      Stream.tap(() => Effect.sync(() => pulled++))
    )
    const r = await Effect.runPromise(validateStream(counted))
    expect(errorsOf(r)).toEqual([[7, "attendance.exceedsSession"]])
    expect(pulled).toBeLessThanOrEqual(8)
    const all = await Effect.runPromise(
      validateStream(Stream.fromIterable([...EXAMPLE, "x", "y"]), { collectAll: true })
    )
    expect(errorsOf(all)).toEqual([
      [8, "line.json"],
      [9, "line.json"]
    ])
  })

  it("validateStream passes the stream's own failure through", async () => {
    const failing = Stream.concat(Stream.fromIterable(EXAMPLE.slice(0, 2)), Stream.fail("disk on fire"))
    const exit = await Effect.runPromise(Effect.flip(validateStream(failing)))
    expect(exit).toBe("disk on fire")
  })
})
