/**
 * THE district generator of the kit: one `generateDistrict`, two shapes, one
 * RNG (`Random.ts`), one clock, one set of names, one school tree and one way
 * of writing ids (`district/`).
 *
 * - the Xiqing shape (the default): a deterministic, realistic year of a
 *   district like Tianjin Xiqing in business-time order (the CLI's `generate`,
 *   the demo, the benchmarks; its default output is pinned by the demo's
 *   report digest);
 * - the random shape (`shape: "random"`): the simulation behind the property
 *   tests' arbitrary {@link districtHistory}, small causally valid histories
 *   that reach every event type and every rule's edge (reschedulings,
 *   withdrawals, deregistrations, category changes, exemptions and their
 *   revocation, transfers, corrections to 0 and after completion, sessions at
 *   23:30 on 31 December, capacity and audience, external credit, revocations),
 *   in random interleavings with every envelope variant and id prefix.
 *
 * @since 0.1.0
 */
import type { EventCodec } from "@xueshi/core"
import { type DistrictConfig, defaultDistrict } from "./district/Config.js"
import { toRecord } from "./district/Lines.js"
import { simulateDistrict } from "./district/Simulation.js"
import { type DistrictOptions, xiqingYear } from "./district/Xiqing.js"

export {
  type DistrictConfig,
  defaultDistrict,
  type EnvelopeRates,
  fullEnvelope,
  noEnvelope
} from "./district/Config.js"
export { bigLog, type DistrictSize, district, districtConfig, districtHistory } from "./district/Histories.js"
export {
  type History,
  type HistoryLine,
  lineOf,
  renderLine,
  renderLines,
  renderText,
  toRecord
} from "./district/Lines.js"
export { simulateDistrict } from "./district/Simulation.js"
export { type DistrictOptions, xiqingSchools, xiqingYear } from "./district/Xiqing.js"

/**
 * The random shape's options: a simulated district (unset fields from
 * {@link defaultDistrict}).
 *
 * @category models
 * @since 0.1.0
 */
export interface RandomDistrictOptions extends Partial<DistrictConfig> {
  readonly shape: "random"
}

/**
 * What to generate: the Xiqing year ({@link DistrictOptions}, the default) or
 * a random district ({@link RandomDistrictOptions}).
 *
 * @category models
 * @since 0.1.0
 */
export type GenerateOptions = DistrictOptions | RandomDistrictOptions

/**
 * Generates a district as log records, lazily. Without `shape` (or with
 * `shape: "xiqing"`): the Xiqing year in business-time order, no
 * `version`/`position` (a store or the validator assigns them). With
 * `shape: "random"`: the simulation's history (the lines of
 * {@link simulateDistrict}, with their envelope fields). Deterministic for a
 * given set of options.
 *
 * @category utils
 * @since 0.1.0
 */
export function generateDistrict(options: GenerateOptions = {}): Generator<EventCodec.LogRecord> {
  if (options.shape === "random") {
    const { shape: _, ...config } = options
    return randomRecords({ ...defaultDistrict, ...config })
  }
  return xiqingYear(options)
}

function* randomRecords(config: DistrictConfig): Generator<EventCodec.LogRecord> {
  for (const line of simulateDistrict(config)) yield toRecord(line)
}
