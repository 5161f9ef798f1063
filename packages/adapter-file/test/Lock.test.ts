/**
 * One writer per store: a second writer process gets `StoreLocked` naming the
 * owner; the lock of a killed writer is taken over; read-only openers in other
 * processes open a locked store and tail it.
 */
import { type ChildProcess, fork } from "node:child_process"
import { readFileSync, utimesSync, writeFileSync } from "node:fs"
import { hostname } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { Cause, Effect, Exit, Fiber, Stream } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import { FileStore } from "../src/index.js"
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
  const exit = await Effect.runPromiseExit(Effect.scoped(FileStore.makeFileStore(options)))
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
            Effect.scoped(
              Effect.flatMap(FileStore.makeFileStore({ directory, durability: "never" }), () => Effect.sleep(50))
            )
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
})
