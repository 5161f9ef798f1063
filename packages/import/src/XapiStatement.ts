/**
 * xAPI statements: validated against the xAPI statement structure by Learning
 * Locker's conformance-tested validator (`@learninglocker/xapi-validation`, every
 * problem of a statement in one call, each with its path), then read into the
 * subset the importer uses ({@link Statement}, an Effect Schema). Batches come as
 * a JSON array, an LRS `StatementResult` (`{ "statements": [...] }`) or NDJSON.
 *
 * @since 0.1.0
 */
import { createHash } from "node:crypto"
import * as XapiValidation from "@learninglocker/xapi-validation"
import { Result, Schema } from "effect"

/** The validator's function, whether the CommonJS module arrives as its default or inside it. */
type Validate = (data: unknown) => ReadonlyArray<{
  readonly name?: string
  readonly path: ReadonlyArray<string | number>
  readonly typeName?: string
  readonly keys?: ReadonlyArray<string>
  readonly constructor: { readonly name: string }
}>
const validateFn: Validate = (() => {
  const m = XapiValidation as unknown as { default?: unknown }
  const d = m.default as unknown
  if (typeof d === "function") return d as Validate
  return (d as { default: Validate }).default
})()

/**
 * The verbs the importer reads, by IRI.
 *
 * @category values
 * @since 0.1.0
 */
export const Verbs = {
  attended: "http://adlnet.gov/expapi/verbs/attended",
  completed: "http://adlnet.gov/expapi/verbs/completed",
  passed: "http://adlnet.gov/expapi/verbs/passed",
  /** cmi5: the AU's requirements were met otherwise. */
  waived: "https://w3id.org/xapi/adl/verbs/waived",
  voided: "http://adlnet.gov/expapi/verbs/voided"
} as const
/**
 * One of the keys or values of {@link Verbs}.
 *
 * @category models
 * @since 0.1.0
 */
export type Verb = keyof typeof Verbs

const verbByIri = new Map<string, Verb>(Object.entries(Verbs).map(([k, v]) => [v, k as Verb]))

/**
 * The verb's short name, or `undefined` for a verb the importer does not read.
 *
 * @category utils
 * @since 0.1.0
 */
export const verbOf = (iri: string): Verb | undefined => verbByIri.get(iri)

/**
 * The part of a statement the importer reads (the validator has checked the whole).
 *
 * @category schemas
 * @since 0.1.0
 */
export const Statement = Schema.Struct({
  id: Schema.String,
  actor: Schema.Struct({
    objectType: Schema.optionalKey(Schema.String),
    account: Schema.optionalKey(Schema.Struct({ homePage: Schema.String, name: Schema.String })),
    mbox: Schema.optionalKey(Schema.String)
  }),
  verb: Schema.Struct({ id: Schema.String }),
  object: Schema.Struct({ id: Schema.String, objectType: Schema.optionalKey(Schema.String) }),
  result: Schema.optionalKey(
    Schema.Struct({
      duration: Schema.optionalKey(Schema.String),
      success: Schema.optionalKey(Schema.Boolean),
      completion: Schema.optionalKey(Schema.Boolean)
    })
  ),
  context: Schema.optionalKey(Schema.Struct({ registration: Schema.optionalKey(Schema.String) })),
  timestamp: Schema.optionalKey(Schema.String),
  stored: Schema.optionalKey(Schema.String)
})
/**
 * The decoded value of the schema {@link Statement}.
 *
 * @category models
 * @since 0.1.0
 */
export type Statement = typeof Statement.Type

/**
 * A problem with a statement: its place in the batch (1-based), the line of an
 * NDJSON file, its id if it has one, the JSON path and the rule.
 *
 * @category models
 * @since 0.1.0
 */
export interface XapiIssue {
  readonly statement: number
  readonly line?: number
  readonly statementId?: string
  readonly path: string
  readonly rule: string
  readonly message: string
}

const describe = (w: ReturnType<Validate>[number]): string => {
  switch (w.constructor.name) {
    case "RequiredWarning":
      return "is required"
    case "TypeWarning":
      return `is not a valid ${w.typeName ?? "value"}`
    case "RestrictedKeysWarning":
      return `has keys the statement structure does not allow (allowed: ${(w.keys ?? []).join(", ")})`
    default:
      return w.constructor.name
        .replace(/Warning$/, "")
        .replace(/([a-z])([A-Z])/g, "$1 $2")
        .toLowerCase()
  }
}

