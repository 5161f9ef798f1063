/**
 * The segmented, checksummed event log: opening (summaries, tail scan, torn-tail
 * recovery), appending (with group commit) and reading. Promise-based; the
 * Effect services of FileStore.ts wrap it.
 *
 * @internal
 */
import type { FileHandle } from "node:fs/promises"
import { mkdir, open, readdir, readFile, stat, unlink } from "node:fs/promises"
import { join } from "node:path"
import { AppendRules, type EventCodec, type EventStore, StoreErrors, StrictJson } from "@xueshi/core"
import { Result } from "effect"
import {
  checkLineCrc,
  decodeSummary,
  encodeSummary,
  frameLine,
  INTEGRITY_KEY,
  parseFramedLine,
  parseSegmentFileName,
  type SegmentSummary,
  SUMMARY_FORMAT,
  SummaryRefused,
  segmentFileName
} from "../FileFormat.js"
import type { QuarantinedRegion, RecoveryReport, RepairReport } from "../Recovery.js"
import { ACK_FILE, AckWriter, readAck } from "./Acknowledged.js"
import { type Io, isNotFound } from "./Io.js"

type StoredEvent = EventStore.StoredEvent
type AppendResult = EventStore.AppendResult
type EventToAppend = EventStore.EventToAppend
type ExpectedVersion = EventStore.ExpectedVersion

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

const CHUNK = 1 << 20
/** The longest line of a segment: the longest event line and its `"$file"` frame. */
const MAX_FRAMED_LINE_BYTES = StrictJson.MAX_LINE_BYTES + 64
const READ_GAP = 16 * 1024
const PAGE = 256

const summaryFileName = (segment: string) => segment.replace(/\.jsonl$/, ".summary.json")

/** A segment in memory: where each of its records starts, its stream and id. */
class Segment {
  /** Byte offset of each record's line. */
  readonly starts: Array<number> = []
  /** Global stream index of each record. */
  readonly streams: Array<number> = []
  /** Event id of each record (as written), or null. */
  readonly ids: Array<string | null> = []
  /** Committed bytes: the end of the last complete append. */
  size = 0
  /** Records covered by the persisted summary. */
  summarized = 0
  /** Bytes covered by the persisted summary. */
  summarizedBytes = 0
  constructor(
    readonly name: string,
    readonly first: number,
    readonly path: string
  ) {}
  get count(): number {
    return this.starts.length
  }
  /** End offset of the record at local index `k`. */
  end(k: number): number {
    return k + 1 < this.starts.length ? (this.starts[k + 1] as number) : this.size
  }
}

/** Where corruption is, as the location string of `StoreCorrupted`. */
export const formatLocation = (segment: string, offset: number, line: number): string =>
  `${SEGMENTS_DIR}/${segment} byte ${offset} line ${line}`

export const corrupted = (message: string, segment: string, offset: number, line: number) =>
  new StoreErrors.StoreCorrupted({
    message: `${message} (${formatLocation(segment, offset, line)})`,
    location: formatLocation(segment, offset, line)
  })

export const unavailable = (message: string, cause?: unknown) =>
  new StoreErrors.StoreUnavailable(cause === undefined ? { message } : { message, cause })

/** Maps anything thrown by the log to a typed store error. */
export const toStoreError = (e: unknown): StoreErrors.StoreUnavailable | StoreErrors.StoreCorrupted => {
  if (e instanceof StoreErrors.StoreUnavailable || e instanceof StoreErrors.StoreCorrupted) return e
  const code = (e as NodeJS.ErrnoException | undefined)?.code
  const what =
    code === "ENOSPC" || code === "EDQUOT"
      ? "disk full"
      : code === "EACCES" || code === "EPERM" || code === "EROFS"
        ? "permission denied"
        : code === "EIO"
          ? "I/O error"
          : "file system error"
  return unavailable(`${what}: ${(e as Error)?.message ?? String(e)}`, e)
}

interface PendingAppend {
  readonly stream: string
  readonly events: ReadonlyArray<EventToAppend>
  readonly expected: ExpectedVersion
  readonly recordedAt: string
  readonly resolve: (r: AppendResult) => void
  readonly reject: (e: unknown) => void
}

interface ScanState {
  /** Records of an append seen but not yet complete. */
  pending: Array<{ stream: number | string; id: string | null; start: number; position: number }>
  pendingN: number
  pendingStart: number
  pendingLine: number
}

interface ScanResult {
  /** First bad line, if any. */
  readonly bad: { readonly offset: number; readonly line: number; readonly reason: string } | undefined
  /** Whether an intact line (valid checksum) follows the bad one. */
  readonly validAfterBad: boolean
  /** Start of the unfinished append at the end (or of the bad line), if the scan did not end cleanly. */
  readonly tail: { readonly offset: number; readonly line: number } | undefined
  readonly eof: number
}

