/**
 * Opening a log: the format marker, temporary files, every segment (summary or
 * scan), the torn tail, the acknowledged mark, the active segment; repair when asked.
 *
 * @internal
 */
import { mkdir, open, readdir, readFile, stat, unlink } from "node:fs/promises"
import { join } from "node:path"
import { parseSegmentFileName, SummaryRefused, segmentFileName } from "../FileFormat.js"
import type { QuarantinedRegion, RecoveryReport, RepairReport } from "../Recovery.js"
import { ACK_FILE, AckWriter, readAck } from "./Acknowledged.js"
import { corrupted, formatLocation, unavailable } from "./Errors.js"
import { isNotFound } from "./Io.js"
import { LogRepair, type RepairDraft, repairDraft } from "./Repair.js"
import { Segment } from "./SegmentIndex.js"
import { FORMAT_FILE, QUARANTINE_DIR, SEGMENTS_DIR, STORE_FORMAT, summaryFileName } from "./Segments.js"

/** The 1-based line holding byte `offset`, from the lengths of the lines before it. */
const lineAtByte = (lengths: ReadonlyArray<number>, offset: number): number => {
  let k = 0
  let end = 0
  while (k < lengths.length && end + (lengths[k] as number) <= offset) end += lengths[k++] as number
  return k + 1
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

/** Opens (and repairs) a log. */
export class LogOpen extends LogRepair {
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
    let repair: RepairDraft | undefined
    for (let i = 0; i < names.length; i++) {
      const name = names[i] as string
      const first = parseSegmentFileName(name) as number
      const isLast = i === names.length - 1
      const seg = new Segment(name, first, join(this.segmentsDir, name))
      if (first !== this.head + 1) {
        const problem = `segment ${name} starts at position ${first}, but the log before it ends at ${this.head}`
        if (!options.repair) throw corrupted(problem, name, 0, 1)
        repair = repairDraft(formatLocation(name, 0, 1), problem)
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
          repair = repairDraft(formatLocation(name, size, line), problem)
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
        repair = repairDraft(formatLocation(name, seg.size, line), problem)
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
          const r = repair ?? repairDraft(formatLocation(name, at.offset, at.line), problem)
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
      const summaryHolds = summary?.sealed === true && summary.count === seg.count && summary.size === seg.size
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
}
