/**
 * Histories of the random shape: whole districts, their fast-check
 * arbitraries (fc over the simulation's configuration) and big lazy logs.
 *
 * @since 0.1.0
 */
import { EventCodec } from "@xueshi/core"
import fc from "fast-check"
import { type DistrictConfig, defaultDistrict, type EnvelopeRates } from "./Config.js"
import { type History, type HistoryLine, toRecord } from "./Lines.js"
import { simulateDistrict } from "./Simulation.js"

/**
 * Simulates one district and returns its whole history.
 *
 * @category utils
 * @since 0.1.0
 */
export const district = (config: Partial<DistrictConfig> = {}): Array<HistoryLine> => [
  ...simulateDistrict({ ...defaultDistrict, ...config })
]

/**
 * Upper bounds of a generated district's size, and how its envelopes are
 * written (`"random"`: rates chosen per history; or fixed rates).
 *
 * @category models
 * @since 0.1.0
 */
export interface DistrictSize {
  readonly subdistricts?: number
  readonly communitiesPerSubdistrict?: number
  readonly teachingPoints?: number
  readonly members?: number
  readonly classes?: number
  readonly sessionsPerClass?: number
  readonly enrolmentsPerClass?: number
  readonly envelope?: "random" | EnvelopeRates
}

/**
 * The configurations of generated districts (seed, year, sizes up to the bounds).
 *
 * @category utils
 * @since 0.1.0
 */
export const districtConfig = (size: DistrictSize = {}): fc.Arbitrary<DistrictConfig> => {
  const rate = fc.constantFrom(0, 0, 0.5, 1)
  const envelope: fc.Arbitrary<EnvelopeRates> =
    size.envelope === undefined || size.envelope === "random"
      ? fc.record({ versions: rate, ids: rate, positions: rate, recordedAt: rate, meta: rate })
      : fc.constant(size.envelope)
  return fc.record({
    seed: fc.integer(),
    year: fc.integer({ min: 2019, max: 2030 }),
    subdistricts: fc.integer({ min: 1, max: Math.max(1, size.subdistricts ?? 3) }),
    communitiesPerSubdistrict: fc.integer({ min: 0, max: size.communitiesPerSubdistrict ?? 3 }),
    teachingPoints: fc.integer({ min: 0, max: size.teachingPoints ?? 2 }),
    members: fc.integer({ min: 1, max: Math.max(1, size.members ?? 24) }),
    classes: fc.integer({ min: 1, max: Math.max(1, size.classes ?? 5) }),
    maxSessionsPerClass: fc.integer({ min: 1, max: Math.max(1, size.sessionsPerClass ?? 5) }),
    maxEnrolmentsPerClass: fc.integer({ min: 1, max: Math.max(1, size.enrolmentsPerClass ?? 10) }),
    prefix: fc.constantFrom("", "", "D1.", "xq:"),
    envelope
  })
}

/**
 * Valid, plausible district histories (see the module comment). Sizes are
 * bounded by `size`.
 *
 * @category utils
 * @since 0.1.0
 */
export const districtHistory = (size: DistrictSize = {}): fc.Arbitrary<History> =>
  districtConfig(size).map((c) => [...simulateDistrict(c)])

/**
 * A lazily generated log of (at least) `lines` lines: districts with distinct id
 * prefixes one after another, each line encoded by the codec as it is consumed.
 * Nothing but the current district's simulation is held in memory.
 *
 * @category utils
 * @since 0.1.0
 */
export function* bigLog(options: {
  readonly lines: number
  readonly seed?: number
  readonly district?: Partial<DistrictConfig>
  readonly codec?: EventCodec.EventCodec
}): Generator<string, void, undefined> {
  const codec = options.codec ?? EventCodec.EventLogCodec
  let n = 0
  for (let k = 0; n < options.lines; k++) {
    const config: DistrictConfig = {
      ...defaultDistrict,
      subdistricts: 3,
      communitiesPerSubdistrict: 3,
      members: 60,
      classes: 8,
      maxSessionsPerClass: 6,
      maxEnrolmentsPerClass: 20,
      ...options.district,
      seed: (options.seed ?? 1) + k,
      prefix: `D${k}.`
    }
    for (const line of simulateDistrict(config)) {
      if (n >= options.lines) return
      yield codec.encodeLine(toRecord(line))
      n++
    }
  }
}
