/**
 * Explanations of compliance answers: every grant in the window, whether it
 * counts (and for how much), or why it does not (a filter of the requirement, a
 * yearly cap of the credit policy, a revocation). `render` writes one as text.
 *
 * @since 0.1.0
 */
import type { LocalDate } from "../Calendar.js"
import type { CreditSource } from "../Events.js"
import * as Hours from "../Hours.js"

/**
 * Why (part of) a grant does not count.
 *
 * - `filter`: the requirement's `counts` filter rejects the grant's `field`
 *   (its value, and the values allowed);
 * - `cap`: the yearly cap `capId` (at most `maxHours` in `year`) was reached;
 * - `revoked`: the grant was revoked (with the revocation's reason).
 *
 * @category models
 * @since 0.1.0
 */
export type ExclusionReason =
  | {
      readonly kind: "filter"
      readonly field: "modes" | "categories" | "formats" | "sources"
      readonly value: string | undefined
      readonly allowed: ReadonlyArray<string>
    }
  | { readonly kind: "cap"; readonly capId: string; readonly maxHours: Hours.Hours; readonly year: number }
  | { readonly kind: "revoked"; readonly reason: string }

/**
 * A grant as the explanation lists it.
 *
 * @category models
 * @since 0.1.0
 */
export interface GrantLine {
  readonly grantId: string
  readonly year: number
  readonly date: LocalDate
  /** Hours granted. */
  readonly granted: Hours.Hours
  readonly source: CreditSource
  readonly category?: string
  readonly mode?: string
  readonly format?: string
}

/**
 * A grant that counts: `hours` of its `granted` hours (less when a cap cut it).
 *
 * @category models
 * @since 0.1.0
 */
export interface CountedGrant extends GrantLine {
  readonly hours: Hours.Hours
}

/**
 * A grant, or the part of one, that does not count: `hours` of it, and why.
 *
 * @category models
 * @since 0.1.0
 */
export interface ExcludedGrant extends GrantLine {
  readonly hours: Hours.Hours
  readonly reason: ExclusionReason
}

/**
 * An explanation: the counted grants, the excluded ones (a grant cut by a cap
 * appears in both, with the counted and the excluded part), hours carried over
 * from the previous year, and grants after the as-of date (`later`, not listed).
 *
 * @category models
 * @since 0.1.0
 */
export interface Explanation {
  readonly counted: ReadonlyArray<CountedGrant>
  readonly excluded: ReadonlyArray<ExcludedGrant>
  readonly carriedOver?: { readonly fromYear: number; readonly hours: Hours.Hours }
}

/**
 * Where a grant comes from, as text: `class C1 session S1` or `external 网院 #42`.
 *
 * @category rendering
 * @since 0.1.0
 */
export const describeSource = (source: CreditSource): string =>
  source.kind === "session"
    ? `class ${source.classId} session ${source.sessionId}`
    : `external ${source.system} ${source.reference}`

/**
 * Why a grant is excluded, as text.
 *
 * @category rendering
 * @since 0.1.0
 */
export const describeReason = (reason: ExclusionReason): string => {
  switch (reason.kind) {
    case "filter":
      return `filter ${reason.field}: ${reason.value ?? "(none)"} is not one of ${reason.allowed.join(", ")}`
    case "cap":
      return `cap ${reason.capId}: at most ${Hours.format(reason.maxHours)} h in ${reason.year}, already reached`
    case "revoked":
      return `revoked: ${reason.reason}`
  }
}

/**
 * An explanation as text lines, counted grants first:
 *
 * ```
 * + 2.00 h  2025-03-04  class C1 session S1 (theory, inPerson)  [s:C1:S1:a90/90:2025:r1]
 * - 1.00 h  2025-05-02  external 网院 42: cap online: at most 8.00 h in 2025, already reached
 * ```
 *
 * @category rendering
 * @since 0.1.0
 */
export const render = (e: Explanation): Array<string> => {
  const detail = (g: GrantLine) => {
    const tags = [g.category, g.mode, g.format].filter((x) => x !== undefined)
    return `${describeSource(g.source)}${tags.length > 0 ? ` (${tags.join(", ")})` : ""}`
  }
  const lines: Array<string> = []
  if (e.carriedOver !== undefined) {
    lines.push(`+ ${Hours.format(e.carriedOver.hours)} h  carried over from ${e.carriedOver.fromYear}`)
  }
  for (const g of e.counted) {
    const of = g.hours === g.granted ? "" : ` of ${Hours.format(g.granted)}`
    lines.push(`+ ${Hours.format(g.hours)} h${of}  ${g.date}  ${detail(g)}  [${g.grantId}]`)
  }
  for (const g of e.excluded) {
    lines.push(`- ${Hours.format(g.hours)} h  ${g.date}  ${detail(g)}: ${describeReason(g.reason)}  [${g.grantId}]`)
  }
  return lines
}
