/**
 * The shape of one district of the random shape (the simulation): its seed,
 * year, sizes, id prefix and how often each optional envelope field is written.
 *
 * @since 0.1.0
 */

/**
 * How often each optional envelope field is written (a probability per line).
 *
 * @category models
 * @since 0.1.0
 */
export interface EnvelopeRates {
  readonly versions: number
  readonly ids: number
  readonly positions: number
  readonly recordedAt: number
  readonly meta: number
}

/**
 * The exact shape of one simulated district.
 *
 * @category models
 * @since 0.1.0
 */
export interface DistrictConfig {
  readonly seed: number
  /** The training year (sessions, credit, quotas). */
  readonly year: number
  readonly subdistricts: number
  /** Community/village schools under each subdistrict/township school. */
  readonly communitiesPerSubdistrict: number
  readonly teachingPoints: number
  readonly members: number
  readonly classes: number
  /** Sessions per class: from 1 to this. */
  readonly maxSessionsPerClass: number
  /** Enrolments attempted per class: from 1 to this. */
  readonly maxEnrolmentsPerClass: number
  /** Prefix of every school, member and class id (several districts can share a log). */
  readonly prefix: string
  readonly envelope: EnvelopeRates
  /** The first global position written (default 1). */
  readonly firstPosition?: number
}

/**
 * No optional envelope field at all.
 *
 * @category utils
 * @since 0.1.0
 */
export const noEnvelope: EnvelopeRates = { versions: 0, ids: 0, positions: 0, recordedAt: 0, meta: 0 }

/**
 * Every optional envelope field on every line.
 *
 * @category utils
 * @since 0.1.0
 */
export const fullEnvelope: EnvelopeRates = { versions: 1, ids: 1, positions: 1, recordedAt: 1, meta: 1 }

/**
 * A small default district.
 *
 * @category utils
 * @since 0.1.0
 */
export const defaultDistrict: DistrictConfig = {
  seed: 1,
  year: 2025,
  subdistricts: 2,
  communitiesPerSubdistrict: 2,
  teachingPoints: 1,
  members: 20,
  classes: 4,
  maxSessionsPerClass: 4,
  maxEnrolmentsPerClass: 8,
  prefix: "",
  envelope: noEnvelope
}
