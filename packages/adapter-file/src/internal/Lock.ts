/**
 * The writer lock: a file `LOCK` created exclusively (O_CREAT|O_EXCL) holding
 * `{"pid","host","since","token"}`. A lock whose owner is a dead process on
 * this host is stale and is taken over under a second exclusive file,
 * `LOCK.takeover`, so that two processes never both take it over.
 *
 * @internal
 */
import { open, readFile, stat } from "node:fs/promises"
import { hostname } from "node:os"
import { join } from "node:path"
import { StoreLocked } from "../FileStoreErrors.js"
import { type Io, isNotFound } from "./Io.js"

export interface LockInfo {
  readonly pid: number
  readonly host: string
  readonly since: string
  readonly token: string
}

export const LOCK_FILE = "LOCK"
const TAKEOVER_FILE = "LOCK.takeover"

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

/** Whether a process of this host is alive (EPERM: alive, owned by someone else). */
export const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM"
  }
}

const readInfo = async (path: string): Promise<LockInfo | "absent" | "invalid"> => {
  let text: string
  try {
    text = await readFile(path, "utf8")
  } catch (e) {
    if (isNotFound(e)) return "absent"
    throw e
  }
  try {
    const j = JSON.parse(text)
    if (Number.isSafeInteger(j.pid) && typeof j.host === "string" && typeof j.token === "string") {
      return { pid: j.pid, host: j.host, since: String(j.since ?? ""), token: j.token }
    }
  } catch {
    // fall through
  }
  return "invalid"
}

/** Creates `path` exclusively with `info`; false if it exists. */
const createExclusive = async (io: Io, path: string, info: LockInfo): Promise<boolean> => {
  let fh: Awaited<ReturnType<typeof open>>
  try {
    fh = await open(path, "wx")
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return false
    throw e
  }
  try {
    await io.writeAll(fh, path, Buffer.from(`${JSON.stringify(info)}\n`), 0)
    await io.sync(fh, path)
  } catch (e) {
    await fh.close().catch(() => undefined)
    await io.removeFile(path, false).catch(() => undefined)
    throw e
  }
  await fh.close()
  return true
}

/** A lock file that is being written (created, not yet filled) is given this long. */
const INVALID_GRACE_MS = 2_000

const locked = (directory: string, owner: LockInfo, what = "holds the write lock"): StoreLocked =>
  new StoreLocked({
    directory,
    pid: owner.pid,
    host: owner.host,
    since: owner.since,
    message: `the store ${directory} is locked: process ${owner.pid} on ${owner.host} ${what} (since ${owner.since})`
  })

/**
 * Whether a lock owner is certainly gone: a dead pid on this host. A lock of
 * another host, or of this very process, is never stale.
 */
const isStale = (owner: LockInfo): boolean =>
  owner.host === hostname() && owner.pid !== process.pid && !isAlive(owner.pid)

/** Takes the lock of `directory` or fails with {@link StoreLocked}. */
export const acquireLock = async (io: Io, directory: string): Promise<LockInfo> => {
  const path = join(directory, LOCK_FILE)
  const takeover = join(directory, TAKEOVER_FILE)
  const me: LockInfo = {
    pid: process.pid,
    host: hostname(),
    since: new Date().toISOString(),
    token: `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 10)}`
  }
  for (let attempt = 0; attempt < 50; attempt++) {
    if (await createExclusive(io, path, me)) return me
    const owner = await readInfo(path)
    if (owner === "absent") continue
    if (owner === "invalid") {
      // either being written right now, or left half-written by a crash
      const st = await stat(path).catch(() => undefined)
      if (st !== undefined && Date.now() - st.mtimeMs < INVALID_GRACE_MS) {
        await sleep(50)
        continue
      }
    } else if (!isStale(owner)) {
      throw locked(directory, owner)
    }
    // stale: take it over under the takeover lock
    if (!(await createExclusive(io, takeover, me))) {
      const taker = await readInfo(takeover)
      if (taker !== "absent" && taker !== "invalid" && isStale(taker)) {
        // the taker died during its takeover (a window of milliseconds)
        await io.removeFile(takeover, true)
      } else if (taker !== "absent") {
        await sleep(20)
      }
      continue
    }
    try {
      const again = await readInfo(path)
      const same =
        (again === "invalid" && owner === "invalid") ||
        (typeof again === "object" && typeof owner === "object" && again.token === owner.token)
      if (same) {
        await io.removeFile(path, true)
        if (await createExclusive(io, path, me)) {
          await io.syncDir(directory)
          return me
        }
      }
    } finally {
      await io.removeFile(takeover, true).catch(() => undefined)
    }
  }
  const owner = await readInfo(path)
  if (typeof owner === "object") throw locked(directory, owner)
  throw locked(directory, { pid: -1, host: "?", since: "?", token: "" }, "left an unreadable lock file")
}

/** Gives the lock up if we still hold it. */
export const releaseLock = async (io: Io, directory: string, me: LockInfo): Promise<void> => {
  const path = join(directory, LOCK_FILE)
  const owner = await readInfo(path)
  if (typeof owner === "object" && owner.token === me.token) await io.removeFile(path, true)
}

/** The current lock owner, if any (for read-only openers' information). */
export const readLockOwner = async (directory: string): Promise<LockInfo | undefined> => {
  const owner = await readInfo(join(directory, LOCK_FILE))
  return typeof owner === "object" ? owner : undefined
}
