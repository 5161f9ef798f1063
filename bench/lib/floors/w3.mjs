// W3 shared by the floors: the workers' read-version → append → retry loop over a store with a
// synchronous `append(stream, events, expectedVersion) → boolean` and a `versions` map, and the
// result row every W3 subject reports.
import { eventAt, idOf, recordedAtOf, streamOf, w3Streams } from "../events.mjs"

/** Runs the W3 workers against a floor store; answers the committed ids, the conflicts and the time. */
export const runW3Workers = async (store, seed, { workers, perWorker, streams }) => {
  const version = async (s) => store.versions.get(s) ?? 0
  let conflicts = 0
  const committed = []
  const t0 = performance.now()
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      const picks = w3Streams(seed, w, perWorker, streams)
      for (let i = 0; i < perWorker; i++) {
        const s = picks[i]
        const name = streamOf(s).name
        const id = idOf(seed, "W3", w * perWorker + i)
        for (;;) {
          const v = await version(name)
          const ev = { event: eventAt(seed, s, v + 1), id, recordedAt: recordedAtOf(w * perWorker + i) }
          if (store.append(name, [ev], v)) break
          conflicts++
        }
        committed.push(id)
      }
    })
  )
  return { committed, conflicts, ms: performance.now() - t0 }
}

/** The W3 result row: committed events/s, conflicts and the correctness check. */
export const w3Row = (total, ms, conflicts, errors) => ({
  row: "W3",
  value: total / (ms / 1000),
  unit: "events/s",
  ms,
  conflicts,
  check: { ok: errors.length === 0, errors }
})
