// The district year of D1: THE district generator, District.generateDistrict of @xueshi/testing (the
// demo's and the tests' district; shaped after shared/domain/RULES.md, Tianjin Xiqing: one
// district school, 11 subdistrict/township schools, 271 villages and communities; 38,000
// members give about 1.5 million events), drawn at the demo's seed so that D1 folds exactly
// the district `pnpm demo` reports on. The bench's own seed only seeds the event ids (the
// generator's records carry none; an importer's log would).
import { District } from "@xueshi/testing"
import { recordedAtOf } from "./events.mjs"
import { makeRng, uuid } from "./rng.mjs"

/** The demo's seed (examples/replay-district.mjs): D1 is the demo's district. */
export const DISTRICT_SEED = 2025

/**
 * The year as D1's log entries: the records of the one generator (`District.generateDistrict`
 * of @xueshi/testing) with ids and recording times. Returns `{ entries, schools, members,
 * classes }` where `entries` is the log in global order: `{ stream, event, id, recordedAt }`
 * with runtime events.
 */
export const districtEntries = ({ members = 38_000, seed = 20_250_101 } = {}) => {
  const ids = makeRng(seed)
  const entries = []
  const schools = new Set()
  const classes = new Set()
  for (const r of District.generateDistrict({ members, seed: DISTRICT_SEED, year: 2025 })) {
    if (r.type === "SchoolRegistered") schools.add(r.stream)
    else if (r.type === "ClassPlanned") classes.add(r.stream)
    entries.push({
      stream: r.stream,
      event: { type: r.type, data: r.data },
      id: r.id ?? uuid(ids),
      recordedAt: r.recordedAt ?? recordedAtOf(entries.length)
    })
  }
  return { entries, schools: schools.size, members, classes: classes.size }
}

/**
 * The import plan of a log in global order: runs of consecutive events of one stream become one
 * append (at most `maxBatch` events) with the exact expected version, as an importer does.
 */
export const importPlan = (entries, maxBatch = 1000) => {
  const versions = new Map()
  const appends = []
  let i = 0
  while (i < entries.length) {
    const stream = entries[i].stream
    let j = i + 1
    while (j < entries.length && j - i < maxBatch && entries[j].stream === stream) j++
    const expected = versions.get(stream) ?? 0
    appends.push({ stream, expected, events: entries.slice(i, j) })
    versions.set(stream, expected + (j - i))
    i = j
  }
  return appends
}
