/**
 * Checkpoints, projection state, leases and stream snapshots: one small JSON
 * file each, written atomically (temporary file, flush, rename, flush the
 * directory), under `state/`.
 *
 * @internal
 */
import { createHash } from "node:crypto"
import { mkdir, open, stat } from "node:fs/promises"
import { join } from "node:path"
import { StoreErrors } from "@xueshi/core"
import { type Io, isNotFound, readIfExists } from "./Io.js"
import { unavailable } from "./Log.js"

export const STATE_DIR = "state"

/**
 * A file name for any string: bytes of `[A-Za-z0-9_-]` as they are, every other
 * UTF-8 byte as `%XX`; names longer than 180 characters are shortened to their
 * first 100 characters, `~` and 32 hex digits of their SHA-256.
 */
export const escapeName = (name: string): string => {
  let out = ""
  for (const byte of Buffer.from(name, "utf8")) {
    const ok =
      (byte >= 0x30 && byte <= 0x39) ||
      (byte >= 0x41 && byte <= 0x5a) ||
      (byte >= 0x61 && byte <= 0x7a) ||
      byte === 0x5f ||
      byte === 0x2d
    out += ok ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`
  }
  if (out.length > 180) out = `${out.slice(0, 100)}~${createHash("sha256").update(name).digest("hex").slice(0, 32)}`
  return out
}

/**
 * The file name of a stream's snapshot under a key: `<stream>.<key>.json` (both
 * escaped) while that fits in 200 bytes — every file system's 255-byte name
 * limit with room to spare — and otherwise the stream's first 60 escaped
 * characters, `~` and 40 hex digits of the SHA-256 of the pair. A hashed name
 * has no `.` before `.json`, so it never equals a plain one.
 */
export const snapshotFileName = (stream: string, key: string): string => {
  const plain = `${escapeName(stream)}.${escapeName(key)}.json`
  if (plain.length <= 200) return plain
  const digest = createHash("sha256").update(stream).update("\u0000").update(key).digest("hex").slice(0, 40)
  return `${escapeName(stream).slice(0, 60)}~${digest}.json`
}

export class StateFiles {
  constructor(
    readonly directory: string,
    readonly io: Io,
    readonly durable: boolean,
    readonly readOnly: boolean
  ) {}

  private path(kind: string, file: string): string {
    return join(this.directory, STATE_DIR, kind, file)
  }

  /**
   * Throws `StoreUnavailable` (caused by `StoreReadOnly`) when the store is open read-only:
   * the first step of every state mutation (the store runs them one at a time, under its
   * state semaphore).
   */
  assertWritable(): void {
    if (!this.readOnly) return
    const message =
      `the file store at ${this.directory} is open read-only: checkpoints, projection state, leases and ` +
      "snapshots cannot be written to it; to run a projection over a read-only opener, give the runner a " +
      "separate ProjectionStore (for example a memory store's, or one in another directory)"
    throw unavailable(message, new StoreErrors.StoreReadOnly({ operation: "write state", message }))
  }

  async read(kind: string, file: string, key: Record<string, string>): Promise<Record<string, unknown> | undefined> {
    const path = this.path(kind, file)
    const bytes = await readIfExists(path)
    if (bytes === undefined) return undefined
    const text = bytes.toString("utf8")
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      throw new StoreErrors.StoreCorrupted({
        message: `${kind} file is not JSON`,
        location: `${STATE_DIR}/${kind}/${file}`
      })
    }
    if (typeof json !== "object" || json === null) {
      throw new StoreErrors.StoreCorrupted({
        message: `${kind} file is not an object`,
        location: `${STATE_DIR}/${kind}/${file}`
      })
    }
    const obj = json as Record<string, unknown>
    for (const [k, v] of Object.entries(key)) if (obj[k] !== v) return undefined // a shortened-name collision
    return obj
  }

  async write(kind: string, file: string, value: Record<string, unknown>): Promise<void> {
    await mkdir(join(this.directory, STATE_DIR, kind), { recursive: true })
    await this.io.writeFileAtomic(
      this.path(kind, file),
      Buffer.from(`${JSON.stringify(value)}\n`, "utf8"),
      this.durable
    )
  }

  async remove(kind: string, file: string): Promise<void> {
    await this.io.removeFile(this.path(kind, file), this.durable)
  }
}

/** Journals of keyed projection state are compacted once they pass this size and four times their last compaction. */
const COMPACT_BYTES = 64 * 1024 * 1024

interface Journal {
  /** Bytes of the journal's valid part (complete lines). */
  readonly size: number
  readonly checkpoint: number
  /** Size right after the last compaction (or creation). */
  readonly base: number
}

/**
 * Keyed projection state: one journal per projection,
 * `state/keyed/<escaped name>.jsonl`. Its first line names the projection; every
 * other line is one save, `{"checkpoint":n,"changed":[[key,value],…],"removed":[…]}`,
 * appended (and flushed when durable) in one write, so a save costs the size of
 * what changed. A save is in the state once its line is complete: a torn last
 * line (a crash mid-append) is no save and is cut before the next one; any other
 * line that does not parse is corruption. A journal grown past 64 MiB and four
 * times its size after the last compaction is rewritten atomically as one save
 * of every entry.
 */
export class KeyedJournals {
  private readonly known = new Map<string, Journal>()

  constructor(readonly files: StateFiles) {}

  private file(name: string): string {
    return `${escapeName(name)}.jsonl`
  }

  private path(name: string): string {
    return join(this.files.directory, STATE_DIR, "keyed", this.file(name))
  }

  /** Reads a journal: its entries (sorted by key), checkpoint and valid size; `undefined` when none. */
  async read(
    name: string
  ): Promise<{ readonly entries: Array<[string, unknown]>; readonly journal: Journal } | undefined> {
    const bytes = await readIfExists(this.path(name))
    if (bytes === undefined) return undefined
    const location = `${STATE_DIR}/keyed/${this.file(name)}`
    const corrupted = (message: string) => new StoreErrors.StoreCorrupted({ message, location })
    const entries = new Map<string, unknown>()
    let checkpoint = 0
    let start = 0
    let lineNo = 0
    while (start < bytes.length) {
      const nl = bytes.indexOf(0x0a, start)
      if (nl === -1) break // a torn last line: no save
      let json: Record<string, unknown>
      try {
        json = JSON.parse(bytes.toString("utf8", start, nl)) as Record<string, unknown>
      } catch {
        throw corrupted(`keyed state line ${lineNo + 1} is not JSON`)
      }
      if (lineNo === 0) {
        if (json?.name !== name) return undefined // a shortened-name collision
      } else {
        if (typeof json?.checkpoint !== "number" || !Array.isArray(json.changed) || !Array.isArray(json.removed)) {
          throw corrupted(`keyed state line ${lineNo + 1} is not a save`)
        }
        for (const k of json.removed as Array<string>) entries.delete(k)
        for (const [k, v] of json.changed as Array<[string, unknown]>) entries.set(k, v)
        checkpoint = json.checkpoint
      }
      lineNo++
      start = nl + 1
    }
    if (lineNo === 0) return undefined // a journal whose creation was torn
    const sorted = Array.from(entries).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    const known = this.known.get(name)
    return { entries: sorted, journal: { size: start, checkpoint, base: known?.base ?? start } }
  }

  /** The journal as this process last wrote it, if the file still has that size; else read it. */
  private async current(name: string): Promise<Journal | undefined> {
    const known = this.known.get(name)
    if (known !== undefined) {
      const size = await stat(this.path(name)).then(
        (s) => s.size,
        (e) => (isNotFound(e) ? -1 : Promise.reject(e))
      )
      if (size === known.size) return known
    }
    const read = await this.read(name)
    if (read === undefined) this.known.delete(name)
    else this.known.set(name, read.journal)
    return read?.journal
  }

  /** Appends a save if the checkpoint is `expected` (call it under the store's state semaphore). */
  async save(
    name: string,
    expected: number,
    changes: {
      readonly checkpoint: number
      readonly changed: ReadonlyArray<readonly [string, unknown]>
      readonly removed: ReadonlyArray<string>
    }
  ): Promise<boolean> {
    const journal = await this.current(name)
    if ((journal?.checkpoint ?? 0) !== expected) return false
    const line = Buffer.from(
      `${JSON.stringify({ checkpoint: changes.checkpoint, changed: changes.changed, removed: changes.removed })}\n`,
      "utf8"
    )
    const path = this.path(name)
    if (journal === undefined) {
      await mkdir(join(this.files.directory, STATE_DIR, "keyed"), { recursive: true })
      const head = Buffer.from(`${JSON.stringify({ name })}\n`, "utf8")
      const data = Buffer.concat([head, line])
      await this.files.io.writeFileAtomic(path, data, this.files.durable)
      this.known.set(name, { size: data.length, checkpoint: changes.checkpoint, base: data.length })
      return true
    }
    const fh = await open(path, "r+")
    try {
      const { size } = await fh.stat()
      if (size > journal.size) await fh.truncate(journal.size) // the torn tail of a crashed save
      await this.files.io.writeAll(fh, path, line, journal.size)
      if (this.files.durable) await this.files.io.datasync(fh, path)
    } finally {
      await fh.close()
    }
    const next = { size: journal.size + line.length, checkpoint: changes.checkpoint, base: journal.base }
    this.known.set(name, next)
    if (next.size > COMPACT_BYTES && next.size > 4 * next.base) await this.compact(name)
    return true
  }

  /** Rewrites a journal as one save of every entry (atomically). */
  private async compact(name: string): Promise<void> {
    const read = await this.read(name)
    if (read === undefined) return
    const head = `${JSON.stringify({ name })}\n`
    const body = `${JSON.stringify({ checkpoint: read.journal.checkpoint, changed: read.entries, removed: [] })}\n`
    const data = Buffer.from(head + body, "utf8")
    await this.files.io.writeFileAtomic(this.path(name), data, this.files.durable)
    this.known.set(name, { size: data.length, checkpoint: read.journal.checkpoint, base: data.length })
  }

  /** Removes a journal (call it under the store's state semaphore). */
  async remove(name: string): Promise<void> {
    this.known.delete(name)
    await this.files.io.removeFile(this.path(name), this.files.durable)
  }
}
