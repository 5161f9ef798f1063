/**
 * One writer per store: a second writer process gets `StoreLocked` naming the
 * owner; the lock of a killed writer is taken over; read-only openers in other
 * processes open a locked store and tail it.
 */
import { type ChildProcess, fork } from "node:child_process"
import { existsSync, readFileSync, utimesSync, writeFileSync } from "node:fs"
import { hostname } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { Cause, Effect, Exit, Fiber, Stream } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import { FileStore } from "../src/index.js"
import { bootId, startTimeOf } from "../src/internal/Lock.js"
import { cleanup, numberOf, openStore, tempDir } from "./helpers.js"

const packageDir = fileURLToPath(new URL("..", import.meta.url))
const script = fileURLToPath(new URL("./crash/LockChild.ts", import.meta.url))
const dirs: Array<string> = []
const children: Array<ChildProcess> = []
afterAll(() => {
  for (const c of children) c.kill("SIGKILL")
  for (const d of dirs) cleanup(d)
})

const spawn = (directory: string, mode: "hold" | "try") => {
  const proc = fork(script, [directory, mode], {
    // effect is loaded before tsx's hooks are installed: the child starts in half the time
    execArgv: ["--conditions=@xueshi/source", "--import", "effect", "--import", "tsx"],
    cwd: packageDir,
    stdio: ["ignore", "ignore", "inherit", "ipc"]
  })
  children.push(proc)
  const messages: Array<any> = []
  const waiters: Array<() => void> = []
  proc.on("message", (m) => {
    messages.push(m)
    for (const w of waiters.splice(0)) w()
  })
  const next = (type: string): Promise<any> =>
    new Promise((resolve, reject) => {
      const look = () => {
        const i = messages.findIndex((m) => m.type === type)
        if (i >= 0) resolve(messages.splice(i, 1)[0])
        else waiters.push(look)
      }
      proc.once("exit", (code) => setTimeout(() => reject(new Error(`child exited (${code}) before ${type}`)), 100))
      look()
    })
  const exited = new Promise<void>((resolve) => proc.once("close", () => resolve()))
  return { proc, next, exited }
}

const openError = async (options: FileStore.FileStoreOptions) => {
  const exit = await Effect.runPromiseExit(Effect.scoped(FileStore.make(options)))
  return Exit.isFailure(exit) ? (Cause.squash(exit.cause) as Record<string, unknown>) : undefined
}

