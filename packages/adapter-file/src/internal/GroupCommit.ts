/**
 * Appending: the queue of appends, group commit (one write and one flush for a
 * group in `grouped`), the append rules, the write, and commit notifications.
 *
 * @internal
 */
import type { FileHandle } from "node:fs/promises"
import { AppendRules, type EventStore } from "@xueshi/core"
import { Result } from "effect"
import { frameLine } from "../FileFormat.js"
import { toStoreError, unavailable } from "./Errors.js"
import { LogReads } from "./Reads.js"

type AppendResult = EventStore.AppendResult
type EventToAppend = EventStore.EventToAppend
type ExpectedVersion = EventStore.ExpectedVersion

interface PendingAppend {
  readonly stream: string
  readonly events: ReadonlyArray<EventToAppend>
  readonly expected: ExpectedVersion
  readonly recordedAt: string
  readonly resolve: (r: AppendResult) => void
  readonly reject: (e: unknown) => void
}

/** Appends to a log. */
export class LogCommit extends LogReads {
  protected readonly queue: Array<PendingAppend> = []
  protected draining: Promise<void> | undefined
  protected listeners = new Set<() => void>()

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

  protected kick(): void {
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
  protected async commit(group: ReadonlyArray<PendingAppend>): Promise<void> {
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

  protected async write(
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
  /** Flushes everything written (for `never` durability). */
  async flush(): Promise<void> {
    await this.draining
    if (this.active !== undefined) await this.config.io.datasync(this.active, this.last().path)
  }

  protected notify(): void {
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
}