/**
 * Validates one statement (the raw JSON value): every structural problem, or the
 * statement's subset. A statement must carry an `id` (an LRS export always does).
 *
 * @category rules
 * @since 0.1.0
 */
export const validate = (
  value: unknown,
  where: { readonly statement: number; readonly line?: number }
): Result.Result<Statement, ReadonlyArray<XapiIssue>> => {
  const idOf =
    typeof value === "object" && value !== null && typeof (value as { id?: unknown }).id === "string"
      ? { statementId: (value as { id: string }).id }
      : {}
  const at = { ...where, ...idOf }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return Result.fail([{ ...at, path: "", rule: "xapi.structure", message: "a statement is a JSON object" }])
  const warnings = validateFn(value)
  if (warnings.length > 0)
    return Result.fail(
      warnings.map((w) => {
        const path = w.path.slice(1).join(".")
        return {
          ...at,
          path,
          rule: "xapi.structure",
          message: `${path === "" ? "the statement" : path} ${describe(w)}`
        }
      })
    )
  if (idOf.statementId === undefined)
    return Result.fail([{ ...at, path: "id", rule: "xapi.id", message: "the statement has no id" }])
  const decoded = Schema.decodeUnknownResult(Statement)(value)
  if (Result.isFailure(decoded))
    return Result.fail([{ ...at, path: "", rule: "xapi.structure", message: String(decoded.failure.message) }])
  return Result.succeed(decoded.success)
}

const IGNORED = new Set(["authority", "stored", "timestamp", "version", "attachments"])

const canonical = (value: unknown, top: boolean): unknown => {
  if (Array.isArray(value)) return value.map((v) => canonical(v, false))
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {}
    for (const k of Object.keys(value).sort()) {
      if (top && IGNORED.has(k)) continue
      out[k] = canonical((value as Record<string, unknown>)[k], false)
    }
    return out
  }
  return value
}

/**
 * A digest of what makes two statements with the same id the same statement:
 * everything but `authority`, `stored`, `timestamp`, `version` and `attachments`
 * (the properties the xAPI statement comparison requirements leave out), keys in
 * a stable order. A repeated id with another digest is a conflict (an LRS's 409).
 *
 * @category utils
 * @since 0.1.0
 */
export const digest = (value: unknown): string =>
  createHash("sha256")
    .update(JSON.stringify(canonical(value, true)))
    .digest("hex")

/**
 * One statement of a batch, with where it came from.
 *
 * @category models
 * @since 0.1.0
 */
export interface RawStatement {
  readonly value: unknown
  readonly statement: number
  readonly line?: number
}

/**
 * The statements of a batch: a JSON array, an LRS `StatementResult`
 * (`{ "statements": [...] }`), one statement object, or NDJSON (one statement a
 * line). A line that is not JSON is an issue (`xapi.json`) naming its line.
 *
 * @category codecs
 * @since 0.1.0
 */
export const parseBatch = (
  text: string
): { readonly statements: ReadonlyArray<RawStatement>; readonly issues: ReadonlyArray<XapiIssue> } => {
  const body = text.replace(/^\uFEFF/, "")
  try {
    const json: unknown = JSON.parse(body)
    const list = Array.isArray(json)
      ? json
      : typeof json === "object" && json !== null && Array.isArray((json as { statements?: unknown }).statements)
        ? (json as { statements: Array<unknown> }).statements
        : [json]
    return { statements: list.map((value, i) => ({ value, statement: i + 1 })), issues: [] }
  } catch {
    // not one JSON value: NDJSON
  }
  const statements: Array<RawStatement> = []
  const issues: Array<XapiIssue> = []
  body.split("\n").forEach((raw, i) => {
    const line = raw.trim()
    if (line === "") return
    const statement = statements.length + issues.length + 1
    try {
      statements.push({ value: JSON.parse(line), statement, line: i + 1 })
    } catch (e) {
      issues.push({ statement, line: i + 1, path: "", rule: "xapi.json", message: `not JSON: ${(e as Error).message}` })
    }
  })
  return { statements, issues }
}
