/**
 * Renders the reference part of docs/event-model.md from the code: the streams,
 * every event type with its payload fields (names, optionality and wire types
 * read from the schemas), the commands and the rule catalogue.
 *
 *   npx tsx --conditions=@xueshi/source scripts/gen-event-model-doc.ts          # rewrite the page
 *   npx tsx --conditions=@xueshi/source scripts/gen-event-model-doc.ts --check  # exit 1 if stale
 *
 * packages/core/test/EventModelDoc.test.ts asserts that the committed page holds
 * the rendered part verbatim, so the page cannot drift from the schemas.
 */
import { readFileSync, writeFileSync } from "node:fs"
import { fileURLToPath, pathToFileURL } from "node:url"
import { Commands, Events, Rules } from "@xueshi/core"

/** The markers around the generated part of the page. */
export const BEGIN = "<!-- BEGIN GENERATED REFERENCE: scripts/gen-event-model-doc.ts -->"
export const END = "<!-- END GENERATED REFERENCE -->"

/** The page. */
export const DOC_PATH = fileURLToPath(new URL("../docs/event-model.md", import.meta.url))

/** What each event type records (one sentence each; the test requires one per type). */
export const EVENT_NOTES: Readonly<Record<Events.EventType, string>> = {
  SchoolRegistered: "A school joins the network; `parentId` is the school one tier up.",
  QuotaClaimed:
    "A school claims its yearly training quota (认领培训指标); a later claim for the same year replaces the earlier one.",
  MemberRegistered: "A member is registered with the school responsible for them.",
  MemberCategoriesChanged: "A member's trainee categories change from a date on.",
  MemberTransferred: "A member moves to another school from a date on.",
  ExemptionGranted: "A member is exempt from the hard requirement of a year (2019 regulation, Art. 23).",
  ExemptionRevoked: "A year's exemption is withdrawn.",
  MemberDeregistered: "A member leaves the register; nothing happens to the member's record afterwards.",
  ClassPlanned: "A school plans a training class; `audience` restricts who may enrol, `capacity` how many.",
  SessionScheduled: "A session (lesson) of a class is scheduled.",
  SessionRescheduled: "A session moves or changes length (never below minutes already attended or made up).",
  SessionCancelled: "A session is cancelled; attendance already recorded for it no longer counts.",
  MemberEnrolled: "A member enrols in a class.",
  EnrollmentWithdrawn: "A member's enrolment ends before the class does.",
  AttendanceRecorded: "A member attended a session for some minutes (0 < minutes ≤ the session's minutes).",
  LeaveGranted: "A member is excused from a session (请假).",
  MakeUpCompleted: "A member made up a session they did not attend (补学).",
  AttendanceCorrected: "Sets a member's attended minutes of a session; 0 removes the attendance.",
  ClassCompleted: "The class is over (结业); afterwards only attendance corrections are accepted.",
  CreditGranted: "Credit hours granted to a member for a year, from a session or from another system.",
  CreditRevoked: "A grant is withdrawn; a grant is never edited in place."
}

/** What each payload field means, by field name (the test requires one per field). */
export const FIELD_NOTES: Readonly<Record<string, string>> = {
  schoolId: "a school id (see Ids); in `school-…` streams, the stream's id",
  name: "the school's name",
  tier: "its tier in the network",
  parentId: "the school one tier up (registered before, ranked above)",
  year: "a calendar year, 1900–9999",
  traineeTimes: "trainee-times (人次) claimed, 0–100,000,000",
  classes: "classes claimed, 0–1,000,000",
  memberId: "a member id; in `member-…` and `credit-…` streams, the stream's id",
  categories: "trainee categories, at least one",
  joinedOn: "date of admission to the Party",
  effectiveOn: "the business date from which the change holds",
  reason: "why (free text, or the listed values)",
  classId: "a class id; in `class-…` streams, the stream's id",
  title: "a title (non-blank)",
  format: "the class format",
  module: "the module (模块) the class belongs to",
  audience: "trainee categories that may enrol (any one suffices)",
  capacity: "at most this many members enrolled at a time, 1–1,000,000",
  sessionId: "a session id, unique within the class (cancelled sessions included)",
  category: "the course category (40/40/20 rule)",
  startsAt: "when the session starts",
  minutes: "minutes: 1–1440 (a correction: 0–1440, 0 removes the attendance)",
  mode: "how the session was delivered",
  tags: "free tags such as `newThought`, `partySpirit`",
  at: "when it happened",
  grantId: "a grant id, unique within the member's credit stream",
  hours: "credit hours > 0, at most two decimals (runtime: integers of 0.01 hour)",
  source: '`{"kind":"session","classId","sessionId"}` or `{"kind":"external","system","reference"}`',
  policyId: "the credit policy that determined the hours"
}

/** Wire formats of string fields that the schemas check beyond "a string", by field name. */
const STRING_FORMATS: Readonly<Record<string, string>> = {
  schoolId: "stream id",
  memberId: "stream id",
  classId: "stream id",
  parentId: "stream id",
  sessionId: "id (1–128 characters)",
  grantId: "id (1–128 characters)",
  joinedOn: "date `YYYY-MM-DD`",
  effectiveOn: "date `YYYY-MM-DD`",
  startsAt: "time (ISO 8601 with offset)",
  at: "time (ISO 8601 with offset)"
}

