/**
 * The fact store as entries by key, for keyed saves: a projection runner over a
 * store that keeps keyed state saves after a batch only the entries its records
 * changed ({@link keyedFacts}; see `Projection.KeyedEntries`). Re-exported by
 * `Facts`.
 *
 * @since 0.1.0
 */

import type { DomainEvent } from "../Events.js"
import type { ClassFact, FactsState, GrantFact, MemberFact, MemberSessionFact, SchoolFact } from "./Facts.js"
import type { KeyedEntries } from "./Projection.js"
import { fromJsonValue, toJsonValue } from "./Projection.js"

/**
 * The key of the one entry of a fact store that an event changes:
 * `school:<id>`, `member:<id>`, `class:<id>` (the plan, sessions and
 * enrolments), `record:<classId>/<memberId>` (a member's attendance, leave and
 * make-ups in a class) or `grant:<memberId>/<grantId>` (ids never hold `/`
 * before the grant id).
 *
 * @category utils
 * @since 0.1.0
 */
export const factKey = (event: DomainEvent): string => {
  switch (event.type) {
    case "SchoolRegistered":
    case "QuotaClaimed":
      return `school:${event.data.schoolId}`
    case "MemberRegistered":
    case "MemberCategoriesChanged":
    case "MemberTransferred":
    case "MemberDeregistered":
    case "ExemptionGranted":
    case "ExemptionRevoked":
      return `member:${event.data.memberId}`
    case "CreditGranted":
    case "CreditRevoked":
      return `grant:${event.data.memberId}/${event.data.grantId}`
    case "AttendanceRecorded":
    case "LeaveGranted":
    case "MakeUpCompleted":
    case "AttendanceCorrected":
      return `record:${event.data.classId}/${event.data.memberId}`
    default:
      return `class:${event.data.classId}`
  }
}

const byKey = (a: readonly [string, unknown], b: readonly [string, unknown]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)

/** Splits `<a>/<b>` at the first `/`. */
const pair = (id: string): readonly [string, string] | undefined => {
  const slash = id.indexOf("/")
  return slash <= 0 ? undefined : [id.slice(0, slash), id.slice(slash + 1)]
}

/**
 * The fact store as entries (keys of {@link factKey}), each in the JSON form
 * of `encodeState`: a class's entry holds its plan, sessions and enrolments, its
 * members' records are entries of their own, and so is every grant. Decoding
 * puts every map's entries in key order, as `decodeState(encodeState(s))` does.
 *
 * @category utils
 * @since 0.1.0
 */
export const keyedFacts: KeyedEntries<FactsState> = {
  keysOf: (record) => [factKey(record)],
  encodeEntry: (state, key) => {
    const colon = key.indexOf(":")
    const kind = key.slice(0, colon)
    const id = key.slice(colon + 1)
    switch (kind) {
      case "school":
        return state.schools.has(id) ? toJsonValue(state.schools.get(id)) : undefined
      case "member":
        return state.members.has(id) ? toJsonValue(state.members.get(id)) : undefined
      case "class": {
        const c = state.classes.get(id)
        return c === undefined ? undefined : toJsonValue({ ...c, records: undefined })
      }
      case "record": {
        const p = pair(id)
        const r = p === undefined ? undefined : state.classes.get(p[0])?.records.get(p[1])
        return r === undefined ? undefined : toJsonValue(r)
      }
      case "grant": {
        const p = pair(id)
        const g = p === undefined ? undefined : state.credit.get(p[0])?.get(p[1])
        return g === undefined ? undefined : toJsonValue(g)
      }
      default:
        return undefined
    }
  },
  decodeEntries: (entries) => {
    // an empty store (`Facts.emptyFacts()`, written out: no runtime import of Facts, which re-exports this module)
    const state: FactsState = { schools: new Map(), members: new Map(), classes: new Map(), credit: new Map() }
    const sorted = Array.from(entries).sort(byKey)
    // grants by (member, grant) and records by (class, member): the order decodeState(encodeState(s)) gives
    const byPair = (a: readonly [string, string, unknown], b: readonly [string, string, unknown]) =>
      a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0
    const grants: Array<readonly [string, string, unknown]> = []
    const records: Array<readonly [string, string, unknown]> = []
    for (const [key, json] of sorted) {
      const colon = key.indexOf(":")
      const kind = key.slice(0, colon)
      const id = key.slice(colon + 1)
      if (kind === "school") state.schools.set(id, fromJsonValue(json) as SchoolFact)
      else if (kind === "member") state.members.set(id, fromJsonValue(json) as MemberFact)
      else if (kind === "class") state.classes.set(id, { ...(fromJsonValue(json) as ClassFact), records: new Map() })
      else if (kind === "grant" || kind === "record") {
        const p = pair(id)
        if (p !== undefined) (kind === "grant" ? grants : records).push([p[0], p[1], json])
      }
    }
    for (const [memberId, grantId, json] of grants.sort(byPair)) {
      let ledger = state.credit.get(memberId)
      if (ledger === undefined) {
        ledger = new Map()
        state.credit.set(memberId, ledger)
      }
      ledger.set(grantId, fromJsonValue(json) as GrantFact)
    }
    // classes come first: a member's records join their class
    for (const [classId, memberId, json] of records.sort(byPair)) {
      state.classes.get(classId)?.records.set(memberId, fromJsonValue(json) as Map<string, MemberSessionFact>)
    }
    return state
  }
}
