/**
 * Checkpoints, projection state, leases and stream snapshots: one small JSON
 * file each, written atomically (temporary file, flush, rename, flush the
 * directory), under `state/`.
 *
 * @internal
 */
import { createHash } from "node:crypto"
import { mkdir, readFile } from "node:fs/promises"
import { join } from "node:path"
import { StoreErrors } from "@xueshi/core"
import { type Io, isNotFound } from "./Io.js"
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

export class StateFiles {
  private chain: Promise<unknown> = Promise.resolve()

  constructor(
    readonly directory: string,
    readonly io: Io,
    readonly durable: boolean,
    readonly readOnly: boolean
  ) {}

  private path(kind: string, file: string): string {
    return join(this.directory, STATE_DIR, kind, file)
  }

  /** Runs mutations one at a time (compare-and-set within the writer process). */
  exclusive<A>(f: () => Promise<A>): Promise<A> {
    if (this.readOnly) {
      const message =
        `the file store at ${this.directory} is open read-only: checkpoints, projection state, leases and ` +
        "snapshots cannot be written to it; to run a projection over a read-only opener, give the runner a " +
        "separate ProjectionStore (for example a memory store's, or one in another directory)"
      return Promise.reject(unavailable(message, new StoreErrors.StoreReadOnly({ operation: "write state", message })))
    }
    const run = this.chain.then(f, f)
    this.chain = run.catch(() => undefined)
    return run
  }

  async read(kind: string, file: string, key: Record<string, string>): Promise<Record<string, unknown> | undefined> {
    const path = this.path(kind, file)
    let text: string
    try {
      text = await readFile(path, "utf8")
    } catch (e) {
      if (isNotFound(e)) return undefined
      throw e
    }
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