export class Log {
  readonly segmentsDir: string
  readonly segments: Array<Segment> = []
  readonly streamNames: Array<string> = []
  readonly streamIndex = new Map<string, number>()
  /** Global positions of each stream's events (version v at index v - 1). */
  readonly streamPositions: Array<Array<number>> = []
  /** Lower-cased event id → global position. */
  readonly idIndex = new Map<string, number>()
  head = 0
  private active: FileHandle | undefined
  private ack: AckWriter | undefined
  private readonly readers = new Map<string, Promise<FileHandle>>()
  private readonly queue: Array<PendingAppend> = []
  private draining: Promise<void> | undefined
  private dirtyTail = false
  private closed = false
  private listeners = new Set<() => void>()
  private refreshing: Promise<void> | undefined
  scannedBytes = 0

  constructor(readonly config: LogConfig) {
    this.segmentsDir = join(config.directory, SEGMENTS_DIR)
  }

  // ---------------------------------------------------------------- index

  version(stream: string): number {
    const k = this.streamIndex.get(stream)
    return k === undefined ? 0 : (this.streamPositions[k] as Array<number>).length
  }

  positionsOf(stream: string): ReadonlyArray<number> {
    const k = this.streamIndex.get(stream)
    return k === undefined ? [] : (this.streamPositions[k] as Array<number>)
  }

  private streamIdx(stream: string): number {
    let k = this.streamIndex.get(stream)
    if (k === undefined) {
      k = this.streamNames.length
      this.streamNames.push(stream)
      this.streamIndex.set(stream, k)
      this.streamPositions.push([])
    }
    return k
  }

  private ingest(seg: Segment, start: number, stream: number, id: string | null): void {
    const position = this.head + 1
    seg.starts.push(start)
    seg.streams.push(stream)
    seg.ids.push(id)
    ;(this.streamPositions[stream] as Array<number>).push(position)
    if (id !== null) this.idIndex.set(id.toLowerCase(), position)
    this.head = position
  }

  lookupId(id: string): AppendRules.StoredIdLocation | undefined {
    const position = this.idIndex.get(id.toLowerCase())
    if (position === undefined) return undefined
    const { seg, k } = this.locate(position)
    const streamIdx = seg.streams[k] as number
    const positions = this.streamPositions[streamIdx] as Array<number>
    return { stream: this.streamNames[streamIdx] as string, version: binarySearch(positions, position) + 1, position }
  }

