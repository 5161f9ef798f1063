// Type-level smoke test of the BUILT declarations from a CommonJS consumer (module nodenext,
// no "@xueshi/source" condition): schemas and their types must both survive the build.
import { EventCodec, type Events, Hours, Ids, LogValidator } from "@xueshi/core"
import { Schema } from "effect"

const id: Ids.SchoolId = Schema.decodeUnknownSync(Ids.SchoolId)("XQ")
const tier: Events.StreamCategory = "school"
const h: Hours.Hours = Hours.make(125)
const report: LogValidator.ValidationReport = LogValidator.validateLines([])
const line: string = EventCodec.EventLogCodec.encodeLine({
  stream: `school-${id}`,
  type: "SchoolRegistered",
  data: { schoolId: id, name: "区委党校", tier: "district" },
  schemaVersion: 1
})
export const values = [tier, h, report.ok, line]
