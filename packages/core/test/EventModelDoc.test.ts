/**
 * docs/event-model.md cannot drift from the code: its reference part is the
 * rendering of scripts/gen-event-model-doc.ts verbatim, and, read independently,
 * the page's table for every event type lists each payload field of its schema,
 * and the page lists every rule of the catalogue with its sentence.
 *
 * Stale page? `npx tsx --conditions=@xueshi/source scripts/gen-event-model-doc.ts`
 */
import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import {
  BEGIN,
  DOC_PATH,
  END,
  EVENT_NOTES,
  FIELD_NOTES,
  payloadFields,
  renderReference
} from "../../../scripts/gen-event-model-doc.ts"
import { EventCatalogue, eventTypes } from "../src/Events.js"
import { RuleCatalogue, ruleIds } from "../src/Rules.js"

const page = readFileSync(DOC_PATH, "utf8")

/** The rows of the first table after the heading of an event type: field names in order. */
const fieldsInPage = (type: string): Array<string> => {
  const start = page.indexOf(`#### \`${type}\``)
  if (start === -1) return []
  const rest = page.slice(start).split("\n").slice(1)
  const fields: Array<string> = []
  let inTable = false
  for (const line of rest) {
    if (line.startsWith("| field |")) inTable = true
    else if (inTable && line.startsWith("|---")) continue
    else if (inTable && line.startsWith("| `"))
      fields.push((line.match(/^\| `([^`]+)`/) as RegExpMatchArray)[1] as string)
    else if (inTable) break
    else if (line.startsWith("#")) break
  }
  return fields
}

describe("docs/event-model.md", () => {
  it("holds the generated reference verbatim", () => {
    const start = page.indexOf(BEGIN)
    const end = page.indexOf(END)
    expect(start).toBeGreaterThan(-1)
    expect(end).toBeGreaterThan(start)
    expect(page.slice(start + BEGIN.length, end)).toBe(`\n${renderReference()}\n`)
  })

  it.each(eventTypes.map((t) => [t]))("lists every payload field of %s in its table, in schema order", (type) => {
    const schemaFields = Object.keys((EventCatalogue[type].schema as unknown as { fields: object }).fields)
    expect(fieldsInPage(type)).toEqual(schemaFields)
    expect(payloadFields(type)).toEqual(schemaFields)
  })

  it("names the stream and id field of every event type", () => {
    for (const t of eventTypes) {
      const { category, idField } = EventCatalogue[t]
      expect(page).toContain(`#### \`${t}\` (\`${category}-…\`)`)
      expect(page).toContain(`\`${category}-⟨${idField}⟩\``)
    }
  })

  it("lists every rule with its sentence", () => {
    for (const id of ruleIds) expect(page).toContain(`| \`${id}\` | ${RuleCatalogue[id].replace(/\|/g, "\\|")} |`)
  })

  it("has a note for every event type and every field, and none for things that no longer exist", () => {
    expect(Object.keys(EVENT_NOTES).sort()).toEqual([...eventTypes].sort())
    const allFields = new Set(eventTypes.flatMap((t) => payloadFields(t)))
    expect(Object.keys(FIELD_NOTES).sort()).toEqual([...allFields].sort())
  })
})
