/**
 * The log validator's memory of event ids: a compact table of the UUIDs seen
 * and the fingerprint of each one's event (to tell a repeated event, a no-op,
 * from a reused id). Internal to the core.
 *
 * @since 0.1.0
 */
import type { EventCodec, LogRecord } from "../EventCodec.js"

/** FNV-1a (32 bit, twice seeded) state of a fingerprint. */
interface Fnv {
  h1: number
  h2: number
}

const mixString = (f: Fnv, s: string): void => {
  let { h1, h2 } = f
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    h1 = Math.imul(h1 ^ c, 0x01000193)
    h2 = Math.imul(h2 ^ c, 0x5bd1e995)
  }
  // a separator no text holds, so that ("ab","c") and ("a","bc") differ
  f.h1 = Math.imul(h1 ^ 0x1f, 0x01000193)
  f.h2 = Math.imul(h2 ^ 0x1f, 0x5bd1e995)
}

/**
 * Mixes a decoded payload into the fingerprint, walking it in its own key
 * order (a decoded payload's keys are in schema order, so equal payloads walk
 * alike). `false` when it holds a value that is not plain JSON-like data (a
 * codec's own runtime type): the caller then fingerprints its encoded form.
 */
const mixValue = (f: Fnv, u: unknown): boolean => {
  switch (typeof u) {
    case "string":
      mixString(f, "s")
      mixString(f, u)
      return true
    case "number":
      mixString(f, `n${u}`)
      return true
    case "boolean":
      mixString(f, u ? "t" : "f")
      return true
    case "object": {
      if (u === null) {
        mixString(f, "z")
        return true
      }
      if (Array.isArray(u)) {
        mixString(f, `[${u.length}`)
        for (const x of u) if (!mixValue(f, x)) return false
        return true
      }
      const proto = Object.getPrototypeOf(u)
      if (proto !== Object.prototype && proto !== null) return false
      mixString(f, "{")
      for (const k in u) {
        mixString(f, k)
        if (!mixValue(f, (u as Record<string, unknown>)[k])) return false
      }
      mixString(f, "}")
      return true
    }
    default:
      return false
  }
}

/**
 * The fingerprint of an event (stream, type and payload), to tell a repeated
 * event from a reused id: 53 bits of two FNV-1a hashes. Computed from the
 * decoded payload, with no encode and no `JSON.stringify` (but for a payload
 * holding a value that is not plain data).
 */
export const fingerprint = (codec: EventCodec, record: LogRecord): number => {
  const f: Fnv = { h1: 0x811c9dc5, h2: 0x01000193 }
  mixString(f, record.stream)
  mixString(f, record.type)
  if (!mixValue(f, record.data)) {
    f.h1 = 0x811c9dc5
    f.h2 = 0x01000193
    mixString(f, record.stream)
    mixString(f, record.type)
    mixString(f, JSON.stringify(codec.encodeData(record.type, record.data)))
  }
  return (f.h1 >>> 0) * 0x200000 + ((f.h2 >>> 0) & 0x1fffff)
}

/**
 * The event ids seen, with the fingerprint of their event: an open-addressing
 * table of 128-bit UUIDs (compared case-insensitively, as numbers) in typed
 * arrays, about 24–48 bytes an id instead of a string key and a boxed number.
 */
export class IdTable {
  private words = new Uint32Array(6 * 1024)
  private used = new Uint8Array(1024)
  private size = 0
  private readonly key = new Uint32Array(4)

  private last: string | undefined

  private parse(id: string): void {
    // a UUID: 8-4-4-4-12 hex digits (the codec checked the pattern), either case; the id just
    // looked up is usually the one stored next
    if (id === this.last) return
    this.last = id
    let w = 0
    let word = 0
    let digits = 0
    for (let i = 0; i < id.length; i++) {
      const c = id.charCodeAt(i)
      if (c === 0x2d) continue
      word = word * 16 + (c <= 0x39 ? c - 0x30 : c <= 0x46 ? c - 0x37 : c - 0x57)
      if (++digits === 8) {
        this.key[w++] = word >>> 0
        word = 0
        digits = 0
      }
    }
  }

  private slotOf(words: Uint32Array, used: Uint8Array): number {
    const k = this.key
    const mask = used.length - 1
    let i = Math.imul((k[0] as number) ^ Math.imul(k[3] as number, 0x9e3779b1), 0x85ebca6b) & mask
    while (used[i] === 1) {
      const b = 6 * i
      if (words[b] === k[0] && words[b + 1] === k[1] && words[b + 2] === k[2] && words[b + 3] === k[3]) return i
      i = (i + 1) & mask
    }
    return i
  }

  /** The fingerprint stored for an id, or `undefined`. */
  get(id: string): number | undefined {
    this.parse(id)
    const i = this.slotOf(this.words, this.used)
    if (this.used[i] !== 1) return undefined
    return (this.words[6 * i + 4] as number) * 0x200000 + (this.words[6 * i + 5] as number)
  }

  /** Stores an id (not stored yet) with its fingerprint. */
  set(id: string, fp: number): void {
    if (2 * (this.size + 1) > this.used.length) this.grow()
    this.parse(id)
    const i = this.slotOf(this.words, this.used)
    const b = 6 * i
    for (let w = 0; w < 4; w++) this.words[b + w] = this.key[w] as number
    this.words[b + 4] = Math.floor(fp / 0x200000)
    this.words[b + 5] = fp % 0x200000
    this.used[i] = 1
    this.size++
  }

  private grow(): void {
    const oldWords = this.words
    const oldUsed = this.used
    this.words = new Uint32Array(oldWords.length * 2)
    this.used = new Uint8Array(oldUsed.length * 2)
    this.last = undefined // the key buffer is reused below
    for (let j = 0; j < oldUsed.length; j++) {
      if (oldUsed[j] !== 1) continue
      const b = 6 * j
      for (let w = 0; w < 4; w++) this.key[w] = oldWords[b + w] as number
      const i = this.slotOf(this.words, this.used)
      this.words.set(oldWords.subarray(b, b + 6), 6 * i)
      this.used[i] = 1
    }
  }
}
