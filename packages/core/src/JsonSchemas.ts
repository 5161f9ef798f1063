/**
 * JSON Schemas (draft 2020-12) of event-log-v1, generated from the Effect schemas
 * with `Schema.toJsonSchemaDocument`: one per event type's payload, one of a
 * whole log line, and one of a policy-set file. Nothing here is written by hand:
 * the patterns, bounds and enums come from the annotations of the checks in
 * `Ids`, `Calendar`, `Hours`, `Vocabulary`, `Events` and the policy modules.
 *
 * The schemas are values; `scripts/gen-json-schemas.ts` writes them to
 * `packages/core/schema/` and `docs/schema/`. A JSON Schema is a preliminary
 * check: the codec (`EventCodec`) and `PolicySet.decodePolicySet` stay the
 * authority, and the rules JSON Schema cannot state are in each schema's
 * `description` (and docs/schema/README.md).
 *
 * @since 0.1.0
 */

import { JsonSchema, Schema, SchemaAST, type SchemaRepresentation } from "effect"
import { InstantSchema } from "./Calendar.js"
import { DistrictReport } from "./DistrictReport.js"
import { EventCatalogue, type EventType, eventTypes } from "./Events.js"
import { EventId, STREAM_ID_PATTERN } from "./Ids.js"
import { PolicySet } from "./policy/PolicySet.js"

/**
 * One generated schema file: where it goes (relative to a schema folder), its
 * title and description, and the Effect schema whose encoded (JSON) side it describes.
 *
 * @category models
 * @since 0.1.0
 */
export interface SchemaEntry {
  /** Path of the file inside a schema folder, e.g. `log-line.schema.json`. */
  readonly file: string
  readonly title: string
  /** What the file describes, including the rules JSON Schema cannot express. */
  readonly description: string
  readonly schema: Schema.Top
}

/** Rules every payload shares that JSON Schema cannot state. */
const PAYLOAD_LIMITS =
  "Checked by the decoder only: that February 29 falls in a leap year (dates and instants), that an IANA time zone exists, and ids' lengths in UTF-16 units rather than code points; and by import, against the history: references, uniqueness and the facts the history before an event makes impossible (docs/event-model.md)."

const payloadDescription = (type: EventType): string => {
  const { category, idField } = EventCatalogue[type]
  const hours =
    type === "CreditGranted"
      ? " `hours` has at most two decimals as written in the line's text (1.25, not 1.255 or 1.25e0): `multipleOf: 0.01` approximates it."
      : ""
  return `The payload (\`data\`) of a ${type} event, version 1, in ${category}-… streams. Not expressible in JSON Schema: \`data.${idField}\` equals the id of the line's stream.${hours} ${PAYLOAD_LIMITS}`
}

const PositiveInt = Schema.Int.check(Schema.isGreaterThanOrEqualTo(1))

/** `<category>-<id>` for one category. */
const streamOf = (category: string) =>
  Schema.String.check(Schema.isPattern(new RegExp(`^${category}-${STREAM_ID_PATTERN.source.slice(1)}`, "u")))

/**
 * A whole line of an event-log-v1 log (payload version 1) as an Effect schema:
 * one branch per event type, the `type` literal selecting the stream category and
 * the payload schema. Used to generate the log-line JSON Schema; decoding goes
 * through `EventCodec`, which also checks what this cannot.
 *
 * @category schemas
 * @since 0.1.0
 */
export const LogLine = Schema.Union(
  eventTypes.map((type) =>
    Schema.Struct({
      stream: streamOf(EventCatalogue[type].category),
      type: Schema.Literal(type),
      data: EventCatalogue[type].schema.annotate({ title: type, description: payloadDescription(type) }),
      version: Schema.optionalKey(PositiveInt),
      id: Schema.optionalKey(EventId),
      schemaVersion: Schema.optionalKey(Schema.Literal(1)),
      recordedAt: Schema.optionalKey(InstantSchema),
      position: Schema.optionalKey(PositiveInt),
      meta: Schema.optionalKey(Schema.Record(Schema.String, Schema.Unknown))
    })
  ),
  { mode: "oneOf" }
)

