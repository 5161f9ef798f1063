/**
 * What opening or repairing a file store did (see docs/adapters/file-recovery.md).
 *
 * @since 0.1.0
 */

/**
 * A region cut from the end of a segment and kept in a quarantine file.
 *
 * @category models
 * @since 0.1.0
 */
export interface QuarantinedRegion {
  /** The segment file (relative to the store directory), e.g. `segments/00000000000000000001.jsonl`. */
  readonly segment: string
  /** The byte offset in the segment where the cut starts. */
  readonly offset: number
  /** The 1-based line number of the first cut line. */
  readonly line: number
  /** How many bytes were cut. */
  readonly bytes: number
  /** How many lines (complete or not) the cut bytes hold. */
  readonly lines: number
  /** How many of those lines are intact records (valid checksum): events of an unfinished append. */
  readonly intactRecords: number
  /** Why the region was cut. */
  readonly reason: string
  /** The quarantine file holding the bytes (relative to the store directory). */
  readonly quarantine: string
}

/**
 * What opening a store did.
 *
 * @category models
 * @since 0.1.0
 */
export interface RecoveryReport {
  /** Whether the store was created by this open. */
  readonly created: boolean
  /** Segments and events found. */
  readonly segments: number
  readonly events: number
  /** Bytes parsed line by line (the parts not covered by a verified summary). */
  readonly scannedBytes: number
  /** Segment summaries that were missing or invalid and were rebuilt by scanning (files relative to the store). */
  readonly summariesRebuilt: ReadonlyArray<string>
  /** A torn tail cut back to the last complete append (writers only; readers leave it alone). */
  readonly tornTail: QuarantinedRegion | undefined
  /** Leftover temporary files removed. */
  readonly tempFilesRemoved: number
}

/**
 * What `repairFileStore` did: everything from the first bad record on was
 * moved into quarantine.
 *
 * @category models
 * @since 0.1.0
 */
export interface RepairReport {
  /** Whether anything was wrong. */
  readonly repaired: boolean
  /** Where the first problem was (`segments/<file> byte <offset> line <n>`) and what it was. */
  readonly location: string | undefined
  readonly problem: string | undefined
  /** The part of the damaged segment that was set aside, if any. */
  readonly cut: QuarantinedRegion | undefined
  /** Whole later segments that were set aside (quarantine file names). */
  readonly segmentsSetAside: ReadonlyArray<string>
  /** Lines set aside in all (each line of a segment is meant to be one event). */
  readonly eventsSetAside: number
  /** Of those, how many were intact records (valid checksum). */
  readonly intactEventsSetAside: number
  /** Events a segment summary promised that are no longer on disk (a truncated segment). */
  readonly eventsMissing: number
  /** Events in the store after the repair. */
  readonly eventsKept: number
}
