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
/** Commands. @since 0.1.0 */
export * as Commands from "./Commands.js"
/** The decider of credit streams. @since 0.1.0 */
export * as CreditDecider from "./CreditDecider.js"
/** The decider shape. @since 0.1.0 */
export * as Decider from "./Decider.js"
/** The log line codec and upcasters. @since 0.1.0 */
export * as EventCodec from "./EventCodec.js"
/** Event payload schemas and the event catalogue. @since 0.1.0 */
export * as Events from "./Events.js"
/** Exact hours (integers of 0.01 hour). @since 0.1.0 */
export * as Hours from "./Hours.js"
/** Branded ids. @since 0.1.0 */
export * as Ids from "./Ids.js"
/** The log validator. @since 0.1.0 */
export * as LogValidator from "./LogValidator.js"
/** The decider of member streams. @since 0.1.0 */
export * as MemberDecider from "./MemberDecider.js"
/** Exact rational shares. @since 0.1.0 */
export * as Rational from "./Rational.js"
/** The rule catalogue and rule violations. @since 0.1.0 */
export * as Rules from "./Rules.js"
/** The decider of school streams. @since 0.1.0 */
export * as SchoolDecider from "./SchoolDecider.js"
/** The stream kinds by category. @since 0.1.0 */
export * as StreamKinds from "./StreamKinds.js"
/** Stream names. @since 0.1.0 */
export * as StreamName from "./StreamName.js"
/** Append rules shared by every adapter. @since 0.1.0 */
export * as AppendRules from "./store/AppendRules.js"
/** Checkpoint, projection-state and snapshot stores. @since 0.1.0 */
export * as CheckpointStore from "./store/CheckpointStore.js"
/** The event store port. @since 0.1.0 */
export * as EventStore from "./store/EventStore.js"
/** The typed errors of the store port. @since 0.1.0 */
export * as StoreErrors from "./store/StoreErrors.js"
/** Closed vocabularies (tiers, formats, categories, modes). @since 0.1.0 */
export * as Vocabulary from "./Vocabulary.js"
