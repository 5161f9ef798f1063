/**
 * The in-memory index of the log: its segments (where each record starts, its
 * stream and id), the streams' positions and the event ids.
 *
 * @internal
 */
import type { AppendRules } from "@xueshi/core"

/** A segment in memory: where each of its records starts, its stream and id. */
export class Segment {
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

/** The index: segments, streams, ids and the head. */
export class LogIndex {
  readonly segments: Array<Segment> = []
  readonly streamNames: Array<string> = []
  readonly streamIndex = new Map<string, number>()
  /** Global positions of each stream's events (version v at index v - 1). */
  readonly streamPositions: Array<Array<number>> = []
  /** Lower-cased event id → global position; built on first use (a reader never needs it). */
  private ids: Map<string, number> | undefined
  head = 0

  /** The id index, built from the segments' ids the first time an append or a scan asks. */
  get idIndex(): Map<string, number> {
    if (this.ids === undefined) {
      const ids = new Map<string, number>()
      for (const seg of this.segments) {
        for (let k = 0; k < seg.ids.length; k++) {
          const id = seg.ids[k]
          if (id !== null && id !== undefined) ids.set(id.toLowerCase(), seg.first + k)
        }
      }
      this.ids = ids
    }
    return this.ids
  }

  version(stream: string): number {
    const k = this.streamIndex.get(stream)
    return k === undefined ? 0 : (this.streamPositions[k] as Array<number>).length
  }

  positionsOf(stream: string): ReadonlyArray<number> {
    const k = this.streamIndex.get(stream)
    return k === undefined ? [] : (this.streamPositions[k] as Array<number>)
  }

  protected streamIdx(stream: string): number {
    let k = this.streamIndex.get(stream)
    if (k === undefined) {
      k = this.streamNames.length
      this.streamNames.push(stream)
      this.streamIndex.set(stream, k)
      this.streamPositions.push([])
    }
    return k
  }

  protected ingest(seg: Segment, start: number, stream: number, id: string | null): void {
    const position = this.head + 1
    seg.starts.push(start)
    seg.streams.push(stream)
    seg.ids.push(id)
    ;(this.streamPositions[stream] as Array<number>).push(position)
    if (id !== null && this.ids !== undefined) this.ids.set(id.toLowerCase(), position)
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
