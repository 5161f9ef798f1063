// What runs: the sizes, the floors of each workload, and which floor each adapter row is compared with.

export const FULL = {
  W1: { events: 20_000, streams: 2_000 },
  W2: { events: 200_000, batch: 100 },
  W3: { workers: 8, perWorker: 2_000, streams: 2_000 },
  W4: { events: 200_000, batch: 100 },
  D1: { members: 38_000 }
}

export const SMOKE = {
  W1: { events: 200, streams: 20 },
  W2: { events: 2_000, batch: 100 },
  W3: { workers: 8, perWorker: 25, streams: 20 },
  W4: { events: 2_000, batch: 100 },
  D1: { members: 150 }
}

export const ROWS = ["W1", "W2", "W3", "W4", "D1 import", "D1 replay", "D2 open", "D2 recovery"]

/** Rows whose value is a time (lower is better); every other row is a rate. */
export const TIME_ROWS = new Set(["D2 open", "D2 recovery"])

export const FLOOR_LABELS = {
  array: "floor: JS array",
  "jsonl.flushPerAppend": "floor: JSONL, write + fdatasync per append",
  "jsonl.writePerBatch": "floor: JSONL, one write per batch, no flush",
  "jsonl.flushPerBatch": "floor: JSONL, one write + fdatasync per batch",
  "jsonl.parse": "floor: JSONL read + JSON.parse",
  "jsonl.read": "floor: JSONL read, no parse",
  "jsonl.cutTail": "floor: JSONL read + cut torn tail",
  "pg.insertPerTx": "floor: PG, one INSERT per transaction",
  "pg.insert100": "floor: PG, 100-row INSERT",
  "pg.copy": "floor: PG, COPY",
  "pg.keyset": "floor: PG, keyset-paged SELECT"
}

/** The floor jobs of W1–W4: one child each. */
export const W_FLOORS = {
  W1: ["array", "jsonl.flushPerAppend", "pg.insertPerTx"],
  W2: ["array", "jsonl.writePerBatch", "jsonl.flushPerBatch", "pg.insert100"],
  W3: ["array", "jsonl.flushPerAppend", "pg.insertPerTx"],
  W4: ["array", "jsonl.parse", "pg.keyset"]
}

/** The floor jobs of D1 (and D2): phases, and the floor id each row of a phase belongs to. */
export const D_FLOORS = [
  { floor: "array", phases: ["all"], subjects: { "D1 import": "array", "D1 replay": "array" } },
  {
    floor: "jsonl",
    phases: ["import", "replay", "d2"],
    subjects: {
      "D1 import": "jsonl.writePerBatch",
      "D1 replay": "jsonl.parse",
      "D2 open": "jsonl.read",
      "D2 recovery": "jsonl.cutTail"
    }
  },
  { floor: "pg", phases: ["all"], subjects: { "D1 import": "pg.copy", "D1 replay": "pg.keyset" } }
]

/** The floor a row of an adapter (of a floor family and durability) is compared with. */
export const floorFor = (row, family, durability) => {
  const flushes = durability !== "never"
  const table = {
    array: { W1: "array", W2: "array", W3: "array", W4: "array", "D1 import": "array", "D1 replay": "array" },
    jsonl: {
      W1: "jsonl.flushPerAppend",
      W2: flushes ? "jsonl.flushPerBatch" : "jsonl.writePerBatch",
      W3: "jsonl.flushPerAppend",
      W4: "jsonl.parse",
      "D1 import": flushes ? "jsonl.flushPerBatch" : "jsonl.writePerBatch",
      "D1 replay": "jsonl.parse",
      "D2 open": "jsonl.read",
      "D2 recovery": "jsonl.cutTail"
    },
    pg: {
      W1: "pg.insertPerTx",
      W2: "pg.insert100",
      W3: "pg.insertPerTx",
      W4: "pg.keyset",
      "D1 import": "pg.copy",
      "D1 replay": "pg.keyset"
    }
  }
  return table[family]?.[row]
}

/** The targets of the issue, evaluated on the aggregated rows. */
export const TARGETS = [
  { row: "W1", adapter: "memory", text: "≥ 0.30× array", ratio: 0.3 },
  { row: "W1", adapter: "file (always)", text: "≥ 0.80× flush-per-append", ratio: 0.8 },
  { row: "W1", adapter: "postgres", text: "≥ 0.80× INSERT-per-transaction", ratio: 0.8 },
  { row: "W2", adapter: "memory", text: "≥ 0.30× array", ratio: 0.3 },
  { row: "W2", adapter: "file (always)", text: "≥ 0.70× flush-per-batch", ratio: 0.7 },
  { row: "W2", adapter: "postgres", text: "≥ 0.80× 100-row INSERT", ratio: 0.8 },
  { row: "W3", adapter: "memory", text: "correct, ≥ 0.30×", ratio: 0.3, correct: true },
  { row: "W3", adapter: "file (always)", text: "correct; group commit beats W1", groupCommit: true },
  { row: "W3", adapter: "postgres", text: "correct, ≥ 0.60× floor", ratio: 0.6, correct: true },
  { row: "W4", adapter: "memory", text: "≥ 0.30× array", ratio: 0.3 },
  { row: "W4", adapter: "file (always)", text: "≥ 0.60× JSONL parse", ratio: 0.6 },
  { row: "W4", adapter: "postgres", text: "≥ 0.60× keyset SELECT", ratio: 0.6 },
  { row: "D1 replay", adapter: "file (never)", text: "≤ 3 s, peak RSS ≤ 1 GiB", maxWallMs: 3000, maxRssMiB: 1024 },
  { row: "D1 import", adapter: "postgres", text: "import ≥ 0.80× COPY", ratio: 0.8 }
]
