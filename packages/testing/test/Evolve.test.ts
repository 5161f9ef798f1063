/**
 * Laws of `evolve` and of the consumers that fold a log in its order:
 *
 * - every event of a valid history passes its kind's check on the state folded
 *   from the events before it, and a stream's state is the same whether folded
 *   from the generated events or from the log lines read back through the codec
 *   (a codec that drops or changes a field breaks it);
 * - a consumer that reads the whole log in order (the log validator) gives every
 *   stream the fold of that stream alone, whatever the interleaving of the
 *   streams, as long as each stream keeps its order and every cross-stream
 *   reference sees the same state of the stream it names (a consumer that
 *   confuses two streams' states, or carries one line's state into the next,
 *   breaks it).
 *
 * States hold Effect HashMap/HashSet and Map, so they are compared through a
 * structural normal form.
 */
import { fc, test } from "@fast-check/vitest"
import { Decider, EventCodec, type Events, LogValidator, References, StreamKinds } from "@xueshi/core"
import { Result } from "effect"
import { describe, expect } from "vitest"
import { districtHistory, type History, type HistoryLine, renderLines } from "../src/District.js"
import { fingerprint } from "../src/Normalize.js"

const kindOf = (stream: string) =>
  StreamKinds.StreamKinds[stream.slice(0, stream.indexOf("-")) as Events.StreamCategory]

const eventOf = (l: { readonly type: string; readonly data: unknown }) =>
  ({ type: l.type, data: l.data }) as Events.DomainEvent

const byStream = (events: ReadonlyArray<HistoryLine | EventCodec.LogRecord>) => {
  const m = new Map<string, Array<Events.DomainEvent>>()
  for (const l of events) {
    const list = m.get(l.stream) ?? []
    list.push(eventOf(l))
    m.set(l.stream, list)
  }
  return m
}

/** Each stream folded alone, from its kind's initial state. */
const foldEach = (events: ReadonlyArray<HistoryLine | EventCodec.LogRecord>): Map<string, string> => {
  const out = new Map<string, string>()
  for (const [stream, es] of byStream(events)) out.set(stream, fingerprint(Decider.fold(kindOf(stream), es)))
  return out
}

/**
 * Another interleaving of the same history, chosen by `picks`: each stream keeps
 * its order, and a line that reads other streams (`References.referencedStreams`)
 * stays after the line of each of them that preceded it and before the one that
 * followed it, so every reference sees the same state. Positions are renumbered
 * in the new order (they must increase along the log).
 */
const reinterleave = (history: History, picks: ReadonlyArray<number>): History => {
  const n = history.length
  const after: Array<Array<number>> = Array.from({ length: n }, () => []) // after[j]: lines that must precede j
  const lastOf = new Map<string, number>()
  const pendingRefs = new Map<string, Array<number>>() // stream → referencing lines since its last line
  history.forEach((line, i) => {
    const prev = lastOf.get(line.stream)
    if (prev !== undefined) after[i]?.push(prev)
    for (const r of pendingRefs.get(line.stream) ?? []) after[i]?.push(r)
    pendingRefs.delete(line.stream)
    for (const ref of References.referencedStreams(eventOf(line))) {
      const last = lastOf.get(ref)
      if (last !== undefined) after[i]?.push(last)
      pendingRefs.set(ref, [...(pendingRefs.get(ref) ?? []), i])
    }
    lastOf.set(line.stream, i)
  })
  const missing = after.map((a) => a.length)
  const unlocks: Array<Array<number>> = Array.from({ length: n }, () => [])
  after.forEach((a, j) => {
    for (const i of a) unlocks[i]?.push(j)
  })
  const ready = [...missing.keys()].filter((i) => missing[i] === 0)
  const out: Array<HistoryLine> = []
  let position = 0
  for (let k = 0; ready.length > 0; k++) {
    const at = (picks[k % Math.max(1, picks.length)] ?? 0) % ready.length
    const i = ready.splice(at, 1)[0] as number
    const line = history[i] as HistoryLine
    out.push(line.position === undefined ? line : { ...line, position: ++position })
    for (const j of unlocks[i] ?? []) {
      missing[j] = (missing[j] ?? 0) - 1
      if (missing[j] === 0) ready.push(j)
    }
  }
  return out
}

const validatorStates = (lines: ReadonlyArray<string>) => {
  const v = LogValidator.makeLogValidator()
  lines.forEach((line, i) => {
    const outcome = v.push(line)
    if (outcome._tag === "Error") throw new Error(`line ${i + 1}: ${LogValidator.describeLogError(outcome.error)}`)
  })
  return {
    states: new Map([...v.streams].map(([s, slot]) => [s, fingerprint(slot.state)])),
    versions: new Map([...v.streams].map(([s, slot]) => [s, slot.version]))
  }
}

describe("evolve", () => {
  test.prop([districtHistory()])(
    "every event passes its kind's check on the state before it, and the lines read back fold to the same states",
    (history) => {
      const states = new Map<string, unknown>()
      history.forEach((line, i) => {
        const kind = kindOf(line.stream) as Decider.StreamKind<unknown, Events.DomainEvent, unknown>
        const state = states.has(line.stream) ? states.get(line.stream) : kind.initialState
        const broken = kind.check(state, eventOf(line))
        expect(broken === undefined ? "ok" : `line ${i + 1}: [${broken.rule}] ${broken.message}`).toBe("ok")
        states.set(line.stream, kind.evolve(state, eventOf(line)))
      })
      const readBack = renderLines(history).map((text) => {
        const r = EventCodec.EventLogCodec.decodeLine(text)
        if (Result.isFailure(r)) throw new Error(`${r.failure.rule}: ${r.failure.message}`)
        return r.success
      })
      expect(readBack.map((r) => r.stream)).toEqual(history.map((l) => l.stream))
      const folded = foldEach(history)
      expect(foldEach(readBack)).toEqual(folded)
      expect(new Map([...states].map(([s, state]) => [s, fingerprint(state)]))).toEqual(folded)
    }
  )

  test.prop([districtHistory(), fc.array(fc.nat(), { minLength: 1, maxLength: 64 })])(
    "a consumer of the log in order gives each stream its own fold, whatever the interleaving",
    (history, picks) => {
      const other = reinterleave(history, picks)
      expect(other.length).toBe(history.length)
      const folded = foldEach(history)
      const original = validatorStates(renderLines(history))
      const shuffled = validatorStates(renderLines(other))
      expect(shuffled.states).toEqual(folded)
      expect(original.states).toEqual(folded)
      expect(shuffled.versions).toEqual(new Map([...byStream(history)].map(([s, es]) => [s, es.length])))
    }
  )
})
