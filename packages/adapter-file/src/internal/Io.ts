/**
 * Low-level file operations with a fault-injection seam, shared by the log,
 * the lock and the state files.
 *
 * @internal
 */
import type { FileHandle } from "node:fs/promises"
import { open, readFile, rename, unlink } from "node:fs/promises"
import { dirname } from "node:path"
import { Context } from "effect"

/**
 * The file operations a store uses, as a service: a store opened where it is
 * provided uses it (tests provide one with {@link Faults}); otherwise plain
 * Node file operations. Not part of the public options: users set none.
 */
export class FileIo extends Context.Service<FileIo, Io>()("@xueshi/adapter-file/internal/FileIo") {}

/**
 * Fault injection for tests: each hook is called before the operation and may
 * throw (e.g. an `ENOSPC` error) to make it fail. `write` may instead answer a
 * byte count `k` smaller than `length`: then only `k` bytes are written and
 * the write fails with `ENOSPC` (a short write on a full disk).
 */
export interface Faults {
  readonly write?: (file: string, length: number) => number | undefined
  readonly sync?: (file: string) => void
  readonly rename?: (from: string, to: string) => void
  /**
   * Writes in pieces of at most this many bytes, yielding to the event loop
   * between them, so that a process killed mid-append leaves a torn tail (the
   * crash test uses it; the kernel may split large writes the same way).
   */
  readonly pieceBytes?: number
}

/** A Node-style error with a code, as the fs module throws. */
export const errnoError = (code: string, message: string): NodeJS.ErrnoException => {
  const e = new Error(`${code}: ${message}`) as NodeJS.ErrnoException
  e.code = code
  return e
}

export class Io {
  constructor(readonly faults: Faults | undefined) {}

  /** Writes all of `data` at `position`, looping over short writes. */
  async writeAll(handle: FileHandle, file: string, data: Uint8Array, position: number): Promise<void> {
    let limit = data.length
    const k = this.faults?.write?.(file, data.length)
    if (k !== undefined) limit = Math.max(0, Math.min(k, data.length))
    const piece = this.faults?.pieceBytes
    let done = 0
    while (done < limit) {
      if (piece !== undefined && done > 0) await new Promise((r) => setImmediate(r))
      const want = piece === undefined ? limit - done : Math.min(piece, limit - done)
      const { bytesWritten } = await handle.write(data, done, want, position + done)
      if (bytesWritten <= 0) throw errnoError("EIO", `short write to ${file}`)
      done += bytesWritten
    }
    if (limit < data.length) throw errnoError("ENOSPC", `no space left on device writing ${file} (injected)`)
  }

  async datasync(handle: FileHandle, file: string): Promise<void> {
    this.faults?.sync?.(file)
    await handle.datasync()
  }

  async sync(handle: FileHandle, file: string): Promise<void> {
    this.faults?.sync?.(file)
    await handle.sync()
  }

  async rename(from: string, to: string): Promise<void> {
    this.faults?.rename?.(from, to)
    await rename(from, to)
  }

  /** fsync of a directory, so that a rename or a new file in it is durable. */
  async syncDir(dir: string): Promise<void> {
    if (process.platform === "win32") return
    const fh = await open(dir, "r")
    try {
      this.faults?.sync?.(dir)
      await fh.sync()
    } finally {
      await fh.close()
    }
  }

  /**
   * Writes a file atomically: a temporary file beside it, written and flushed,
   * renamed over the target, then the directory flushed. With `durable` false
   * the flushes are skipped (the rename is still atomic).
   */
  async writeFileAtomic(path: string, data: Uint8Array, durable: boolean): Promise<void> {
    const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`
    try {
      const fh = await open(tmp, "w")
      try {
        await this.writeAll(fh, tmp, data, 0)
        if (durable) await this.sync(fh, tmp)
      } finally {
        await fh.close()
      }
      await this.rename(tmp, path)
    } catch (e) {
      await unlink(tmp).catch(() => undefined)
      throw e
    }
    if (durable) await this.syncDir(dirname(path))
  }

  /** Removes a file (absent is fine) and flushes its directory. */
  async removeFile(path: string, durable: boolean): Promise<void> {
    try {
      await unlink(path)
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return
      throw e
    }
    if (durable) await this.syncDir(dirname(path))
  }
}

/** Whether an error is "no such file or directory". */
export const isNotFound = (e: unknown): boolean => (e as NodeJS.ErrnoException | undefined)?.code === "ENOENT"

/** A file's bytes, or `undefined` when it does not exist (any other error is thrown). */
export const readIfExists = (path: string): Promise<Buffer | undefined> =>
  readFile(path).catch((e: unknown) => (isNotFound(e) ? undefined : Promise.reject(e)))
