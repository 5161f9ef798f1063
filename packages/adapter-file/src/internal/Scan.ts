/**
 * Scanning a segment: every line checked (checksum, strict JSON, framing,
 * positions, versions, ids), complete appends ingested, the first bad line found.
 *
 * @internal
 */
import { StrictJson } from "@xueshi/core"
import { Result } from "effect"
import { checkLineCrc, parseFramedLine } from "../FileFormat.js"
import type { Segment } from "./SegmentIndex.js"
import { SegmentFiles } from "./Segments.js"

const CHUNK = 1 << 20
/** The longest line of a segment: the longest event line and its `"$file"` frame. */
const MAX_FRAMED_LINE_BYTES = StrictJson.MAX_LINE_BYTES + 64

export interface ScanState {
  /** Records of an append seen but not yet complete. */
  pending: Array<{ stream: number | string; id: string | null; start: number; position: number }>
  pendingN: number
  pendingStart: number
  pendingLine: number
}

export interface ScanResult {
  /** First bad line, if any. */
  readonly bad: { readonly offset: number; readonly line: number; readonly reason: string } | undefined
  /** Whether an intact line (valid checksum) follows the bad one. */
  readonly validAfterBad: boolean
  /** Start of the unfinished append at the end (or of the bad line), if the scan did not end cleanly. */
  readonly tail: { readonly offset: number; readonly line: number } | undefined
  readonly eof: number
}

/** Scans segments into the index. */
export class LogScan extends SegmentFiles {
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
}
