/**
 * Appending: the queue of appends and batches (`AppendBatch`), group commit (one
 * write and one flush for a group in `grouped`), the append rules, the write, and
 * commit notifications.
 *
 * @internal
 */
import type { FileHandle } from "node:fs/promises"
import { AppendBatch, type EventStore } from "@xueshi/core"
import { Result } from "effect"
import { frameText } from "../FileFormat.js"
import { toStoreError, unavailable } from "./Errors.js"
import { LogReads } from "./Reads.js"

type AppendResult = EventStore.AppendResult
type EventToAppend = EventStore.EventToAppend
type ExpectedVersion = EventStore.ExpectedVersion

/** One item of the queue: appends that are decided together and stand or fall together. */
interface PendingAppend {
  readonly appends: ReadonlyArray<AppendBatch.StreamAppend>
  readonly recordedAt: string
  readonly resolve: (r: ReadonlyArray<AppendResult>) => void
  readonly reject: (e: unknown) => void
}

/** The lines of one planned append that writes. */
interface AcceptedAppend {
  /** The framed lines (newline included) and their UTF-8 lengths. */
  readonly lines: Array<string>
  readonly lengths: Array<number>
  readonly result: AppendResult
  readonly ids: Array<string | null>
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
    return this.appendBatch([{ stream, events, expected }], recordedAt).then((rs) => rs[0] as AppendResult)
  }

  /** Appends to several streams as one item of the queue: one write, all or nothing (`AppendBatch`). */
  appendBatch(
    appends: ReadonlyArray<AppendBatch.StreamAppend>,
    recordedAt: string
  ): Promise<ReadonlyArray<AppendResult>> {
    if (this.config.readOnly) return Promise.reject(unavailable("the store is open read-only"))
    if (this.closed) return Promise.reject(unavailable("the store is closed"))
    return new Promise((resolve, reject) => {
      this.queue.push({ appends, recordedAt, resolve, reject })
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

  /** Decides (`AppendBatch.planAppends`), writes and flushes a group of queue items; settles each. Never throws. */
  protected async commit(group: ReadonlyArray<PendingAppend>): Promise<void> {
    const { codec } = this.config
    let view: AppendBatch.StoreView = {
      head: this.head,
      version: (stream) => this.version(stream),
      lookupId: (id) => this.lookupId(id)
    }
    const accepted: Array<AcceptedAppend> = []
    const writing: Array<{ req: PendingAppend; results: ReadonlyArray<AppendResult> }> = []
    const later: Array<{ req: PendingAppend; results: ReadonlyArray<AppendResult> }> = []
    for (const req of group) {
      try {
        const planned = AppendBatch.planAppends(req.appends, view, req.recordedAt, { codec, wire: true })
        if (Result.isFailure(planned)) {
          req.reject(planned.failure)
          continue
        }
        const batch = planned.success
        const results = batch.appends.map((a) => a.result)
        if (batch.head === view.head) {
          later.push({ req, results })
          continue
        }
        for (const a of batch.appends) {
          const n = a.records.length
          if (n === 0) continue
          // the canonical line of each record, from its wire form: no third encode
          const lines = a.wire.map((w, i) => frameText(JSON.stringify(w), i, n))
          accepted.push({
            lines,
            lengths: lines.map((l) => Buffer.byteLength(l, "utf8")),
            ids: a.records.map((r) => r.id ?? null),
            result: a.result
          })
        }
        view = AppendBatch.withBatch(view, batch)
        writing.push({ req, results })
      } catch (e) {
        req.reject(toStoreError(e))
      }
    }
    if (accepted.length > 0) {
      try {
        await this.write(accepted)
      } catch (e) {
        const err = toStoreError(e)
        for (const w of writing) w.req.reject(err)
        // the retries that pointed into this group are not stored either
        for (const l of later) {
          if (l.results.some((r) => r.positions.some((p) => p > this.head))) l.req.reject(err)
          else l.req.resolve(l.results)
        }
        return
      }
      for (const w of writing) w.req.resolve(w.results)
      this.notify()
    }
    for (const l of later) l.req.resolve(l.results)
  }

  protected async write(accepted: ReadonlyArray<AcceptedAppend>) {
    const { io, durability, segmentBytes, summaryIntervalBytes } = this.config
    if (this.dirtyTail) await this.truncateBack()
    const bytes = accepted.reduce((n, a) => n + a.lengths.reduce((m, l) => m + l, 0), 0)
    let seg = this.last()
    if (seg.size > 0 && seg.size + bytes > segmentBytes) seg = await this.roll()
    const fh = this.active as FileHandle
    const buf = Buffer.allocUnsafe(bytes)
    let at = 0
    for (const a of accepted) for (const line of a.lines) at += buf.write(line, at, "utf8")
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
      a.lengths.forEach((length, i) => {
        this.ingest(seg, offset, k, a.ids[i] ?? null)
        offset += length
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
