import { Effect, Option } from "effect"
import { afterEach, describe, expect, it } from "vitest"
import { snapshotFileName } from "../src/internal/State.js"
import { cleanup, tempDir, withStore } from "./helpers.js"

const dirs: Array<string> = []
afterEach(() => {
  for (const d of dirs.splice(0)) cleanup(d)
})

describe("snapshot file names", () => {
  it("keep the plain form for short names and stay under the 255-byte limit for long ones", () => {
    expect(snapshotFileName("member-M1", "annual")).toBe("member-M1.annual.json")
    for (const [s, k] of [
      ["m".repeat(170), "k"],
      ["m", "k".repeat(170)],
      ["成员".repeat(60), "键".repeat(60)],
      ["m".repeat(5000), "k".repeat(5000)]
    ] as const) {
      const name = snapshotFileName(s, k)
      expect(Buffer.byteLength(name)).toBeLessThanOrEqual(255)
      expect(name.endsWith(".json")).toBe(true)
    }
    // distinct pairs, distinct names (also where only the split between stream and key differs)
    expect(snapshotFileName("a".repeat(150), "b".repeat(150))).not.toBe(
      snapshotFileName("a".repeat(151), "b".repeat(149))
    )
  })

  it("a snapshot under a ~170-character name saves and loads (no ENAMETOOLONG, no retryable error)", async () => {
    const dir = tempDir()
    dirs.push(dir)
    const stream = `member-${"M".repeat(170)}`
    const key = `policy-${"k".repeat(170)}`
    const loaded = await withStore({ directory: dir }, (store) =>
      Effect.gen(function* () {
        yield* store.snapshots.save(stream, key, { version: 3, state: { hours: 150 } })
        return yield* store.snapshots.load(stream, key)
      })
    )
    expect(Option.getOrUndefined(loaded)).toEqual({ version: 3, state: { hours: 150 } })
  })
})
