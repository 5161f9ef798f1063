/**
 * @xueshi/core — the pure core of xueshi: event schemas, deciders, the log
 * codec and validator, exact arithmetic and calendars.
 *
 * @since 0.1.0
 */

/** Business dates, instants and year attribution in a time zone. @since 0.1.0 */
export * as Calendar from "./Calendar.js"
/** The decider of class streams. @since 0.1.0 */
export * as ClassDecider from "./ClassDecider.js"
/** The Promise face: a client over a store layer, for callers who do not use Effect. @since 0.1.0 */
export * as Client from "./Client.js"
/** Commands. @since 0.1.0 */
export * as Commands from "./Commands.js"
/** The decider of credit streams. @since 0.1.0 */
export * as CreditDecider from "./CreditDecider.js"
/** The decider shape. @since 0.1.0 */
export * as Decider from "./Decider.js"
/** The district report: one typed value with a stable JSON form. @since 0.1.0 */
export * as DistrictReport from "./DistrictReport.js"
/** The log line codec and upcasters. @since 0.1.0 */
export * as EventCodec from "./EventCodec.js"
/** Event payload schemas and the event catalogue. @since 0.1.0 */
export * as Events from "./Events.js"
/** Exact hours (integers of 0.01 hour). @since 0.1.0 */
export * as Hours from "./Hours.js"
/** Branded ids. @since 0.1.0 */
export * as Ids from "./Ids.js"
/** Plain inputs at the boundary: commands, ids, dates and hours validated and branded. @since 0.1.0 */
export * as Input from "./Input.js"
/** JSON Schemas of the log line, every payload and the policy-set file, generated from the schemas. @since 0.1.0 */
export * as JsonSchemas from "./JsonSchemas.js"
/** The ledger: one fact store, credit derived under a policy set, every answer. @since 0.1.0 */
export * as Ledger from "./Ledger.js"
/** Where a log comes from: text, lines, async lines or a Stream. @since 0.1.0 */
export * as LogSource from "./LogSource.js"
/** The log validator. @since 0.1.0 */
export * as LogValidator from "./LogValidator.js"
/** The decider of member streams. @since 0.1.0 */
export * as MemberDecider from "./MemberDecider.js"
/** Credit determination: accrual with deterministic grant ids. @since 0.1.0 */
export * as Accrual from "./policy/Accrual.js"
/** The class-completion projection. @since 0.1.0 */
export * as ClassCompletion from "./policy/ClassCompletion.js"
/** Completion rules of classes. @since 0.1.0 */
export * as CompletionRule from "./policy/CompletionRule.js"
/** Course-mix rules and their exact evaluation. @since 0.1.0 */
export * as CourseMix from "./policy/CourseMix.js"
/** The course-mix projection. @since 0.1.0 */
export * as CourseMixProjection from "./policy/CourseMixProjection.js"
/** Credit policies: minutes → hours, caps, year split, carry-over. @since 0.1.0 */
export * as CreditPolicy from "./policy/CreditPolicy.js"
/** Explanations of compliance answers. @since 0.1.0 */
export * as Explanation from "./policy/Explanation.js"
/** Dated facts of a log and business dates (as-of semantics). @since 0.1.0 */
export * as Facts from "./policy/Facts.js"
/** The member-compliance projection. @since 0.1.0 */
export * as MemberCompliance from "./policy/MemberCompliance.js"
/** Policy sets: schema, decoding with the path of a bad field. @since 0.1.0 */
export * as PolicySet from "./policy/PolicySet.js"
/** Preset policies, each with its source. @since 0.1.0 */
export * as Presets from "./policy/Presets.js"
/** The projection shape (initial, apply, query, encodeState, decodeState). @since 0.1.0 */
export * as Projection from "./policy/Projection.js"
/** Requirements: who, window, thresholds, what counts, pacing, joiners. @since 0.1.0 */
export * as Requirement from "./policy/Requirement.js"
/** The school roll-up projection. @since 0.1.0 */
export * as RollupTally from "./policy/RollupTally.js"
export * as SchoolRollup from "./policy/SchoolRollup.js"
/** Exact rational shares. @since 0.1.0 */
export * as Rational from "./Rational.js"
/** Integrity across streams: the reference rules shared by validation and command handling. @since 0.1.0 */
export * as References from "./References.js"
/** The rule catalogue and rule violations. @since 0.1.0 */
export * as Rules from "./Rules.js"
/** The decider of school streams. @since 0.1.0 */
export * as SchoolDecider from "./SchoolDecider.js"
/** The stream kinds by category. @since 0.1.0 */
export * as StreamKinds from "./StreamKinds.js"
/** Stream names. @since 0.1.0 */
export * as StreamName from "./StreamName.js"
/** Strict JSON lines: no repeated key, bounded length and nesting; UTF-8 decoding that refuses invalid bytes. @since 0.1.0 */
export * as StrictJson from "./StrictJson.js"
/** Appends to several streams as one all-or-nothing write: the optional `AppendBatch` service and its rules. @since 0.1.0 */
export * as AppendBatch from "./store/AppendBatch.js"
/** The limits of what an append may store (nesting, line length), checked for every adapter. @since 0.1.0 */
export * as AppendLimits from "./store/AppendLimits.js"
/** Append rules shared by every adapter. @since 0.1.0 */
export * as AppendRules from "./store/AppendRules.js"
/** Checkpoint, projection-state and snapshot stores. @since 0.1.0 */
export * as CheckpointStore from "./store/CheckpointStore.js"
/** Command handling: load, decide, append, retry. @since 0.1.0 */
export * as CommandHandler from "./store/CommandHandler.js"
/** The credit reactor: accrual → CreditGranted/CreditRevoked, exactly once in effect. @since 0.1.0 */
export * as CreditReactor from "./store/CreditReactor.js"
/** The event store port. @since 0.1.0 */
export * as EventStore from "./store/EventStore.js"
/** A ledger kept live over any event store, with its credit derived and recorded. @since 0.1.0 */
export * as LiveLedger from "./store/LiveLedger.js"
/** Import and export by event-log-v1: all or nothing, idempotent, byte-identical round trip. @since 0.1.0 */
export * as LogTransfer from "./store/LogTransfer.js"
/** Spans and metrics of the store, command handling and runners. @since 0.1.0 */
export * as Observability from "./store/Observability.js"
/** The read pagination of every adapter (readStream, readAll), once. @since 0.1.0 */
export * as Pagination from "./store/Pagination.js"
/** Projection runners: batches, checkpoints, leases, lag and rebuilds. @since 0.1.0 */
export * as ProjectionRunner from "./store/ProjectionRunner.js"
/** The typed errors of the store port. @since 0.1.0 */
export * as StoreErrors from "./store/StoreErrors.js"
/** The four store services as one value, and their context: what every adapter's make and layer build. @since 0.1.0 */
export * as StoreServices from "./store/StoreServices.js"
/** Closed vocabularies (tiers, formats, categories, modes). @since 0.1.0 */
export * as Vocabulary from "./Vocabulary.js"
/** What-if: the same history under two policy sets, who changes status, how each school moves. @since 0.1.0 */
export * as WhatIf from "./WhatIf.js"
