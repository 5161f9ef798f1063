/**
 * Reading records by position: runs of nearby records in one read, each line
 * checked and decoded.
 *
 * @internal
 */
import type { EventStore } from "@xueshi/core"
import { Result } from "effect"
import { INTEGRITY_KEY, parseFramedLine } from "../FileFormat.js"
import { corrupted } from "./Errors.js"
import type { Segment } from "./SegmentIndex.js"
import { LogTailing } from "./Tailing.js"

type StoredEvent = EventStore.StoredEvent

const READ_GAP = 16 * 1024

/** A copy of a parsed line without its `"$file"` key (for a codec that has no `decodeIntact`). */
const withoutIntegrity = (json: Record<string, unknown>): Record<string, unknown> => {
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(json)) if (k !== INTEGRITY_KEY) out[k] = json[k]
  return out
}

/** Reads records. */
export class LogReads extends LogTailing {
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

  protected decode(
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
}
