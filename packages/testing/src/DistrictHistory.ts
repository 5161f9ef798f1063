/**
 * Valid, plausible district histories and their rendering to log lines: the
 * random shape of the district generator (`District.ts`), under the names the
 * tests have always used.
 *
 * @deprecated use `District` (the same names) and `Random` (for `makeRandom`)
 * @since 0.1.0
 */
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
/**
 * The seeded random source of the kit (see `Random.ts`), re-exported here where
 * histories and mutations have always found it.
 *
 * @since 0.1.0
 */
export { makeRandom, type Random } from "./Random.js"
