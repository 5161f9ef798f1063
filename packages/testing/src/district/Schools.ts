/**
 * The school network of a district and its ids: the district school `XQ`,
 * subdistrict/township schools `XQ-S…`, community/village schools under them
 * `…-C…` and teaching points `…-T…`, with the `SchoolRegistered` payload of a
 * school. Both shapes build their tree from these.
 *
 * @since 0.1.0
 */
import type { Vocabulary } from "@xueshi/core"
import { DISTRICT_SCHOOL_NAME } from "./Names.js"

/**
 * How ids are written: the digits of a subdistrict and of a community number
 * (zero-padded to that width, 0 for none) and the mark of a teaching point.
 *
 * @category models
 * @since 0.1.0
 */
export interface IdStyle {
  readonly subdistrictWidth: number
  readonly communityWidth: number
  readonly teachingPoint: "T" | "TP"
}

/**
 * The Xiqing year's ids: `XQ-S01`, `XQ-S01-C001`, `XQ-S01-T1`.
 *
 * @category utils
 * @since 0.1.0
 */
export const xiqingIds: IdStyle = { subdistrictWidth: 2, communityWidth: 3, teachingPoint: "T" }
/**
 * The random shape's ids: `XQ-S1`, `XQ-S1-C1`, `XQ-S1-C1-TP1`.
 *
 * @category utils
 * @since 0.1.0
 */
export const shortIds: IdStyle = { subdistrictWidth: 0, communityWidth: 0, teachingPoint: "TP" }

/**
 * The id of the district school.
 *
 * @category constants
 * @since 0.1.0
 */
export const DISTRICT_SCHOOL = "XQ"

const pad = (n: number, width: number) => String(n).padStart(width, "0")

/**
 * The id of the `n`th subdistrict/township school (from 1).
 *
 * @category utils
 * @since 0.1.0
 */
export const subdistrictId = (style: IdStyle, n: number, prefix = ""): string =>
  `${prefix}${DISTRICT_SCHOOL}-S${pad(n, style.subdistrictWidth)}`
/**
 * The id of the `n`th community/village school under `parent` (from 1).
 *
 * @category utils
 * @since 0.1.0
 */
export const communityId = (style: IdStyle, parent: string, n: number): string =>
  `${parent}-C${pad(n, style.communityWidth)}`
/**
 * The id of the `n`th teaching point under `parent` (from 1).
 *
 * @category utils
 * @since 0.1.0
 */
export const teachingPointId = (style: IdStyle, parent: string, n: number): string =>
  `${parent}-${style.teachingPoint}${n}`

/**
 * A school of the tree.
 *
 * @category models
 * @since 0.1.0
 */
export interface SchoolNode {
  readonly id: string
  readonly tier: Vocabulary.SchoolTier
  readonly parentId?: string
  readonly name: string
  readonly children: Array<SchoolNode>
}

/**
 * The district school, the root of the tree.
 *
 * @category utils
 * @since 0.1.0
 */
export const districtSchool = (prefix = ""): SchoolNode => ({
  id: `${prefix}${DISTRICT_SCHOOL}`,
  tier: "district",
  name: DISTRICT_SCHOOL_NAME,
  children: []
})

/**
 * Adds a school under `parent` and returns it.
 *
 * @category utils
 * @since 0.1.0
 */
export const addSchool = (parent: SchoolNode, id: string, tier: Vocabulary.SchoolTier, name: string): SchoolNode => {
  const school: SchoolNode = { id, tier, parentId: parent.id, name, children: [] }
  parent.children.push(school)
  return school
}

/**
 * The tier of a school under a subdistrict (`village` under a township).
 *
 * @category utils
 * @since 0.1.0
 */
export const lowerTier = (parent: Vocabulary.SchoolTier): Vocabulary.SchoolTier =>
  parent === "township" ? "village" : "community"

/**
 * The `SchoolRegistered` payload of a school.
 *
 * @category utils
 * @since 0.1.0
 */
export const registration = (s: SchoolNode) => ({
  schoolId: s.id,
  name: s.name,
  tier: s.tier,
  ...(s.parentId === undefined ? {} : { parentId: s.parentId })
})
