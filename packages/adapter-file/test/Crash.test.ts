/**
 * The crash test: a child process appends batches in a loop (and every third
 * step an `AppendBatch` of 2–3 appends), acknowledging each only after its
 * append resolved; we kill it with SIGKILL at a
 * random moment, reopen the store and check that every acknowledged batch is
 * there, that no batch is partly there, and that the store opens cleanly.
 *
 * XUESHI_CRASH_KILLS sets the number of kills (default 100), XUESHI_CRASH_LANES
 * how many stores are killed side by side (default 2), XUESHI_CRASH_SEED the
 * seed of the random moments (printed).
 */
import { type ChildProcess, fork } from "node:child_process"
import { fileURLToPath } from "node:url"
import { Random } from "@xueshi/testing"
import { Effect } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import { cleanup, openStore, readAll, tempDir } from "./helpers.js"

const packageDir = fileURLToPath(new URL("..", import.meta.url))
const KILLS = Number(process.env.XUESHI_CRASH_KILLS ?? "100")
const LANES = Math.max(1, Number(process.env.XUESHI_CRASH_LANES ?? "2"))
const child = fileURLToPath(new URL("./crash/CrashChild.ts", import.meta.url))
const MODES = [
  { durability: "always", concurrency: 1 },
  { durability: "grouped", concurrency: 6 },
  { durability: "never", concurrency: 3 }
] as const

/** A seeded PRNG (the testing kit's one: `Random.makeRandom`), so a failing run can be replayed with XUESHI_CRASH_SEED. */
const prng = (seed: number): (() => number) => Random.makeRandom(seed).next

interface RunOutcome {
  readonly acked: Array<{ batch: number; n: number }>
  readonly ready: boolean
  readonly exitCode: number | null
  readonly signal: NodeJS.Signals | null
  readonly stderr: string
}

const runChild = (
  directory: string,
  run: number,
  mode: (typeof MODES)[number],
  pieceBytes: number,
  killAfterReadyMs: number | undefined,
  killDuringOpenMs: number
): Promise<RunOutcome> =>
  new Promise((resolve) => {
    const acked: Array<{ batch: number; n: number }> = []
    let ready = false
    let stderr = ""
    const proc: ChildProcess = fork(
      child,
      [directory, mode.durability, String(run), String(mode.concurrency), String(pieceBytes)],
      {
        // effect is loaded before tsx's hooks are installed: the child starts in half the time
        execArgv: ["--conditions=@xueshi/source", "--import", "effect", "--import", "tsx"],
        cwd: packageDir,
        stdio: ["ignore", "ignore", "pipe", "ipc"]
      }
    )
    proc.stderr?.on("data", (d) => {
      stderr += String(d)
    })
    const kill = () => proc.kill("SIGKILL")
    // a safety net: no child lives longer than this
    const safety = setTimeout(kill, 30_000)
    proc.on("message", (m: any) => {
      if (m.type === "opening") {
        // an early kill lands while the store opens (and recovers)
        if (killAfterReadyMs === undefined) setTimeout(kill, killDuringOpenMs)
      } else if (m.type === "ready") {
        ready = true
        if (killAfterReadyMs !== undefined) setTimeout(kill, killAfterReadyMs)
      } else if (m.type === "ack") acked.push({ batch: m.batch, n: m.n })
    })
    proc.on("close", (exitCode, signal) => {
      clearTimeout(safety)
      resolve({ acked, ready, exitCode, signal, stderr })
    })
  })

