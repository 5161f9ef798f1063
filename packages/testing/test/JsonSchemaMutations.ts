/**
 * One-rule mutations of a valid log line, each breaking one rule that JSON
 * Schema can express: a missing required field, a wrong type, a value outside
 * its enum, pattern or bounds, an unknown field. Payload mutations are derived
 * from each event type's Effect schema (its fields and their optionality) and a
 * table of bad values by field; envelope mutations are listed once.
 */
import { Events } from "@xueshi/core"
import { SchemaAST } from "effect"

/** A parsed log line. */
export type Line = { [k: string]: unknown; data: Record<string, unknown> }

/** Marks a field to remove. */
export const REMOVE: unique symbol = Symbol("remove")

/** A named change to one field of a line: `path` set to `value` (or removed), `value` computed from the line if a function. */
export interface LineMutation {
  readonly name: string
  readonly path: readonly [string, ...Array<string>]
  readonly value: unknown
}

/** A copy of a JSON value with one mutation applied. */
export const mutated = <A>(json: A, m: { readonly path: ReadonlyArray<string>; readonly value: unknown }): A => {
  const copy = structuredClone(json)
  let target = copy as Record<string, unknown>
  for (const k of m.path.slice(0, -1)) target = target[k] as Record<string, unknown>
  const last = m.path.at(-1) as string
  const value = typeof m.value === "function" ? (m.value as (j: A) => unknown)(json) : m.value
  if (value === REMOVE) delete target[last]
  else target[last] = value
  return copy
}

const BAD_STREAM_ID = ["", "-starts-with-dash", "has space", "x".repeat(65), "学时"]
const BAD_FREE_ID = ["", "tab\tinside", "x".repeat(129)]
const BAD_TEXT = ["", "   ", "\n\t"]
const BAD_DATE = ["2025-13-01", "2025-04-31", "2025-02-30", "2025/03/04", "0000-01-01", "2025-3-4"]
const BAD_INSTANT = [
  "2025-03-04T19:00:00",
  "2025-03-04T24:00:00+08:00",
  "2025-03-04T19:60+08:00",
  "2025-03-04T19:00:00-00:00",
  "2025-03-04 19:00:00+08:00",
  "2025-04-31T19:00+08:00",
  "2025-03-04T19:00:00.1234567890Z",
  "2025-03-04T19:00:00+24:00"
]
const BAD_YEAR = [1899, 10000, 2025.5, "2025"]
const BAD_MINUTES = [0, -1, 1441, 90.5, "90"]
const BAD_CATEGORIES = [[], ["nobody"], "ordinaryMember"]

/** Values that break the rule of a field, by field name (`Type.field` overrides `field`). */
export const BAD_VALUES: Readonly<Record<string, ReadonlyArray<unknown>>> = {
  schoolId: BAD_STREAM_ID,
  memberId: BAD_STREAM_ID,
  classId: BAD_STREAM_ID,
  parentId: BAD_STREAM_ID,
  sessionId: BAD_FREE_ID,
  grantId: BAD_FREE_ID,
  name: BAD_TEXT,
  title: BAD_TEXT,
  module: BAD_TEXT,
  reason: BAD_TEXT,
  policyId: BAD_TEXT,
  "ExemptionGranted.reason": ["sickness", "", "Illness"],
  "ExemptionRevoked.reason": ["sickness", "", "Illness"],
  tier: ["county", "District"],
  format: ["lecture"],
  category: ["politics", "Theory"],
  mode: ["offline"],
  categories: BAD_CATEGORIES,
  audience: BAD_CATEGORIES,
  tags: [[""], ["ok", " "], "newThought"],
  year: BAD_YEAR,
  traineeTimes: [-1, 100_000_001, 1.5],
  classes: [-1, 1_000_001, 2.5],
  capacity: [0, 1_000_001, 3.5],
  minutes: BAD_MINUTES,
  "AttendanceCorrected.minutes": [-1, 1441, 0.5, "0"],
  hours: [0, -1, 1.255, 0.001, "1.5", 1e13],
  joinedOn: BAD_DATE,
  effectiveOn: BAD_DATE,
  at: BAD_INSTANT,
  startsAt: BAD_INSTANT,
  source: [
    "session",
    { kind: "session" },
    { kind: "other", system: "a", reference: "b" },
    { kind: "external", system: "a", reference: "b", extra: 1 },
    { kind: "session", classId: "-x", sessionId: "S1" },
    { kind: "external", system: " ", reference: "b" }
  ]
}

const fieldsOf = (type: Events.EventType): ReadonlyArray<readonly [string, SchemaAST.AST]> =>
  Object.entries(
    (Events.EventCatalogue[type].schema as unknown as { fields: Record<string, { ast: SchemaAST.AST }> }).fields
  ).map(([k, s]) => [k, s.ast] as const)

/**
 * The one-rule payload mutations of an event type: each field set to a wrong
 * type (`true`) and to every bad value of its rule, each required field
 * removed, and one unknown field added.
 */
export const payloadMutations = (type: Events.EventType): Array<LineMutation> => {
  const out: Array<LineMutation> = []
  for (const [field, ast] of fieldsOf(type)) {
    out.push({ name: `data.${field} = true`, path: ["data", field], value: true })
    const bad = BAD_VALUES[`${type}.${field}`] ?? BAD_VALUES[field]
    if (bad === undefined) throw new Error(`no bad values for ${type}.${field}: add them to BAD_VALUES`)
    for (const v of bad) out.push({ name: `data.${field} = ${JSON.stringify(v)}`, path: ["data", field], value: v })
    if (!SchemaAST.isOptional(ast)) out.push({ name: `data.${field} missing`, path: ["data", field], value: REMOVE })
  }
  out.push({ name: "data.unknownField = 1", path: ["data", "unknownField"], value: 1 })
  return out
}

const otherCategory: Record<string, string> = { school: "member", member: "class", class: "credit", credit: "school" }

/** The one-rule envelope mutations of a line of an event type. */
export const envelopeMutations = (type: Events.EventType): Array<LineMutation> => {
  const { category } = Events.EventCatalogue[type]
  const set = (name: string, key: string, value: unknown): LineMutation => ({ name, path: [key], value })
  const other = Events.eventTypes.find((t) => Events.EventCatalogue[t].category !== category) as Events.EventType
  return [
    set("stream missing", "stream", REMOVE),
    set("type missing", "type", REMOVE),
    set("data missing", "data", REMOVE),
    set("stream of another category", "stream", `${otherCategory[category]}-X1`),
    set("stream without category", "stream", (l: Line) => String(l.stream).slice(category.length + 1)),
    set("stream id with a space", "stream", `${category}-a b`),
    set("stream id too long", "stream", `${category}-${"x".repeat(65)}`),
    set("stream = 1", "stream", 1),
    set("type unknown", "type", "SchoolOpened"),
    set(`type of another category (${other})`, "type", other),
    set("data = []", "data", []),
    set("data = null", "data", null),
    set("version = 0", "version", 0),
    set("version = 1.5", "version", 1.5),
    set('version = "1"', "version", "1"),
    set("id not a UUID", "id", "not-a-uuid"),
    set("id = 7", "id", 7),
    set("schemaVersion = 2", "schemaVersion", 2),
    set("schemaVersion = 0", "schemaVersion", 0),
    set("recordedAt without offset", "recordedAt", "2025-03-04T19:00:00"),
    set("position = 0", "position", 0),
    set("position = 2^53", "position", 2 ** 53),
    set("meta = []", "meta", []),
    set('meta = "x"', "meta", "x"),
    set("unknown envelope field", "extra", true)
  ]
}
