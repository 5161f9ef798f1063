/**
 * Events the conformance suite appends: one simple event type per stream
 * category, numbered, so that a check can tell every event apart by its
 * payload (`numberOf`). The store checks payloads against their schemas but not
 * against the rules of a stream, so any number of them may be appended.
 *
 * @since 0.1.0
 */
import type { EventStore, Events } from "@xueshi/core"

/**
 * The stream categories.
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const categories: ReadonlyArray<Events.StreamCategory> = ["school", "member", "class", "credit"]

/**
 * A valid event of `stream` carrying the number `n` (0 ≤ n ≤ 8000):
 * `QuotaClaimed` (school), `ExemptionGranted` (member), `SessionCancelled`
 * (class), `CreditRevoked` (credit).
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const numbered = (stream: string, n: number): Events.DomainEvent => {
  const dash = stream.indexOf("-")
  const category = stream.slice(0, dash)
  const id = stream.slice(dash + 1)
  switch (category) {
    case "school":
      return {
        type: "QuotaClaimed",
        data: { schoolId: id, year: 2025, traineeTimes: n }
      } as unknown as Events.DomainEvent
    case "member":
      return {
        type: "ExemptionGranted",
        data: { memberId: id, year: 1900 + n, reason: "other" }
      } as unknown as Events.DomainEvent
    case "class":
      return {
        type: "SessionCancelled",
        data: { classId: id, sessionId: `S${n}`, reason: "weather" }
      } as unknown as Events.DomainEvent
    case "credit":
      return {
        type: "CreditRevoked",
        data: { memberId: id, grantId: `G${n}`, reason: "correction", at: "2025-03-04T19:00:00+08:00" }
      } as unknown as Events.DomainEvent
    default:
      throw new Error(`not a stream of event-log-v1: ${stream}`)
  }
}

/**
 * The number an event of {@link numbered} carries.
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const numberOf = (event: { readonly type: string; readonly data: unknown }): number => {
  const d = event.data as Record<string, unknown>
  switch (event.type) {
    case "QuotaClaimed":
      return d.traineeTimes as number
    case "ExemptionGranted":
      return (d.year as number) - 1900
    case "SessionCancelled":
      return Number(String(d.sessionId).slice(1))
    case "CreditRevoked":
      return Number(String(d.grantId).slice(1))
    default:
      return -1
  }
}

/**
 * The event type {@link numbered} uses in a category.
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const typeOfCategory: Readonly<Record<Events.StreamCategory, Events.EventType>> = {
  school: "QuotaClaimed",
  member: "ExemptionGranted",
  class: "SessionCancelled",
  credit: "CreditRevoked"
}

/**
 * Events to append: {@link numbered} events `from`, `from + 1`, … with ids when `ids` is given.
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const toAppend = (
  stream: string,
  numbers: ReadonlyArray<number>,
  ids?: (n: number) => string
): Array<EventStore.EventToAppend> =>
  numbers.map((n) => (ids === undefined ? { event: numbered(stream, n) } : { event: numbered(stream, n), id: ids(n) }))

/**
 * A deterministic UUID (version-4 layout) from a number and a salt, for event ids.
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const uuidOf = (n: number, salt = 0): string => {
  const hex = (v: number, width: number) => (v >>> 0).toString(16).padStart(width, "0").slice(-width)
  const a = Math.imul(n + 1, 2654435761) ^ salt
  const b = Math.imul(salt + 7, 40503) ^ n
  return `${hex(a, 8)}-${hex(n >>> 16, 4)}-4${hex(n, 3)}-8${hex(salt, 3)}-${hex(b, 4)}${hex(n, 8)}`
}

/**
 * Events whose append must fail with `EventEncodingError`: a payload that fails
 * its schema, a payload whose id disagrees with the stream, an event type of
 * another category.
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const invalid = (stream: string, kind: "schema" | "idMismatch" | "category"): Events.DomainEvent => {
  const good = numbered(stream, 1) as unknown as { type: string; data: Record<string, unknown> }
  switch (kind) {
    case "schema":
      return {
        type: good.type,
        data: good.type === "QuotaClaimed" ? { ...good.data, traineeTimes: -5 } : { ...good.data, reason: "" }
      } as unknown as Events.DomainEvent
    case "idMismatch": {
      const idField = Object.keys(good.data)[0] as string
      return { type: good.type, data: { ...good.data, [idField]: "SomebodyElse" } } as unknown as Events.DomainEvent
    }
    case "category": {
      const other = stream.startsWith("school-") ? "member-X" : "school-X"
      return numbered(other, 1)
    }
  }
}
