/**
 * The segmented, checksummed event log: opening (summaries, tail scan, torn-tail
 * recovery), appending (with group commit) and reading. Promise-based; the
 * Effect services of FileStore.ts wrap it. Its parts, each in the module named
 * after what it does: SegmentIndex, Segments, Scan, Repair, Open, Tailing,
 * Reads, GroupCommit; this module closes it.
 *
 * @internal
 */
import { LogCommit } from "./GroupCommit.js"

export { corrupted, formatLocation, toStoreError, unavailable } from "./Errors.js"
export { type Durability, FORMAT_FILE, type LogConfig, QUARANTINE_DIR, SEGMENTS_DIR, STORE_FORMAT } from "./Segments.js"

const PAGE = 256

/** The log. */
export class Log extends LogCommit {
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
