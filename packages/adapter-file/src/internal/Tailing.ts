/**
 * Tailing for read-only openers: what the writer appended since the last look,
 * across segment rolls.
 *
 * @internal
 */
import { stat } from "node:fs/promises"
import { join } from "node:path"
import { segmentFileName } from "../FileFormat.js"
import { corrupted } from "./Errors.js"
import { isNotFound } from "./Io.js"
import { LogOpen } from "./Open.js"
import { Segment } from "./SegmentIndex.js"

/** Follows a writer. */
export class LogTailing extends LogOpen {
  protected refreshing: Promise<void> | undefined

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

  protected async doRefresh(): Promise<void> {
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
}
