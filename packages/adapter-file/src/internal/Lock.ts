/**
 * The writer lock: a file `LOCK` created exclusively (O_CREAT|O_EXCL) holding
 * `{"pid","host","since","token","boot","start"}`. A stale lock is taken over
 * under a second exclusive file, `LOCK.takeover`, so that two processes never
 * both take it over.
 *
 * A lock is stale when its owner is certainly gone, which a pid alone cannot
 * tell (a restarted container's writer is pid 1 again, a reused pid after a
 * reboot looks alive). So the lock records who its owner is, not only its pid:
 *
 * - `boot`: the kernel's boot id (`/proc/sys/kernel/random/boot_id`). A lock of
 *   another boot of this host is stale: every process of that boot is gone.
 * - `start`: the owner's start time (field 22 of `/proc/<pid>/stat`, clock ticks
 *   since boot). A live process with that pid but another start time is not the
 *   owner: the pid was reused.
 * - `token`: unique per acquisition; this process keeps the tokens it holds (in
 *   a registry shared by every copy of the module loaded in the process). A lock
 *   that names this very pid with a token this process does not hold was left
 *   by an earlier process that had the same pid (the container case).
 *
 * Where `/proc` is absent (not Linux), or for a lock written without `boot` and
 * `start`, staleness falls back to "the pid is not alive" (and the own-pid rule).
 *
 * @internal
 */
import { open, readFile, stat } from "node:fs/promises"
import { hostname } from "node:os"
import { join } from "node:path"
import { Data, Effect, Schedule, type Scope } from "effect"
import { StoreLocked } from "../FileStoreErrors.js"
import { toStoreError } from "./Errors.js"
import { type Io, isNotFound } from "./Io.js"

export interface LockInfo {
  readonly pid: number
  readonly host: string
  readonly since: string
  readonly token: string
  /** The boot id of the owner's kernel, where known. */
  readonly boot?: string
  /** The owner's start time (clock ticks since boot), where known. */
  readonly start?: string
}

export const LOCK_FILE = "LOCK"
const TAKEOVER_FILE = "LOCK.takeover"

/** Attempts before giving up on a lock that keeps changing under us. */
const ATTEMPTS = 50
/** Pause between attempts. */
const SPACING = "50 millis"
/** A lock file that is being written (created, not yet filled) is given this long. */
const INVALID_GRACE_MS = 2_000

// ---------------------------------------------------------------- who a process is

const readText = async (path: string): Promise<string | undefined> => {
  try {
    return await readFile(path, "utf8")
  } catch {
    return undefined
  }
}

let bootIdCache: Promise<string | undefined> | undefined
/** This kernel's boot id, or `undefined` where the system does not tell. */
export const bootId = (): Promise<string | undefined> => {
  bootIdCache ??= readText("/proc/sys/kernel/random/boot_id").then((t) => t?.trim() || undefined)
  return bootIdCache
}

/** The start time of process `pid` (clock ticks since boot), or `undefined` (no such process, no /proc). */
export const startTimeOf = async (pid: number): Promise<string | undefined> => {
  const text = await readText(`/proc/${pid}/stat`)
  if (text === undefined) return undefined
  // "pid (comm) state ppid …": comm may hold spaces and parentheses; fields resume after the last ")"
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ")
  const start = fields[19]
  return start !== undefined && /^\d+$/.test(start) ? start : undefined
}

/** Whether a process of this host is alive (EPERM: alive, owned by someone else). */
export const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM"
  }
}

/** The tokens of the locks this process holds, shared by every copy of this module in the process. */
const heldTokens: Set<string> = (() => {
  const registry = globalThis as Record<symbol, Set<string> | undefined>
  const key = Symbol.for("@xueshi/adapter-file/heldLockTokens")
  const existing = registry[key]
  if (existing !== undefined) return existing
  const created = new Set<string>()
  registry[key] = created
  return created
})()

/**
 * Whether a lock owner is certainly gone. A lock of another host is never
 * stale (nothing here can tell whether its owner lives).
 */
export const isStale = async (owner: LockInfo): Promise<boolean> => {
  if (owner.host !== hostname()) return false
  if (owner.pid === process.pid) return !heldTokens.has(owner.token)
  const boot = await bootId()
  if (owner.boot !== undefined && boot !== undefined && owner.boot !== boot) return true
  if (!isAlive(owner.pid)) return true
  if (owner.start !== undefined) {
    const start = await startTimeOf(owner.pid)
    if (start !== undefined && start !== owner.start) return true
  }
  return false
}

