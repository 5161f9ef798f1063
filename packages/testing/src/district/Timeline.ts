/**
 * The timeline of a district's year: things that happen at a time, taken in
 * (time, insertion) order.
 *
 * @since 0.1.0
 */
import type { EventCodec } from "@xueshi/core"

/** A timeline item: something that happens at `time`; ties keep insertion order. */
interface Item {
  readonly time: number
  readonly seq: number
  readonly run: () => Iterable<EventCodec.LogRecord>
}

const less = (a: Item, b: Item) => a.time < b.time || (a.time === b.time && a.seq < b.seq)

/**
 * A binary min-heap of timeline items by (time, seq).
 *
 * @category models
 * @since 0.1.0
 */
export class Timeline {
  private readonly heap: Array<Item> = []
  private seq = 0
  /** Adds what happens at `time` (after everything already added for that time). */
  push(time: number, run: () => Iterable<EventCodec.LogRecord>): void {
    const h = this.heap
    h.push({ time, seq: this.seq++, run })
    let i = h.length - 1
    while (i > 0) {
      const p = (i - 1) >> 1
      if (less(h[i] as Item, h[p] as Item)) {
        ;[h[i], h[p]] = [h[p] as Item, h[i] as Item]
        i = p
      } else break
    }
  }
  /** Takes the earliest item, or `undefined` when the timeline is empty. */
  pop(): Item | undefined {
    const h = this.heap
    const top = h[0]
    const last = h.pop()
    if (h.length > 0 && last !== undefined) {
      h[0] = last
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        const r = l + 1
        let m = i
        if (l < h.length && less(h[l] as Item, h[m] as Item)) m = l
        if (r < h.length && less(h[r] as Item, h[m] as Item)) m = r
        if (m === i) break
        ;[h[i], h[m]] = [h[m] as Item, h[i] as Item]
        i = m
      }
    }
    return top
  }
}
