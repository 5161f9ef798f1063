/**
 * Cutting and setting aside: a torn tail or everything from a bad record into
 * quarantine, and what a repair found (one draft, filled as it goes).
 *
 * @internal
 */
import { mkdir, open, readFile, stat } from "node:fs/promises"
import { join } from "node:path"
import { checkLineCrc } from "../FileFormat.js"
import type { QuarantinedRegion } from "../Recovery.js"
import { LogScan } from "./Scan.js"
import type { Segment } from "./SegmentIndex.js"
import { QUARANTINE_DIR, SEGMENTS_DIR, summaryFileName } from "./Segments.js"

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

/** What a repair found and did, filled as it goes. */
export interface RepairDraft {
  location: string
  problem: string
  cut: QuarantinedRegion | undefined
  setAside: Array<string>
  lines: number
  intact: number
  missing: number
}

/** A repair that found `problem` at `location` and has done nothing yet. */
export const repairDraft = (location: string, problem: string): RepairDraft => ({
  location,
  problem,
  cut: undefined,
  setAside: [],
  lines: 0,
  intact: 0,
  missing: 0
})

/** Moves damaged regions into quarantine. */
export class LogRepair extends LogScan {
  /** Moves `[offset, end)` of a segment into a quarantine file and truncates the segment there. */
  protected async quarantineTail(
    seg: Segment,
    offset: number,
    line: number,
    reason: string
  ): Promise<QuarantinedRegion> {
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
  protected async setAsideSegments(
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
}
