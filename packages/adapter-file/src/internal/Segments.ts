/**
 * The segment files: the configuration, the read handles, summaries (loading,
 * checking, writing), the active segment's roll and cut-back.
 *
 * @internal
 */
import type { FileHandle } from "node:fs/promises"
import { open, readdir } from "node:fs/promises"
import { join } from "node:path"
import type { EventCodec } from "@xueshi/core"
import { Result } from "effect"
import {
  decodeSummary,
  encodeSummary,
  parseFramedLine,
  parseSegmentFileName,
  type SegmentSummary,
  SUMMARY_FORMAT,
  SummaryRefused,
  segmentFileName
} from "../FileFormat.js"
import type { AckWriter } from "./Acknowledged.js"
import { unavailable } from "./Errors.js"
import { type Io, isNotFound, readIfExists } from "./Io.js"
import { LogIndex, Segment } from "./SegmentIndex.js"

export type Durability = "always" | "grouped" | "never"

export interface LogConfig {
  readonly directory: string
  readonly durability: Durability
  readonly segmentBytes: number
  readonly summaryIntervalBytes: number
  readonly readOnly: boolean
  readonly verify: "quick" | "full"
  /** Keep the acknowledged mark (see Acknowledged.ts). */
  readonly recordAcknowledged: boolean
  readonly codec: EventCodec.EventCodec
  readonly io: Io
}

export const SEGMENTS_DIR = "segments"
export const QUARANTINE_DIR = "quarantine"
export const FORMAT_FILE = "FORMAT"
export const STORE_FORMAT = "xueshi-file-store/1"

export const summaryFileName = (segment: string) => segment.replace(/\.jsonl$/, ".summary.json")

/** The segment files of a log, over its index. */
export class SegmentFiles extends LogIndex {
  readonly segmentsDir: string
  protected active: FileHandle | undefined
  protected ack: AckWriter | undefined
  protected readonly readers = new Map<string, Promise<FileHandle>>()
  protected dirtyTail = false
  protected closed = false
  scannedBytes = 0

  constructor(readonly config: LogConfig) {
    super()
    this.segmentsDir = join(config.directory, SEGMENTS_DIR)
  }

  protected async listSegments(): Promise<Array<string>> {
    let entries: Array<string>
    try {
      entries = await readdir(this.segmentsDir)
    } catch (e) {
      if (isNotFound(e) && this.config.readOnly) return []
      throw e
    }
    return entries.filter((n) => parseSegmentFileName(n) !== undefined).sort()
  }

  /** The summary of a segment: `undefined` if it has none, `SummaryRefused` if it cannot be trusted. */
  protected async loadSummary(name: string): Promise<SegmentSummary | SummaryRefused | undefined> {
    const bytes = await readIfExists(join(this.segmentsDir, summaryFileName(name)))
    if (bytes === undefined) return undefined
    const s = decodeSummary(bytes)
    if (Result.isFailure(s)) return s.failure
    if (s.success.segment !== name) return new SummaryRefused({ message: "summary: names another segment" })
    return s.success
  }

  /** Cheap check of a summary: its last record is where it says, intact, and ends an append. */
  protected async verifySummary(seg: Segment, s: SegmentSummary): Promise<boolean> {
    if (s.first !== seg.first) return false
    if (s.count === 0) return s.size === 0
    const lastLength = s.lengths[s.count - 1] as number
    const start = s.size - lastLength
    const fh = await this.reader(seg)
    const buf = Buffer.alloc(lastLength)
    const { bytesRead } = await fh.read(buf, 0, lastLength, start)
    if (bytesRead !== lastLength || buf[lastLength - 1] !== 0x0a) return false
    const parsed = parseFramedLine(buf.subarray(0, lastLength - 1))
    if (Result.isFailure(parsed)) return false
    const { json, integrity } = parsed.success
    return (
      json.position === s.first + s.count - 1 &&
      integrity.i === integrity.n - 1 &&
      json.stream === s.streams[s.stream[s.count - 1] as number]
    )
  }