  /** The segment and local index of a position (1 ≤ position ≤ head). */
  locate(position: number): { seg: Segment; k: number } {
    let lo = 0
    let hi = this.segments.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if ((this.segments[mid] as Segment).first <= position) lo = mid
      else hi = mid - 1
    }
    const seg = this.segments[lo] as Segment
    return { seg, k: position - seg.first }
  }

  streamOfPosition(position: number): string {
    const { seg, k } = this.locate(position)
    return this.streamNames[seg.streams[k] as number] as string
  }

  // ---------------------------------------------------------------- open

  async open(
    options: { readonly repair?: boolean } = {}
  ): Promise<{ report: RecoveryReport; repair: RepairReport | undefined }> {
    const { directory, readOnly, io } = this.config
    let created = false
    if (readOnly) {
      const st = await stat(directory).catch((e) => {
        if (isNotFound(e)) throw unavailable(`no file store at ${directory}`)
        throw e
      })
      if (!st.isDirectory()) throw unavailable(`${directory} is not a directory`)
    } else {
      await mkdir(this.segmentsDir, { recursive: true })
      await mkdir(join(directory, QUARANTINE_DIR), { recursive: true })
    }
    // the format marker
    const formatPath = join(directory, FORMAT_FILE)
    try {
      const text = await readFile(formatPath, "utf8")
      if (JSON.parse(text).format !== STORE_FORMAT)
        throw unavailable(`${directory} is not a ${STORE_FORMAT} store (FORMAT says ${text.trim()})`)
    } catch (e) {
      if (!isNotFound(e)) throw e instanceof SyntaxError ? unavailable(`${formatPath} is not JSON`) : e
      if (readOnly) {
        // a store whose writer has not written FORMAT yet: tolerated if it has no segment
      } else {
        await io.writeFileAtomic(formatPath, Buffer.from(`${JSON.stringify({ format: STORE_FORMAT })}\n`), true)
        created = true
      }
    }
    // leftover temporary files of atomic writes
    let tempFilesRemoved = 0
    if (!readOnly) tempFilesRemoved = await removeTempFiles(directory)

    const names = await this.listSegments()
    const ackPath = join(this.segmentsDir, ACK_FILE)
    const acknowledged = await readAck(ackPath)
    const summariesRebuilt: Array<string> = []
    let tornTail: QuarantinedRegion | undefined
    let repair:
      | {
          location: string
          problem: string
          cut: QuarantinedRegion | undefined
          setAside: Array<string>
          lines: number
          intact: number
          missing: number
        }
      | undefined
    for (let i = 0; i < names.length; i++) {
      const name = names[i] as string
      const first = parseSegmentFileName(name) as number
      const isLast = i === names.length - 1
      const seg = new Segment(name, first, join(this.segmentsDir, name))
      if (first !== this.head + 1) {
        const problem = `segment ${name} starts at position ${first}, but the log before it ends at ${this.head}`
        if (!options.repair) throw corrupted(problem, name, 0, 1)
        repair = {
          location: formatLocation(name, 0, 1),
          problem,
          cut: undefined,
          setAside: [],
          lines: 0,
          intact: 0,
          missing: 0
        }
        await this.setAsideSegments(names.slice(i), repair)
        break
      }
      this.segments.push(seg)
      const size = (await stat(seg.path)).size
      const loaded = await this.loadSummary(name)
      const summary = loaded instanceof SummaryRefused ? undefined : loaded
      if (summary !== undefined) {
        if (summary.size > size) {
          const problem = `segment ${name} is ${size} bytes but its summary says ${summary.size}: acknowledged events are missing`
          // the line the cut falls in: one after the records the summary has wholly before it
          const line = lineAtByte(summary.lengths, size)
          if (!options.repair) throw corrupted(problem, name, size, line)
          repair = {
            location: formatLocation(name, size, line),
            problem,
            cut: undefined,
            setAside: [],
            lines: 0,
            intact: 0,
            missing: 0
          }
        } else if (this.config.verify === "quick" && !options.repair && (await this.verifySummary(seg, summary))) {
          this.ingestSummary(seg, summary)
        }
      }
      if (loaded instanceof SummaryRefused) {
        summariesRebuilt.push(`${SEGMENTS_DIR}/${summaryFileName(name)}`)
      }
      const result = await this.scan(seg, seg.size, size)
      if (acknowledged?.segment === name && seg.size < acknowledged.size && repair === undefined) {
        // cut at an append boundary (or inside an append) below what was acknowledged: the lines cannot tell, the mark can
        const problem = `segment ${name} holds ${seg.size} bytes of complete appends but ${acknowledged.size} were acknowledged: acknowledged events are missing`
        const line = seg.count + 1
        if (!options.repair) throw corrupted(problem, name, seg.size, line)
        repair = {
          location: formatLocation(name, seg.size, line),
          problem,
          cut: undefined,
          setAside: [],
          lines: 0,
          intact: 0,
          missing: 0
        }
      }
      if (repair !== undefined && repair.missing === 0 && summary !== undefined && summary.size > size) {
        repair.missing = Math.max(0, summary.count - seg.count)
      }
      if (result.tail !== undefined) {
        const problem = result.bad?.reason ?? "the segment ends inside an append"
        const at = result.bad ?? result.tail
        const isTorn = isLast && !result.validAfterBad
        if (isTorn && !options.repair) {
          if (!readOnly) {
            tornTail = await this.quarantineTail(seg, result.tail.offset, result.tail.line, `torn tail: ${problem}`)
          }
        } else if (!options.repair) {
          throw corrupted(problem, name, at.offset, at.line)
        } else {
          const cut = await this.quarantineTail(seg, result.tail.offset, result.tail.line, `repair: ${problem}`)
          const r = repair ?? {
            location: formatLocation(name, at.offset, at.line),
            problem,
            cut: undefined,
            setAside: [],
            lines: 0,
            intact: 0,
            missing: 0
          }
          r.cut = cut
          r.lines += cut.lines
          r.intact += cut.intactRecords
          repair = r
          await this.setAsideSegments(names.slice(i + 1), r)
          await this.config.io.removeFile(join(this.segmentsDir, summaryFileName(name)), true)
          break
        }
      } else if (repair !== undefined) {
        // the summary promised more than is there; drop the summary
        await this.config.io.removeFile(join(this.segmentsDir, summaryFileName(name)), true)
        if (!isLast) await this.setAsideSegments(names.slice(i + 1), repair)
        break
      }
      const summaryHolds =
        summary !== undefined && summary.sealed && summary.count === seg.count && summary.size === seg.size
      if (!isLast && !readOnly && !summaryHolds) {
        if (!(loaded instanceof SummaryRefused)) {
          summariesRebuilt.push(`${SEGMENTS_DIR}/${summaryFileName(name)}`)
        }
        await this.writeSummary(seg, true)
      } else if (summaryHolds) {
        seg.summarized = seg.count
        seg.summarizedBytes = seg.size
      }
    }
    if (!readOnly) {
      if (this.segments.length === 0) {
        const name = segmentFileName(1)
        const fh = await open(join(this.segmentsDir, name), "wx")
        await fh.close()
        await io.syncDir(this.segmentsDir)
        this.segments.push(new Segment(name, 1, join(this.segmentsDir, name)))
      }
      const last = this.segments[this.segments.length - 1] as Segment
      if (acknowledged !== undefined && (parseSegmentFileName(acknowledged.segment) as number) > last.first) {
        const problem = `the store acknowledged appends in segment ${acknowledged.segment}, which is missing: acknowledged events are missing`
        if (!options.repair) throw corrupted(problem, acknowledged.segment, 0, 1)
      }
      this.active = await open(last.path, "r+")
      if (this.config.recordAcknowledged) {
        this.ack = await AckWriter.open(io, ackPath, this.config.durability !== "never")
        await this.ack.write({ segment: last.name, size: last.size })
      } else if (acknowledged !== undefined || options.repair) {
        // a mark no writer keeps up would outlive a repair; without it nothing is promised beyond the summaries
        await io.removeFile(ackPath, true)
      }
    }
    const report: RecoveryReport = {
      created,
      segments: this.segments.length,
      events: this.head,
      scannedBytes: this.scannedBytes,
      summariesRebuilt,
      tornTail,
      tempFilesRemoved
    }
    const repairReport: RepairReport | undefined = options.repair
      ? repair === undefined
        ? {
            repaired: false,
            location: undefined,
            problem: undefined,
            cut: undefined,
            segmentsSetAside: [],
            eventsSetAside: 0,
            intactEventsSetAside: 0,
            eventsMissing: 0,
            eventsKept: this.head
          }
        : {
            repaired: true,
            location: repair.location,
            problem: repair.problem,
            cut: repair.cut,
            segmentsSetAside: repair.setAside,
            eventsSetAside: repair.lines,
            intactEventsSetAside: repair.intact,
            eventsMissing: repair.missing,
            eventsKept: this.head
          }
      : undefined
    return { report, repair: repairReport }
  }

  private async listSegments(): Promise<Array<string>> {
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
  private async loadSummary(name: string): Promise<SegmentSummary | SummaryRefused | undefined> {
    let bytes: Buffer
    try {
      bytes = await readFile(join(this.segmentsDir, summaryFileName(name)))
    } catch (e) {
      if (isNotFound(e)) return undefined
      throw e
    }
    const s = decodeSummary(bytes)
    if (Result.isFailure(s)) return s.failure
    if (s.success.segment !== name) return new SummaryRefused({ message: "summary: names another segment" })
    return s.success
  }

  /** Cheap check of a summary: its last record is where it says, intact, and ends an append. */
  private async verifySummary(seg: Segment, s: SegmentSummary): Promise<boolean> {
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

  private ingestSummary(seg: Segment, s: SegmentSummary): void {
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
  async scan(seg: Segment, from: number, to: number): Promise<ScanResult> {
    const fh = await this.reader(seg)
    const st: ScanState = { pending: [], pendingN: 0, pendingStart: from, pendingLine: 0 }
    let bad: { offset: number; line: number; reason: string } | undefined
    let validAfterBad = false
    let lineNo = seg.count // lines before `from` (one per record)
    const pendingIds = new Set<string>()
    const onLine = (offset: number, line: Buffer, complete: boolean): boolean => {
      lineNo++
      if (bad !== undefined) {
        if (complete && checkLineCrc(line)) {
          validAfterBad = true
          return false
        }
        return true
      }
      const fail = (reason: string) => {
        bad = { offset, line: lineNo, reason }
        return true
      }
      if (!complete) return fail("incomplete line (no newline)")
      const parsed = parseFramedLine(line)
      if (Result.isFailure(parsed)) return fail(parsed.failure.message)
      const { json, integrity } = parsed.success
      const stream = json.stream as string
      if (st.pending.length === 0) {
        if (integrity.i !== 0) return fail(`record ${integrity.i} of an append without its first record`)
        st.pendingN = integrity.n
        st.pendingStart = offset
        st.pendingLine = lineNo
        pendingIds.clear()
      } else {
        if (integrity.i !== st.pending.length || integrity.n !== st.pendingN) {
          return fail(
            `record ${integrity.i} of ${integrity.n} where record ${st.pending.length} of ${st.pendingN} was due`
          )
        }
        if (st.pending[0]?.stream !== stream) return fail("an append that spans streams")
      }
      const position = this.head + st.pending.length + 1
      if (json.position !== position) return fail(`position ${json.position} does not follow ${position - 1}`)
      const expectedVersion = this.version(stream) + st.pending.length + 1
      if (json.version !== expectedVersion) {
        return fail(`version ${json.version} of ${stream} does not follow ${expectedVersion - 1}`)
      }
      const id = typeof json.id === "string" ? json.id : null
      if (id !== null) {
        const low = id.toLowerCase()
        if (this.idIndex.has(low) || pendingIds.has(low)) return fail(`event id ${id} is stored twice`)
        pendingIds.add(low)
      }
      st.pending.push({ stream, id, start: offset, position })
      if (integrity.i === integrity.n - 1) {
        const k = this.streamIdx(stream)
        for (const p of st.pending) this.ingest(seg, p.start, k, p.id)
        seg.size = offset + line.length + 1
        st.pending = []
      }
      return true
    }
    // read in chunks, split lines; a line across chunks is held in pieces (no quadratic concatenation)
    let pieces: Array<Buffer> = []
    let held = 0
    let lineOffset = from // file offset of the current line's start
    let skipping = false // inside a line too long to hold: look for its end
    let pos = from
    let stop = false
    const tooLong = () => {
      lineNo++
      // no line of a store is this long (appends are bounded): a bad line, not a string too long to build
      bad ??= { offset: lineOffset, line: lineNo, reason: `a line longer than ${MAX_FRAMED_LINE_BYTES} bytes` }
      pieces = []
      held = 0
    }
    while (pos < to && !stop) {
      const want = Math.min(CHUNK, to - pos)
      const read = Buffer.allocUnsafe(want)
      const { bytesRead } = await fh.read(read, 0, want, pos)
      if (bytesRead === 0) break
      const chunkStart = pos
      pos += bytesRead
      const chunk = read.subarray(0, bytesRead)
      let lineStart = 0
      if (skipping) {
        const nl = chunk.indexOf(0x0a)
        if (nl < 0) continue
        skipping = false
        lineStart = nl + 1
        lineOffset = chunkStart + lineStart
      }
      for (;;) {
        const nl = chunk.indexOf(0x0a, lineStart)
        if (nl < 0) break
        const line = held === 0 ? chunk.subarray(lineStart, nl) : Buffer.concat([...pieces, chunk.subarray(0, nl)])
        pieces = []
        held = 0
        if (line.length > MAX_FRAMED_LINE_BYTES) tooLong()
        else if (!onLine(lineOffset, line, true)) {
          stop = true
          break
        }
        lineStart = nl + 1
        lineOffset = chunkStart + lineStart
      }
      if (!stop && lineStart < chunk.length) {
        pieces.push(chunk.subarray(lineStart))
        held += chunk.length - lineStart
        if (held > MAX_FRAMED_LINE_BYTES) {
          tooLong()
          skipping = true
        }
      }
    }
    const eof = pos
    if (!stop && held > 0) onLine(lineOffset, Buffer.concat(pieces), false)
    this.scannedBytes += eof - from
    const b = bad as { offset: number; line: number; reason: string } | undefined
    let tail: { offset: number; line: number } | undefined
    if (st.pending.length > 0) tail = { offset: st.pendingStart, line: st.pendingLine }
    else if (b !== undefined) tail = { offset: b.offset, line: b.line }
    return { bad: b, validAfterBad, tail, eof }
  }

  /** Moves `[offset, end)` of a segment into a quarantine file and truncates the segment there. */
  private async quarantineTail(seg: Segment, offset: number, line: number, reason: string): Promise<QuarantinedRegion> {
    const { io, directory } = this.config
    const size = (await stat(seg.path)).size
    const fh = await open(seg.path, "r+")
    try {
      const bytes = Buffer.alloc(size - offset)
      if (bytes.length > 0) await fh.read(bytes, 0, bytes.length, offset)
      const qname = `${seg.name}@${offset}.${Date.now()}.torn`
      await mkdir(join(directory, QUARANTINE_DIR), { recursive: true })
      await io.writeFileAtomic(join(directory, QUARANTINE_DIR, qname), bytes, true)
      await fh.truncate(offset)
      await io.datasync(fh, seg.path)
      const pieces = splitLines(bytes)
      seg.size = offset
      return {
        segment: `${SEGMENTS_DIR}/${seg.name}`,
        offset,
        line,
        bytes: bytes.length,
        lines: pieces.length,
        intactRecords: pieces.filter((p) => checkLineCrc(p)).length,
        reason,
        quarantine: `${QUARANTINE_DIR}/${qname}`
      }
    } finally {
      await fh.close()
    }
  }

  /** Repair: moves whole segments into quarantine. */
  private async setAsideSegments(
    names: ReadonlyArray<string>,
    r: { setAside: Array<string>; lines: number; intact: number }
  ): Promise<void> {
    const { io, directory } = this.config
    for (const name of names) {
      const path = join(this.segmentsDir, name)
      const bytes = await readFile(path)
      const pieces = splitLines(bytes)
      r.lines += pieces.length
      r.intact += pieces.filter((p) => checkLineCrc(p)).length
      const qname = `${name}.${Date.now()}.set-aside`
      await io.rename(path, join(directory, QUARANTINE_DIR, qname))
      await io.removeFile(join(this.segmentsDir, summaryFileName(name)), false)
      r.setAside.push(`${QUARANTINE_DIR}/${qname}`)
    }
    if (names.length > 0) {
      await io.syncDir(this.segmentsDir)
      await io.syncDir(join(directory, QUARANTINE_DIR))
    }
  }

  /** Persists the summary of a segment's committed prefix (after flushing the data it covers). */
  private async writeSummary(seg: Segment, sealed: boolean): Promise<void> {
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

  private last(): Segment {
    return this.segments[this.segments.length - 1] as Segment
  }

  /** The read handle of a segment, opened once (concurrent callers share the one promise). */
  private reader(seg: Segment): Promise<FileHandle> {
    if (this.closed) return Promise.reject(unavailable("the store is closed"))
    let fh = this.readers.get(seg.name)
    if (fh === undefined) {
      fh = open(seg.path, "r")
      this.readers.set(seg.name, fh)
      fh.catch(() => this.readers.delete(seg.name))
    }
    return fh
  }

  // ---------------------------------------------------------------- tailing (read-only openers)

  /** Reads what the writer appended since the last look (read-only openers). */
  refresh(): Promise<void> {
    if (!this.config.readOnly || this.closed) return Promise.resolve()
    if (this.refreshing === undefined) {
      this.refreshing = this.doRefresh().finally(() => {
        this.refreshing = undefined
      })
    }
    return this.refreshing
  }

  private async doRefresh(): Promise<void> {
    for (;;) {
      let seg = this.segments[this.segments.length - 1]
      if (seg === undefined) {
        const name = segmentFileName(1)
        const exists = await stat(join(this.segmentsDir, name)).then(
          () => true,
          (e) => (isNotFound(e) ? false : Promise.reject(e))
        )
        if (!exists) return
        seg = new Segment(name, 1, join(this.segmentsDir, name))
        this.segments.push(seg)
      }
      const size = (await stat(seg.path)).size
      if (size < seg.size) {
        throw corrupted(
          `segment ${seg.name} shrank under a reader (was it repaired?); reopen the store`,
          seg.name,
          size,
          seg.count + 1
        )
      }
      if (size > seg.size) {
        const result = await this.scan(seg, seg.size, size)
        if (result.bad !== undefined && result.validAfterBad) {
          throw corrupted(result.bad.reason, seg.name, result.bad.offset, result.bad.line)
        }
        if (result.tail !== undefined) return // an append in progress
      }
      // an empty newest segment (the writer just created it, or rolled into it) is the one the
      // next append goes to: "the next segment" would be itself, added again and again
      if (seg.first === this.head + 1) return
      const nextName = segmentFileName(this.head + 1)
      const nextPath = join(this.segmentsDir, nextName)
      const exists = await stat(nextPath).then(
        () => true,
        (e) => (isNotFound(e) ? false : Promise.reject(e))
      )
      if (!exists) return
      // the writer rolled: the old segment is complete once the new one exists, but look again at its end
      const again = (await stat(seg.path)).size
      if (again > seg.size) continue
      this.segments.push(new Segment(nextName, this.head + 1, nextPath))
    }
  }

  // ---------------------------------------------------------------- appending

  append(
    stream: string,
    events: ReadonlyArray<EventToAppend>,
    expected: ExpectedVersion,
    recordedAt: string
  ): Promise<AppendResult> {
    if (this.config.readOnly) return Promise.reject(unavailable("the store is open read-only"))
    if (this.closed) return Promise.reject(unavailable("the store is closed"))
    return new Promise((resolve, reject) => {
      this.queue.push({ stream, events, expected, recordedAt, resolve, reject })
      this.kick()
    })
  }

  private kick(): void {
    if (this.draining !== undefined) return
    this.draining = (async () => {
      try {
        while (this.queue.length > 0) {
          const group =
            this.config.durability === "always" ? this.queue.splice(0, 1) : this.queue.splice(0, this.queue.length)
          await this.commit(group)
        }
      } finally {
        this.draining = undefined
      }
    })()
  }

  /** Validates, writes and flushes a group of appends; settles each. Never throws. */
  private async commit(group: ReadonlyArray<PendingAppend>): Promise<void> {
    const { codec } = this.config
    const overlayVersion = new Map<string, number>()
    const overlayIds = new Map<string, AppendRules.StoredIdLocation>()
    let head = this.head
    const accepted: Array<{
      req: PendingAppend
      lines: Array<Buffer>
      result: AppendResult
      ids: Array<string | null>
    }> = []
    const later: Array<{ req: PendingAppend; result: AppendResult }> = []
    for (const req of group) {
      try {
        const { stream, events, expected } = req
        const verdict = AppendRules.checkIdempotency(
          stream,
          events,
          (id) => overlayIds.get(id.toLowerCase()) ?? this.lookupId(id)
        )
        if (verdict._tag === "Retry") {
          later.push({ req, result: verdict.result })
          continue
        }
        if (verdict._tag === "Conflict") {
          req.reject(verdict.error)
          continue
        }
        const current = overlayVersion.get(stream) ?? this.version(stream)
        const wrong = AppendRules.checkExpectedVersion(stream, expected, current)
        if (wrong !== undefined) {
          req.reject(wrong)
          continue
        }
        if (events.length === 0) {
          later.push({ req, result: { stream, version: current, positions: [] } })
          continue
        }
        const encoded = AppendRules.encodeAppendWire(stream, events, current, head, req.recordedAt, codec)
        if (Result.isFailure(encoded)) {
          req.reject(encoded.failure)
          continue
        }
        const { records, wire } = encoded.success
        const n = records.length
        // the canonical line of each record, from its wire form: no third encode
        const lines = wire.map((w, i) => frameLine(JSON.stringify(w), i, n))
        const ids = records.map((r) => r.id ?? null)
        records.forEach((r) => {
          if (r.id !== undefined)
            overlayIds.set(r.id.toLowerCase(), { stream, version: r.version, position: r.position })
        })
        overlayVersion.set(stream, current + n)
        head += n
        accepted.push({
          req,
          lines,
          ids,
          result: { stream, version: current + n, positions: records.map((r) => r.position) }
        })
      } catch (e) {
        req.reject(toStoreError(e))
      }
    }
    if (accepted.length > 0) {
      try {
        await this.write(accepted)
      } catch (e) {
        const err = toStoreError(e)
        for (const a of accepted) a.req.reject(err)
        // the retries that pointed into this group are not stored either
        for (const l of later) {
          if (l.result.positions.some((p) => p > this.head)) l.req.reject(err)
          else l.req.resolve(l.result)
        }
        return
      }
      for (const a of accepted) a.req.resolve(a.result)
      this.notify()
    }
    for (const l of later) l.req.resolve(l.result)
  }

  private async write(
    accepted: ReadonlyArray<{ lines: Array<Buffer>; result: AppendResult; ids: Array<string | null> }>
  ) {
    const { io, durability, segmentBytes, summaryIntervalBytes } = this.config
    if (this.dirtyTail) await this.truncateBack()
    const bytes = accepted.reduce((n, a) => n + a.lines.reduce((m, l) => m + l.length, 0), 0)
    let seg = this.last()
    if (seg.size > 0 && seg.size + bytes > segmentBytes) seg = await this.roll()
    const fh = this.active as FileHandle
    const buf = Buffer.concat(
      accepted.flatMap((a) => a.lines),
      bytes
    )
    try {
      this.dirtyTail = true
      await io.writeAll(fh, seg.path, buf, seg.size)
      if (durability !== "never") await io.datasync(fh, seg.path)
      this.dirtyTail = false
    } catch (e) {
      await this.truncateBack().catch(() => undefined)
      throw e
    }
    // commit to the index
    let offset = seg.size
    for (const a of accepted) {
      const k = this.streamIdx(a.result.stream)
      a.lines.forEach((line, i) => {
        this.ingest(seg, offset, k, a.ids[i] ?? null)
        offset += line.length
      })
    }
    seg.size = offset
    // best effort: a mark that failed to move lags behind, which only weakens the check at the next open
    if (this.ack !== undefined) await this.ack.write({ segment: seg.name, size: seg.size }).catch(() => undefined)
    if (seg.size - seg.summarizedBytes >= summaryIntervalBytes) {
      // best effort: a failed summary only means a longer scan at the next open
      await this.writeSummary(seg, false).catch(() => undefined)
    }
  }

  /** Cuts the active segment back to its committed size after a failed write. */
  private async truncateBack(): Promise<void> {
    const seg = this.last()
    const fh = this.active as FileHandle
    await fh.truncate(seg.size)
    await this.config.io.datasync(fh, seg.path)
    this.dirtyTail = false
  }

  /** Seals the active segment (its summary) and starts the next one. */
  private async roll(): Promise<Segment> {
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
  async flush(): Promise<void> {
    await this.draining
    if (this.active !== undefined) await this.config.io.datasync(this.active, this.last().path)
  }

  // ---------------------------------------------------------------- notifications

  private notify(): void {
    const ls = this.listeners
    this.listeners = new Set()
    for (const l of ls) l()
  }

  /** Calls `f` once, at the next commit; answers a canceller. */
  onCommit(f: () => void): () => void {
    this.listeners.add(f)
    return () => {
      this.listeners.delete(f)
    }
  }

  // ---------------------------------------------------------------- reading

  /** Reads and decodes the records at `positions` (each ≤ head), in the given order. */
  async readPositions(
    positions: ReadonlyArray<number>,
    keep?: (json: Record<string, unknown>) => boolean
  ): Promise<Array<StoredEvent>> {
    if (positions.length === 0) return []
    const order = positions.map((p, i) => [p, i] as const).sort((a, b) => a[0] - b[0])
    const out: Array<StoredEvent | undefined> = new Array(positions.length)
    let r = 0
    while (r < order.length) {
      const first = order[r] as readonly [number, number]
      const { seg, k } = this.locate(first[0])
      // a run of positions in the same segment with small gaps: one read
      let s = r
      let lastK = k
      while (s + 1 < order.length) {
        const next = (order[s + 1] as readonly [number, number])[0]
        const nk = next - seg.first
        if (nk >= seg.count || (seg.starts[nk] as number) - seg.end(lastK) > READ_GAP) break
        s++
        lastK = nk
      }
      const from = seg.starts[k] as number
      const to = seg.end(lastK)
      const buf = Buffer.allocUnsafe(to - from)
      const fh = await this.reader(seg)
      let got = 0
      while (got < buf.length) {
        const { bytesRead } = await fh.read(buf, got, buf.length - got, from + got)
        if (bytesRead === 0) throw corrupted(`segment ${seg.name} ends before byte ${to}`, seg.name, from + got, k + 1)
        got += bytesRead
      }
      for (let q = r; q <= s; q++) {
        const [p, i] = order[q] as readonly [number, number]
        const kk = p - seg.first
        const start = (seg.starts[kk] as number) - from
        const end = seg.end(kk) - from
        const ev = this.decode(seg, kk, buf.subarray(start, end - 1), keep)
        if (ev !== undefined) out[i] = ev
      }
      r = s + 1
    }
    return out.filter((e): e is StoredEvent => e !== undefined)
  }

  private decode(
    seg: Segment,
    k: number,
    line: Buffer,
    keep?: (json: Record<string, unknown>) => boolean
  ): StoredEvent | undefined {
    const offset = seg.starts[k] as number
    const parsed = parseFramedLine(line)
    if (Result.isFailure(parsed)) throw corrupted(parsed.failure.message, seg.name, offset, k + 1)
    const json = parsed.success.json
    const position = seg.first + k
    if (json.position !== position || json.stream !== this.streamNames[seg.streams[k] as number]) {
      throw corrupted(`the record is not the one the index expects at position ${position}`, seg.name, offset, k + 1)
    }
    if (keep !== undefined && !keep(json)) return undefined
    // the checksum holds: a record at the codec's current version needs no schema decode
    // (decodeIntact leaves "$file" out; deleting it would put the object in dictionary mode)
    const { codec } = this.config
    const decoded =
      codec.decodeIntact !== undefined
        ? codec.decodeIntact(json, INTEGRITY_KEY)
        : codec.decodeRecord(withoutIntegrity(json))
    if (Result.isFailure(decoded)) {
      throw corrupted(`undecodable record: ${decoded.failure.message}`, seg.name, offset, k + 1)
    }
    return decoded.success as StoredEvent
  }

  // ---------------------------------------------------------------- closing

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.draining
    try {
      if (this.active !== undefined) {
        const seg = this.last()
        if (seg.count !== seg.summarized) await this.writeSummary(seg, false).catch(() => undefined)
        else if (this.config.durability === "never")
          await this.config.io.datasync(this.active, seg.path).catch(() => undefined)
      }
    } finally {
      await this.active?.close().catch(() => undefined)
      this.active = undefined
      await this.ack?.close().catch(() => undefined)
      this.ack = undefined
      for (const fh of this.readers.values()) await fh.then((h) => h.close()).catch(() => undefined)
      this.readers.clear()
      this.notify()
    }
  }

  get isClosed(): boolean {
    return this.closed
  }

  static readonly PAGE = PAGE
}

/** The 1-based line holding byte `offset`, from the lengths of the lines before it. */
const lineAtByte = (lengths: ReadonlyArray<number>, offset: number): number => {
  let k = 0
  let end = 0
  while (k < lengths.length && end + (lengths[k] as number) <= offset) end += lengths[k++] as number
  return k + 1
}

const binarySearch = (sorted: ReadonlyArray<number>, x: number): number => {
  let lo = 0
  let hi = sorted.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    const v = sorted[mid] as number
    if (v === x) return mid
    if (v < x) lo = mid + 1
    else hi = mid - 1
  }
  return -1
}

/** A copy of a parsed line without its `"$file"` key (for a codec that has no `decodeIntact`). */
const withoutIntegrity = (json: Record<string, unknown>): Record<string, unknown> => {
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(json)) if (k !== INTEGRITY_KEY) out[k] = json[k]
  return out
}

/** Lines of a buffer (the last one may lack its newline), without newlines; empty buffer → none. */
const splitLines = (bytes: Buffer): Array<Buffer> => {
  const out: Array<Buffer> = []
  let start = 0
  while (start < bytes.length) {
    const nl = bytes.indexOf(0x0a, start)
    if (nl < 0) {
      out.push(bytes.subarray(start))
      break
    }
    out.push(bytes.subarray(start, nl))
    start = nl + 1
  }
  return out
}

/** Removes `*.tmp` files of interrupted atomic writes, in the store and its state folders. */
const removeTempFiles = async (directory: string): Promise<number> => {
  let n = 0
  const walk = async (dir: string, depth: number): Promise<void> => {
    let entries: Array<import("node:fs").Dirent>
    try {
      entries = await readdir(dir, { withFileTypes: true })
    } catch (e) {
      if (isNotFound(e)) return
      throw e
    }
    for (const e of entries) {
      const path = join(dir, e.name)
      if (e.isDirectory()) {
        if (depth < 3) await walk(path, depth + 1)
      } else if (e.name.endsWith(".tmp")) {
        await unlink(path).catch(() => undefined)
        n++
      }
    }
  }
  await walk(directory, 0)
  return n
}
