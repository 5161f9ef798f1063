/** Arbitraries of ids, payloads, events, commands and log records. @since 0.1.0 */
export * as Arbitraries from "./Arbitraries.js"
/** The event store conformance suite (also exported as `eventStoreConformance`). @since 0.1.0 */
export * as Conformance from "./conformance/EventStoreConformance.js"
/** Registers the event store conformance suite for an adapter's layer. @since 0.1.0 */
export { eventStoreConformance } from "./conformance/EventStoreConformance.js"
/** Given / when / then specification tables of deciders. @since 0.1.0 */
export * as DeciderSpec from "./DeciderSpec.js"
/** THE district generator: the Xiqing year (default) and random valid histories, one `generateDistrict`. @since 0.1.0 */
export * as District from "./District.js"
/** @deprecated use `District` (the same `generateDistrict`, Xiqing shape). @since 0.1.0 */
export * as DistrictGenerator from "./DistrictGenerator.js"
/** @deprecated use `District` (the same histories, arbitraries and rendering). @since 0.1.0 */
export * as DistrictHistory from "./DistrictHistory.js"
/** Invalid histories that break one rule at a known line. @since 0.1.0 */
export * as Mutations from "./Mutations.js"
/** A structural normal form of decider states. @since 0.1.0 */
export * as Normalize from "./Normalize.js"
/** THE seeded random source (splitmix32 as a pure-rand generator). @since 0.1.0 */
export * as Random from "./Random.js"
/** Registering vitest tests without importing vitest. @since 0.1.0 */
export * as Registrar from "./Registrar.js"
/** Commands aimed at the streams of a history. @since 0.1.0 */
export * as TargetedCommands from "./TargetedCommands.js"