describe("crash safety", () => {
  const dirs: Array<string> = []
  afterAll(() => {
    for (const d of dirs) cleanup(d)
  })

  it(`survives ${KILLS} SIGKILLs at random moments`, { timeout: 20 * 60_000 }, async () => {
    const seed = Number(process.env.XUESHI_CRASH_SEED ?? Date.now() % 1_000_000)
    const random = prng(seed)
    let kills = 0
    let duringStartup = 0
    let tornTails = 0
    let ackTotal = 0
    const failures: Array<string> = []

    /** One store, killed again and again; LANES of them run side by side. */
    const lane = async (laneNo: number) => {
      const directory = tempDir(`xueshi-crash-${laneNo}-`)
      dirs.push(directory)
      const acked = new Map<string, number>() // "run/batch" → n
      for (let run = 1; kills < KILLS && failures.length === 0; run++) {
        kills++
        const mode = MODES[run % MODES.length] as (typeof MODES)[number]
        const early = random() < 0.15
        const piece = random() < 0.5 ? 1 + Math.floor(random() * 100) : 0
        const outcome = await runChild(
          directory,
          run,
          mode,
          piece,
          early ? undefined : Math.floor(random() * 40),
          Math.floor(random() * 8)
        )
        if (outcome.signal !== "SIGKILL") {
          failures.push(
            `lane ${laneNo} run ${run}: the child ended by itself (code ${outcome.exitCode}): ${outcome.stderr.slice(0, 2000)}`
          )
          return
        }
        if (!outcome.ready) duringStartup++
        for (const a of outcome.acked) acked.set(`${run}/${a.batch}`, a.n)
        ackTotal += outcome.acked.length

        // reopen and check
        const opened = await openStore({ directory }).catch((e) => {
          failures.push(`lane ${laneNo} run ${run}: the store does not open: ${String(e)}`)
          return undefined
        })
        if (opened === undefined) return
        const { store, close } = opened
        try {
          if (store.recovery.tornTail !== undefined) tornTails++
          const events = await readAll(store)
          const batches = new Map<
            string,
            Array<{ i: number; n: number; position: number; version: number; stream: string }>
          >()
          const groups = new Map<string, { parts: number; seen: Set<number> }>()
          events.forEach((e, k) => {
            if (e.position !== k + 1) failures.push(`lane ${laneNo} run ${run}: position ${e.position} at index ${k}`)
            const m = e.meta as {
              run: number
              batch: number
              i: number
              n: number
              group?: number
              part?: number
              parts?: number
            }
            if (m.group !== undefined) {
              const g = groups.get(`${m.run}/${m.group}`) ?? { parts: m.parts ?? 0, seen: new Set<number>() }
              g.seen.add(m.part ?? -1)
              groups.set(`${m.run}/${m.group}`, g)
            }
            const key = `${m.run}/${m.batch}`
            const list = batches.get(key) ?? []
            list.push({ i: m.i, n: m.n, position: e.position, version: e.version, stream: e.stream })
            batches.set(key, list)
          })
          for (const [key, list] of batches) {
            const n = list[0]?.n ?? 0
            const whole =
              list.length === n &&
              list.every(
                (x, i) =>
                  x.i === i &&
                  x.n === n &&
                  x.stream === list[0]?.stream &&
                  x.position === (list[0]?.position ?? 0) + i &&
                  x.version === (list[0]?.version ?? 0) + i
              )
            if (!whole)
              failures.push(`lane ${laneNo} run ${run}: batch ${key} is partly visible: ${JSON.stringify(list)}`)
          }
          // a batch is one write: what a kill leaves of it is its first appends, each whole
          for (const [key, g] of groups) {
            const prefix = [...g.seen].sort((a, b) => a - b).every((part, i) => part === i)
            if (!prefix || g.seen.size > g.parts)
              failures.push(`lane ${laneNo} run ${run}: batch ${key} left parts ${[...g.seen]} of ${g.parts}`)
          }
          for (const [key, n] of acked) {
            if (batches.get(key)?.length !== n) {
              failures.push(`lane ${laneNo} run ${run}: acknowledged batch ${key} (${n} events) is missing`)
            }
          }
          const head = await Effect.runPromise(store.eventStore.head())
          if (head !== events.length)
            failures.push(`lane ${laneNo} run ${run}: head ${head} but ${events.length} events`)
        } finally {
          await close()
        }
      }
    }
    await Promise.all(Array.from({ length: LANES }, (_, i) => lane(i + 1)))
    console.log(
      `crash test: ${kills} SIGKILLs in ${LANES} lanes (${duringStartup} during start-up/recovery), ` +
        `${ackTotal} acknowledged batches checked, ${tornTails} torn tails cut at reopen, ${failures.length} failures (seed ${seed})`
    )
    expect(failures).toEqual([])
    expect(kills).toBeGreaterThanOrEqual(KILLS)
  })
})
