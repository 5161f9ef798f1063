// The projection fold of W4 and the checksums every replay is compared by. The same code folds
// the adapters' decoded StoredEvents (hours in 0.01 h) and the floors' parsed wire records
// (hours as decimals: `wire = true`), so equal checksums mean equal histories.
import { hashString, mix } from "./rng.mjs"

const TYPE_CODES = new Map()
const typeCode = (t) => {
  let c = TYPE_CODES.get(t)
  if (c === undefined) {
    c = hashString(t)
    TYPE_CODES.set(t, c)
  }
  return c
}

/** A fold of the global log: credit hours per member, attended minutes per class, events per type, and an order-sensitive hash. */
export const makeFold = ({ wire = false } = {}) => {
  let n = 0
  let h = 0x811c9dc5
  let lastPosition = 0
  let disorder = 0
  const hours = new Map()
  const minutes = new Map()
  const types = new Map()
  const apply = (r) => {
    n++
    if (r.position <= lastPosition) disorder++
    lastPosition = r.position
    // the ordinal, not the position: positions may have gaps (the port allows them); their order
    // is checked by `disorder`, so equal checksums still mean the same events in the same order
    h = mix(h, n)
    h = mix(h, r.version)
    h = mix(h, hashString(r.stream))
    h = mix(h, r.id === undefined || r.id === null ? 0 : hashString(r.id))
    const tc = typeCode(r.type)
    h = mix(h, tc)
    types.set(r.type, (types.get(r.type) ?? 0) + 1)
    const d = r.data
    switch (r.type) {
      case "CreditGranted": {
        const centi = wire ? Math.round(d.hours * 100) : d.hours
        hours.set(d.memberId, (hours.get(d.memberId) ?? 0) + centi)
        h = mix(h, centi)
        break
      }
      case "AttendanceRecorded":
      case "MakeUpCompleted":
        minutes.set(d.classId, (minutes.get(d.classId) ?? 0) + d.minutes)
        h = mix(h, d.minutes)
        break
      default:
        break
    }
  }
  const digest = () => {
    let d = h
    for (const [k, v] of hours) d = mix(mix(d, hashString(k)), v)
    for (const [k, v] of minutes) d = mix(mix(d, hashString(k)), v)
    return {
      events: n,
      checksum: d.toString(16).padStart(8, "0"),
      disorder,
      members: hours.size,
      classes: minutes.size
    }
  }
  return { apply, digest }
}

/** An order-independent checksum of a set of event ids (sum of their hashes, and a count). */
export const idSetChecksum = (ids) => {
  let sum = 0
  let x = 0
  for (const id of ids) {
    const v = hashString(id)
    sum = (sum + v) % 4294967296
    x = (x ^ Math.imul(v, 2654435761)) >>> 0
  }
  return `${sum.toString(16)}:${x.toString(16)}`
}