  protected ingestSummary(seg: Segment, s: SegmentSummary): void {
    const local = s.streams.map((name) => this.streamIdx(name))
    let offset = 0
    for (let k = 0; k < s.count; k++) {
      this.ingest(seg, offset, local[s.stream[k] as number] as number, s.ids[k] ?? null)
      offset += s.lengths[k] as number
    }
    seg.size = s.size
    seg.summarized = s.count
    seg.summarizedBytes = s.size
  }

  /**
   * Scans `seg` from `from` (a record boundary) to `to`, checking every line and
   * ingesting complete appends. Stops at the first bad line (then only looks
   * whether an intact line follows).
   */
  /** Persists the summary of a segment's committed prefix (after flushing the data it covers). */
  protected async writeSummary(seg: Segment, sealed: boolean): Promise<void> {
    const fh = seg === this.last() && this.active !== undefined ? this.active : undefined
    if (fh !== undefined) await this.config.io.datasync(fh, seg.path)
    const local = new Map<number, number>()
    const streams: Array<string> = []
    const stream: Array<number> = new Array(seg.count)
    const lengths: Array<number> = new Array(seg.count)
    for (let k = 0; k < seg.count; k++) {
      const g = seg.streams[k] as number
      let l = local.get(g)
      if (l === undefined) {
        l = streams.length
        local.set(g, l)
        streams.push(this.streamNames[g] as string)
      }
      stream[k] = l
      lengths[k] = seg.end(k) - (seg.starts[k] as number)
    }
    const summary: SegmentSummary = {
      format: SUMMARY_FORMAT,
      segment: seg.name,
      first: seg.first,
      count: seg.count,
      size: seg.size,
      sealed,
      streams,
      stream,
      lengths,
      ids: seg.ids
    }
    await this.config.io.writeFileAtomic(
      join(this.segmentsDir, summaryFileName(seg.name)),
      encodeSummary(summary),
      true
    )
    seg.summarized = seg.count
    seg.summarizedBytes = seg.size
  }

  protected last(): Segment {
    return this.segments[this.segments.length - 1] as Segment
  }

  /** The read handle of a segment, opened once (concurrent callers share the one promise). */
  protected reader(seg: Segment): Promise<FileHandle> {
    if (this.closed) return Promise.reject(unavailable("the store is closed"))
    let fh = this.readers.get(seg.name)
    if (fh === undefined) {
      fh = open(seg.path, "r")
      this.readers.set(seg.name, fh)
      fh.catch(() => this.readers.delete(seg.name))
    }
    return fh
  }

  /** Cuts the active segment back to its committed size after a failed write. */
  protected async truncateBack(): Promise<void> {
    const seg = this.last()
    const fh = this.active as FileHandle
    await fh.truncate(seg.size)
    await this.config.io.datasync(fh, seg.path)
    this.dirtyTail = false
  }

  /** Seals the active segment (its summary) and starts the next one. */
  protected async roll(): Promise<Segment> {
    const { io } = this.config
    const old = this.last()
    await this.writeSummary(old, true)
    const name = segmentFileName(this.head + 1)
    const path = join(this.segmentsDir, name)
    let fh: FileHandle
    try {
      fh = await open(path, "wx")
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e
      fh = await open(path, "r+")
      if ((await fh.stat()).size !== 0) {
        await fh.close()
        throw unavailable(`segment ${name} exists already and is not empty`)
      }
    }
    try {
      await io.syncDir(this.segmentsDir)
    } catch (e) {
      await fh.close()
      throw e
    }
    const seg = new Segment(name, this.head + 1, path)
    this.segments.push(seg)
    const previous = this.active
    this.active = fh
    await previous?.close()
    return seg
  }

  /** Flushes everything written (for `never` durability). */
}