// ---------------------------------------------------------------- the lock file

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
      return {
        pid: j.pid,
        host: j.host,
        since: String(j.since ?? ""),
        token: j.token,
        ...(typeof j.boot === "string" ? { boot: j.boot } : {}),
        ...(typeof j.start === "string" ? { start: j.start } : {})
      }
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

const locked = (directory: string, owner: LockInfo, what = "holds the write lock"): StoreLocked =>
  new StoreLocked({
    directory,
    pid: owner.pid,
    host: owner.host,
    since: owner.since,
    message: `the store ${directory} is locked: process ${owner.pid} on ${owner.host} ${what} (since ${owner.since})`
  })

/** The lock changed under us (being written, taken over right now): look again. */
class Busy extends Data.TaggedError("Busy")<{}> {}

/** One attempt: the lock, or `Busy` (look again), or the live owner. */
const attempt = async (io: Io, directory: string, me: LockInfo): Promise<LockInfo | Busy> => {
  const path = join(directory, LOCK_FILE)
  const takeover = join(directory, TAKEOVER_FILE)
  if (await createExclusive(io, path, me)) return me
  const owner = await readInfo(path)
  if (owner === "absent") return new Busy()
  if (owner === "invalid") {
    // either being written right now, or left half-written by a crash
    const st = await stat(path).catch(() => undefined)
    if (st !== undefined && Date.now() - st.mtimeMs < INVALID_GRACE_MS) return new Busy()
  } else if (!(await isStale(owner))) {
    throw locked(directory, owner)
  }
  // stale: take it over under the takeover lock
  if (!(await createExclusive(io, takeover, me))) {
    const taker = await readInfo(takeover)
    // the taker died during its takeover (a window of milliseconds)
    if (typeof taker === "object" && (await isStale(taker))) await io.removeFile(takeover, true)
    return new Busy()
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
  return new Busy()
}

/** Who this process is, for a new lock. */
const whoAmI = async (): Promise<LockInfo> => {
  const boot = await bootId()
  const start = await startTimeOf(process.pid)
  return {
    pid: process.pid,
    host: hostname(),
    since: new Date().toISOString(),
    token: `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 10)}`,
    ...(boot === undefined ? {} : { boot }),
    ...(start === undefined ? {} : { start })
  }
}

type LockError = StoreLocked | ReturnType<typeof toStoreError>

const lockError = (e: unknown): LockError => (e instanceof StoreLocked ? e : toStoreError(e))

/** Takes the lock of `directory` or fails with {@link StoreLocked}. */
export const acquireLock = (io: Io, directory: string): Effect.Effect<LockInfo, LockError> =>
  Effect.gen(function* () {
    const me = yield* Effect.tryPromise({ try: whoAmI, catch: lockError })
    // registered before the lock file exists: a concurrent opener of this process must see it held
    heldTokens.add(me.token)
    const once = Effect.tryPromise({ try: () => attempt(io, directory, me), catch: lockError }).pipe(
      Effect.flatMap((r) => (r instanceof Busy ? Effect.fail(r) : Effect.succeed(r)))
    )
    return yield* once.pipe(
      Effect.retry({ schedule: Schedule.spaced(SPACING), times: ATTEMPTS, while: (e) => e instanceof Busy }),
      Effect.catchTag("Busy", () =>
        Effect.flatMap(
          Effect.tryPromise({ try: () => readInfo(join(directory, LOCK_FILE)), catch: lockError }),
          (owner) =>
            Effect.fail(
              typeof owner === "object"
                ? locked(directory, owner)
                : locked(directory, { pid: -1, host: "?", since: "?", token: "" }, "left an unreadable lock file")
            )
        )
      ),
      Effect.tapError(() => Effect.sync(() => heldTokens.delete(me.token)))
    )
  })

/** Gives the lock up if we still hold it. */
export const releaseLock = (io: Io, directory: string, me: LockInfo): Effect.Effect<void> =>
  Effect.promise(async () => {
    try {
      const path = join(directory, LOCK_FILE)
      const owner = await readInfo(path)
      if (typeof owner === "object" && owner.token === me.token) await io.removeFile(path, true)
    } catch {
      // the lock file stays; the next opener finds it stale
    } finally {
      heldTokens.delete(me.token)
    }
  })

/** The lock of `directory`, held for the scope's lifetime. */
export const scopedLock = (io: Io, directory: string): Effect.Effect<LockInfo, LockError, Scope.Scope> =>
  Effect.acquireRelease(acquireLock(io, directory), (me) => releaseLock(io, directory, me))

/** The current lock owner, if any (for read-only openers' information). */
export const readLockOwner = async (directory: string): Promise<LockInfo | undefined> => {
  const owner = await readInfo(join(directory, LOCK_FILE))
  return typeof owner === "object" ? owner : undefined
}