interface Ast {
  readonly _tag: string
  readonly context?: { readonly isOptional?: boolean }
  readonly checks?: ReadonlyArray<{ readonly annotations?: { readonly expected?: string } }>
  readonly types?: ReadonlyArray<Ast>
  readonly literal?: unknown
  readonly rest?: ReadonlyArray<Ast>
  readonly encoding?: ReadonlyArray<{ readonly to: Ast }>
}

/** The wire type of a field, read from its schema's AST. */
const wireType = (name: string, ast: Ast): string => {
  const encoded =
    ast.encoding !== undefined && ast.encoding.length > 0 ? (ast.encoding[ast.encoding.length - 1]?.to ?? ast) : ast
  switch (encoded._tag) {
    case "String":
      return STRING_FORMATS[name] ?? "string"
    case "Number":
      return (encoded.checks ?? []).some((c) => c.annotations?.expected === "an integer") ? "integer" : "number"
    case "Literal":
      return `\`${String(encoded.literal)}\``
    case "Union": {
      const members = encoded.types ?? []
      if (members.every((m) => m._tag === "Literal"))
        return members.map((m) => `\`${String(m.literal)}\``).join(" \\| ")
      return "object"
    }
    case "Arrays": {
      const el = encoded.rest?.[0]
      return el === undefined ? "list" : `list of ${wireType(`${name}[]`, el)}`
    }
    case "Objects":
      return "object"
    default:
      return encoded._tag
  }
}

const fieldsOf = (type: Events.EventType): ReadonlyArray<{ name: string; ast: Ast }> => {
  const fields = (Events.EventCatalogue[type].schema as unknown as { fields: Record<string, { ast: Ast }> }).fields
  return Object.entries(fields).map(([name, s]) => ({ name, ast: s.ast }))
}

const CATEGORY_ORDER: ReadonlyArray<Events.StreamCategory> = ["school", "member", "class", "credit"]

/** The payload field names of an event type, in wire order. */
export const payloadFields = (type: Events.EventType): ReadonlyArray<string> => fieldsOf(type).map((f) => f.name)

/** Renders the generated part of the page (without the markers). */
export const renderReference = (): string => {
  const out: Array<string> = []
  const types = Events.eventTypes
  out.push("## Reference", "")
  out.push("This part is generated from the code by `scripts/gen-event-model-doc.ts`; do not edit it by hand.", "")
  out.push("### Streams", "")
  out.push("| stream | id field | event types |", "|---|---|---|")
  for (const c of CATEGORY_ORDER) {
    const ts = types.filter((t) => Events.EventCatalogue[t].category === c)
    const idField = Events.EventCatalogue[ts[0] as Events.EventType].idField
    out.push(`| \`${c}-⟨${idField}⟩\` | \`${idField}\` | ${ts.map((t) => `\`${t}\``).join(", ")} |`)
  }
  out.push("", "### Event types", "")
  for (const c of CATEGORY_ORDER) {
    for (const t of types.filter((x) => Events.EventCatalogue[x].category === c)) {
      out.push(`#### \`${t}\` (\`${c}-…\`)`, "", EVENT_NOTES[t], "")
      out.push("| field | required | wire type | meaning |", "|---|---|---|---|")
      for (const f of fieldsOf(t)) {
        const note = FIELD_NOTES[f.name]
        if (note === undefined) throw new Error(`FIELD_NOTES has no entry for ${t}.${f.name}`)
        out.push(
          `| \`${f.name}\` | ${f.ast.context?.isOptional === true ? "no" : "yes"} | ${wireType(f.name, f.ast)} | ${note} |`
        )
      }
      out.push("")
    }
  }
  out.push(
    "### Commands",
    "",
    "Each command asks for one event; its decider accepts it or names the rule it breaks.",
    ""
  )
  out.push("| command | event |", "|---|---|")
  for (const [command, event] of Object.entries(Commands.CommandEvents)) out.push(`| \`${command}\` | \`${event}\` |`)
  out.push("", "### Rules", "", "Every error names one of these rules (`Rules.RuleCatalogue`).", "")
  out.push("| rule | requirement |", "|---|---|")
  for (const id of Rules.ruleIds) out.push(`| \`${id}\` | ${Rules.RuleCatalogue[id].replace(/\|/g, "\\|")} |`)
  return out.join("\n")
}

/** The page with its generated part replaced by a fresh rendering. */
export const updatePage = (page: string): string => {
  const start = page.indexOf(BEGIN)
  const end = page.indexOf(END)
  if (start === -1 || end === -1 || end < start) throw new Error(`the page has no ${BEGIN} … ${END} markers`)
  return `${page.slice(0, start + BEGIN.length)}\n${renderReference()}\n${page.slice(end)}`
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const page = readFileSync(DOC_PATH, "utf8")
  const next = updatePage(page)
  if (process.argv.includes("--check")) {
    if (next !== page) {
      console.error("docs/event-model.md is stale: run scripts/gen-event-model-doc.ts")
      process.exit(1)
    }
  } else if (next !== page) {
    writeFileSync(DOC_PATH, next)
    console.log("docs/event-model.md updated")
  }
}