const LOG_LINE_DESCRIPTION =
  "One line of an event-log-v1 log (payload version 1): the branch of its `type` fixes the stream's category and the schema of `data`; unknown envelope and payload fields are rejected, as the codec does. Not expressible in JSON Schema, checked by the codec: `data`'s id field (schoolId, memberId or classId) equals the stream's id, and `hours` has at most two decimals as written (`multipleOf: 0.01` approximates it). Checked by import across lines: `version` is the next one of its stream, `position` increases strictly, an `id` already stored makes the line a no-op, and the history rules of docs/event-model.md. Branches are combined with anyOf where a branch holds an approximate check; they exclude each other by `type`."

const POLICY_SET_DESCRIPTION =
  "A policy-set file: credit policy, requirements, course-mix rules and completion rule. Not expressible in JSON Schema, checked by PolicySet.decodePolicySet: ids unique among caps, requirements and course-mix rules; tiers by increasing minMinutes and non-decreasing hours; a full day longer than a half day and earning at least as much; shares and ratios (num/den) from 0 to 1; a course-mix constraint naming at least one category or tag; an existing IANA time zone; hours with at most two decimals (`multipleOf: 0.01` approximates it)."

/**
 * The table of generated schema files, in output order. To publish one more
 * schema, add one entry (`{ file, title, description, schema }`).
 *
 * @category utils
 * @since 0.1.0
 */
export const schemaEntries: ReadonlyArray<SchemaEntry> = [
  { file: "log-line.schema.json", title: "LogLine", description: LOG_LINE_DESCRIPTION, schema: LogLine },
  { file: "policy-set.schema.json", title: "PolicySet", description: POLICY_SET_DESCRIPTION, schema: PolicySet },
  {
    file: "district-report.schema.json",
    title: "DistrictReport",
    description:
      "The district report of a year (DistrictReport.build, the CLI's `report --format json`): see docs/reference/district-report.md.",
    schema: DistrictReport
  },
  ...eventTypes.map((type) => ({
    file: `events/${type}.schema.json`,
    title: type,
    description: payloadDescription(type),
    schema: EventCatalogue[type].schema
  }))
]

/** Titled schemas become `$defs` entries named by their title (identifiers too, as by default). */
const referencePolicy: SchemaRepresentation.ReferencePolicy = ({ ast, identifier }) =>
  identifier ?? SchemaAST.resolveTitle(ast)

const sortKeys = (o: JsonSchema.Definitions): JsonSchema.Definitions =>
  Object.fromEntries(
    Object.keys(o)
      .sort()
      .map((k) => [k, o[k] as JsonSchema.JsonSchema])
  )

/**
 * The standalone JSON Schema (draft 2020-12) of one entry: `$schema`, a
 * `$comment` naming the generator, the entry's title and description, the
 * schema of its root and its `$defs` (sorted by name). Unknown fields are
 * rejected (`additionalProperties: false`) wherever the decoders reject them.
 *
 * @category schemas
 * @since 0.1.0
 */
export const toJsonSchema = (entry: SchemaEntry): JsonSchema.JsonSchema => {
  const doc = Schema.toJsonSchemaDocument(entry.schema, { onExcessProperty: "error", referencePolicy })
  let root = doc.schema
  const defs: Record<string, JsonSchema.JsonSchema> = { ...doc.definitions }
  // a titled root is emitted as a reference to itself: inline it
  const ref = typeof root.$ref === "string" && Object.keys(root).length === 1 ? root.$ref : undefined
  if (ref?.startsWith("#/$defs/")) {
    const name = decodeURIComponent(ref.slice("#/$defs/".length))
    root = defs[name] as JsonSchema.JsonSchema
    delete defs[name]
  }
  const { title: _title, description: _description, ...body } = root
  return {
    $schema: JsonSchema.META_SCHEMA_URI_DRAFT_2020_12,
    $comment: "Generated from the Effect schemas of @xueshi/core by scripts/gen-json-schemas.ts: do not edit.",
    title: entry.title,
    description: entry.description,
    ...body,
    ...(Object.keys(defs).length === 0 ? {} : { $defs: sortKeys(defs) })
  }
}

/**
 * Every schema of the table as `{ file, schema }`, in table order.
 *
 * @category utils
 * @since 0.1.0
 */
export const jsonSchemas = (
  entries: ReadonlyArray<SchemaEntry> = schemaEntries
): ReadonlyArray<{ readonly file: string; readonly schema: JsonSchema.JsonSchema }> =>
  entries.map((entry) => ({ file: entry.file, schema: toJsonSchema(entry) }))
