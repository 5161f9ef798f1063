/**
 * Laws of `evolve`: it is total on valid histories (never throws), deterministic
 * (the same events give the same state), and a stream's state depends only on
 * its own events (not on how the streams are interleaved). States hold Effect
 * HashMap/HashSet and Map, so they are compared through a structural normal form.
 */
import { fc, test } from "@fast-check/vitest"
import { Decider, type Events, LogValidator, StreamKinds } from "@xueshi/core"
import { describe, expect } from "vitest"
import { districtHistory, type History, makeRandom, renderLines } from "../src/DistrictHistory.js"
import { fingerprint } from "../src/Normalize.js"

const byStream = (history: History): Map<string, Array<Events.DomainEvent>> => {
  const m = new Map<string, Array<Events.DomainEvent>>()
  for (const l of history) {
    const list = m.get(l.stream) ?? []
    list.push({ type: l.type, data: l.data } as Events.DomainEvent)
    m.set(l.stream, list)
  }
  return m
}

const kindOf = (stream: string) =>
  StreamKinds.StreamKinds[stream.slice(0, stream.indexOf("-")) as Events.StreamCategory]

const foldAll = (history: History): Map<string, string> => {
  const out = new Map<string, string>()
  for (const [stream, events] of byStream(history)) out.set(stream, fingerprint(Decider.fold(kindOf(stream), events)))
  return out
}

/** Another interleaving of the same streams: each stream's order kept, streams merged at random. */
const reinterleave = (history: History, seed: number): History => {
  const r = makeRandom(seed)
  const queues = [...byStreamLines(history).values()]
  const out: Array<History[number]> = []
  while (queues.length > 0) {
    const i = r.int(0, queues.length - 1)
    const q = queues[i] as Array<History[number]>
    out.push(q.shift() as History[number])
    if (q.length === 0) queues.splice(i, 1)
  }
  return out
}

const byStreamLines = (history: History) => {
  const m = new Map<string, Array<History[number]>>()
  for (const l of history) m.set(l.stream, [...(m.get(l.stream) ?? []), l])
  return m
}

describe("evolve", () => {
  test.prop([districtHistory()])("is total and deterministic on valid histories", (history) => {
    const once = foldAll(history)
    const twice = foldAll(history)
    expect(twice).toEqual(once)
    // a fold of structurally cloned events gives the same state
    const cloned = structuredClone(history.map((l) => ({ ...l }))) as unknown as History
    expect(foldAll(cloned)).toEqual(once)
  })

  test.prop([districtHistory(), fc.integer()])(
    "a stream's state does not depend on the interleaving",
    (history, seed) => {
      expect(foldAll(reinterleave(history, seed))).toEqual(foldAll(history))
    }
  )

  test.prop([districtHistory()])("the validator's stream states are the folds of the streams", (history) => {
    const v = LogValidator.makeLogValidator()
    for (const line of renderLines(history)) expect(v.push(line)._tag).toBe("Record")
    const folded = foldAll(history)
    expect(new Map([...v.streams].map(([s, slot]) => [s, fingerprint(slot.state)]))).toEqual(folded)
    for (const [s, events] of byStream(history)) expect(v.streams.get(s)?.version).toBe(events.length)
  })
})