describe("the writer lock", () => {
  it("a second writer process gets StoreLocked; readers tail; a killed writer's lock is taken over", {
    timeout: 120_000
  }, async () => {
    const directory = tempDir()
    dirs.push(directory)
    const writer = spawn(directory, "hold")
    const { pid } = await writer.next("opened")
    expect(JSON.parse(readFileSync(join(directory, "LOCK"), "utf8"))).toMatchObject({ pid, host: hostname() })

    // a second writer process
    const second = spawn(directory, "try")
    const result = await second.next("result")
    expect(result).toMatchObject({ tag: "StoreLocked", pid, host: hostname() })
    expect(result.message).toContain(String(pid))
    // and a second writer in this process
    expect(await openError({ directory })).toMatchObject({ _tag: "StoreLocked", pid, host: hostname() })

    // a read-only opener tails the writer
    const reader = await openStore({ directory, readOnly: true, pollMillis: 10 })
    const fiber = Effect.runFork(Stream.runCollect(Stream.take(reader.store.eventStore.subscribe(), 5)))
    writer.proc.send({ type: "append", stream: "school-W", n: 2 })
    expect((await writer.next("appended")).result).toMatchObject({ version: 2, positions: [1, 2] })
    writer.proc.send({ type: "append", stream: "school-W", n: 3 })
    await writer.next("appended")
    const seen = await Effect.runPromise(Fiber.join(fiber))
    expect(seen.map((e) => [e.position, numberOf(e)])).toEqual([
      [1, 0],
      [2, 1],
      [3, 2],
      [4, 3],
      [5, 4]
    ])
    expect(await Effect.runPromise(reader.store.eventStore.version("school-W"))).toBe(5)
    // a reader cannot write
    const denied = await Effect.runPromiseExit(reader.store.eventStore.append("school-W", [], "any"))
    expect(Exit.isFailure(denied) && (Cause.squash(denied.cause) as { _tag: string })._tag).toBe("StoreUnavailable")
    await reader.close()

    // the writer dies; its lock is stale and taken over
    writer.proc.kill("SIGKILL")
    await writer.exited
    expect(JSON.parse(readFileSync(join(directory, "LOCK"), "utf8")).pid).toBe(pid)
    const taken = await openStore({ directory })
    expect(JSON.parse(readFileSync(join(directory, "LOCK"), "utf8")).pid).toBe(process.pid)
    expect(await Effect.runPromise(taken.store.eventStore.head())).toBe(5)
    await taken.close()
    expect(() => readFileSync(join(directory, "LOCK"))).toThrow()
  })

  it("a lock of another host is never taken over; a stale unreadable lock is", async () => {
    const directory = tempDir()
    dirs.push(directory)
    const lock = join(directory, "LOCK")
    writeFileSync(
      lock,
      JSON.stringify({ pid: 1, host: "elsewhere.example", since: "2025-01-01T00:00:00Z", token: "t" })
    )
    expect(await openError({ directory })).toMatchObject({ _tag: "StoreLocked", pid: 1, host: "elsewhere.example" })
    // half-written lock file of a crashed process, old enough
    writeFileSync(lock, '{"pid":12')
    const old = new Date(Date.now() - 60_000)
    utimesSync(lock, old, old)
    const s = await openStore({ directory })
    expect(JSON.parse(readFileSync(lock, "utf8")).pid).toBe(process.pid)
    await s.close()
  })

  it("a lock of a dead process on this host is taken over by exactly one of many concurrent openers", async () => {
    const directory = tempDir()
    dirs.push(directory)
    // a pid that is not alive: a child that has exited
    const dead = spawn(directory, "try")
    await dead.next("result")
    await dead.exited
    const deadPid = dead.proc.pid as number
    for (let round = 0; round < 5; round++) {
      writeFileSync(
        join(directory, "LOCK"),
        JSON.stringify({ pid: deadPid, host: hostname(), since: "x", token: `dead-${round}` })
      )
      const exits = await Promise.all(
        Array.from({ length: 8 }, () =>
          Effect.runPromiseExit(
            Effect.scoped(Effect.flatMap(FileStore.make({ directory, durability: "never" }), () => Effect.sleep(50)))
          )
        )
      )
      const opened = exits.filter(Exit.isSuccess).length
      expect(opened, `round ${round}`).toBe(1)
      for (const e of exits) {
        if (Exit.isFailure(e)) expect((Cause.squash(e.cause) as { _tag: string })._tag).toBe("StoreLocked")
      }
    }
  })

  describe("staleness that pid reuse cannot fool", () => {
    const hasProc = existsSync("/proc/self/stat") && existsSync("/proc/sys/kernel/random/boot_id")
    if (!hasProc) console.warn("skipping the boot-id and start-time lock tests: this system has no /proc (not Linux)")
    const writeLock = (directory: string, info: Record<string, unknown>) =>
      writeFileSync(join(directory, "LOCK"), JSON.stringify({ since: "2025-01-01T00:00:00Z", ...info }))
    const lockToken = (directory: string) => JSON.parse(readFileSync(join(directory, "LOCK"), "utf8")).token

    it("container restart: a lock naming this very pid and host, not held by this process, is taken over", async () => {
      const directory = tempDir()
      dirs.push(directory)
      // the previous incarnation of the container's writer was pid 1 on the same hostname, as this one is
      const boot = await bootId()
      const start = await startTimeOf(process.pid)
      writeLock(directory, {
        pid: process.pid,
        host: hostname(),
        token: "before-the-restart",
        ...(boot === undefined ? {} : { boot }),
        ...(start === undefined ? {} : { start })
      })
      const s = await openStore({ directory })
      const token = lockToken(directory)
      expect(token).not.toBe("before-the-restart")
      // the lock this process does hold is not stale to itself
      expect(await openError({ directory })).toMatchObject({ _tag: "StoreLocked", pid: process.pid })
      expect(lockToken(directory)).toBe(token)
      await s.close()
    })

    it.runIf(hasProc)("reboot: a lock of another boot is stale even though its pid is alive again", async () => {
      const directory = tempDir()
      dirs.push(directory)
      const pid = process.ppid // alive, on this host, not this process
      const boot = (await bootId()) as string
      const start = (await startTimeOf(pid)) as string
      // control: the same owner in this boot is alive, and keeps its lock
      writeLock(directory, { pid, host: hostname(), token: "live", boot, start })
      expect(await openError({ directory })).toMatchObject({ _tag: "StoreLocked", pid })
      // after a reboot the pid is reused by a live process; the lock's boot id says it is from before
      writeLock(directory, {
        pid,
        host: hostname(),
        token: "before-reboot",
        boot: "00000000-0000-4000-8000-000000000000",
        start
      })
      const s = await openStore({ directory })
      expect(JSON.parse(readFileSync(join(directory, "LOCK"), "utf8"))).toMatchObject({ pid: process.pid, boot })
      await s.close()
    })

    it.runIf(hasProc)(
      "pid reuse in the same boot: a live process with another start time is not the owner",
      async () => {
        const directory = tempDir()
        dirs.push(directory)
        const pid = process.ppid
        const boot = (await bootId()) as string
        const start = (await startTimeOf(pid)) as string
        writeLock(directory, { pid, host: hostname(), token: "reused", boot, start: String(BigInt(start) + 1n) })
        const s = await openStore({ directory })
        expect(JSON.parse(readFileSync(join(directory, "LOCK"), "utf8"))).toMatchObject({
          pid: process.pid,
          start: await startTimeOf(process.pid)
        })
        await s.close()
      }
    )

    it("a lock of a live pid without boot id and start time (an older writer) is kept", async () => {
      const directory = tempDir()
      dirs.push(directory)
      writeLock(directory, { pid: process.ppid, host: hostname(), token: "old-format" })
      expect(await openError({ directory })).toMatchObject({ _tag: "StoreLocked", pid: process.ppid })
    })
  })
})
