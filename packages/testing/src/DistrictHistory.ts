/**
 * Valid, plausible district histories and their rendering to log lines: the
 * random shape of the district generator (`District.ts`), under the names the
 * tests have always used.
 *
 * @deprecated use `District` (the same names) and `Random` (for `makeRandom`)
 * @since 0.1.0
 */
// the random shape's names, from the one generator
// biome-ignore format: one line, not a second copy of District's export list
export { bigLog, type DistrictConfig, type DistrictSize, defaultDistrict, district, districtConfig, districtHistory, type EnvelopeRates, fullEnvelope, type History, type HistoryLine, lineOf, noEnvelope, renderLine, renderLines, renderText, simulateDistrict, toRecord } from "./District.js"
/**
 * The seeded random source of the kit (see `Random.ts`), re-exported here where
 * histories and mutations have always found it.
 *
 * @since 0.1.0
 */
export { makeRandom, type Random } from "./Random.js"
