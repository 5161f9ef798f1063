/**
 * The shipped JSON Schemas of @xueshi/core, read through the package's
 * `./schema/*` export (as a user would), compiled with ajv (draft 2020-12).
 */
import { readFileSync } from "node:fs"
import { createRequire } from "node:module"
import type { Events } from "@xueshi/core"
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js"

const require = createRequire(import.meta.url)

/** A shipped schema file, parsed. */
export const shippedSchema = (file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(require.resolve(`@xueshi/core/schema/${file}`), "utf8"))

// strict: unknown keywords and formats are errors. strictTuples off: a non-empty list is
// written `prefixItems: [X], items: X, minItems: 1`, valid 2020-12 that ajv's tuple lint flags.
// multipleOfPrecision: hours are binary doubles, so `multipleOf: 0.01` needs a tolerance; 4 (10^-4)
// is exact for amounts below 10^9 hours and still rejects a third or fourth decimal.
const ajv = new Ajv2020({ strict: true, strictTuples: false, multipleOfPrecision: 4 })

const compiled = new Map<string, ValidateFunction>()
const validatorOf = (file: string): ValidateFunction => {
  let v = compiled.get(file)
  if (v === undefined) {
    v = ajv.compile(shippedSchema(file))
    compiled.set(file, v)
  }
  return v
}

/** The outcome of one validation: valid, or the first errors as text. */
export interface Verdict {
  readonly valid: boolean
  readonly errors: string
}

const verdict = (file: string, value: unknown): Verdict => {
  const v = validatorOf(file)
  const valid = v(value)
  return { valid, errors: valid ? "" : ajv.errorsText(v.errors?.slice(0, 3)) }
}

/** Validates a parsed log line against log-line.schema.json. */
export const validateLine = (line: unknown): Verdict => verdict("log-line.schema.json", line)

/** Validates a payload against events/<type>.schema.json. */
export const validatePayload = (type: Events.EventType, data: unknown): Verdict =>
  verdict(`events/${type}.schema.json`, data)

/** Validates a policy-set file's JSON against policy-set.schema.json. */
export const validatePolicySet = (json: unknown): Verdict => verdict("policy-set.schema.json", json)

/** Validates a district report's JSON against its shipped schema. */
export const validateReport = (json: unknown): Verdict => verdict("district-report.schema.json", json)
