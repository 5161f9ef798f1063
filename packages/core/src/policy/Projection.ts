/**
 * The shape of a projection: a fold over log records that a runner drives in
 * batches and persists.
 *
 * A projection is `{ name, initial, apply, query, encodeState, decodeState }`:
 *
 * - `initial` is a **fresh** empty state on every read (a getter), so two folds
 *   never share a state (the one shape of a fold's initial state, below);
 * - `apply(state, record)` folds one record and returns the next state. For
 *   speed on district-sized logs (millions of events) the state is made of
 *   mutable `Map`s and `apply` **updates the state it is given in place and
 *   returns it**: a fold owns its state. To keep a snapshot (before a batch,
 *   say), `encodeState` it; never `apply` to a state you still need;
 * - `query(state, args)` answers a question as of a business date; it never
 *   changes the state;
 * - `encodeState` / `decodeState` turn the state into a JSON value and back
 *   (`decodeState(encodeState(s))` answers every query like `s`; the JSON has
 *   its map entries sorted by key, so equal states encode to equal text).
 *
 * Everything is deterministic: no clock, no randomness, no I/O.
 *
 * **The one shape of a fold's initial state.** Every fold of the core names its
 * initial state by a property that is read once per fold and answers a state the
 * fold may own: a getter that builds a fresh one on every read, or a value that
 * nothing ever changes. So: `Projection.initial`, `ProjectionRunner`'s
 * `RunnableProjection.initial` and `BatchHandler.initial`, and
 * `CreditReactor.Reaction.initial` are fresh on every read (their states are
 * updated in place); a decider's `initialState` (`Decider`) is one value,
 * because `evolve` never changes a state (a fold that evolves in place first
 * copies it with the kind's `own`). Never a function to call, never a shared
 * mutable object.
 *
 * @since 0.1.0
 */
import type { DomainEvent } from "../Events.js"

/**
 * A projection: a pure fold with a serialisable state and as-of queries.
 *
 * @category models
 * @since 0.1.0
 */
export interface Projection<State, Query, Answer> {
  /** A stable name (a runner keys persisted states by it). */
  readonly name: string
  /** A fresh empty state (a new object on every read). */
  readonly initial: State
  /** Folds one record (a domain event, or a log record that carries one) into the state, in place. */
  readonly apply: (state: State, record: DomainEvent) => State
  /** Answers a query; never changes the state. */
  readonly query: (state: State, query: Query) => Answer
  /** The state as a JSON value (map entries sorted by key). */
  readonly encodeState: (state: State) => unknown
  /** The state from a JSON value written by `encodeState`. */
  readonly decodeState: (json: unknown) => State
  /** The state as entries by key, for runners that save only the changed ones (see {@link KeyedEntries}). */
  readonly keyed?: KeyedEntries<State>
}

/**
 * A state made of entries by key: the keys a record can change, and each
 * entry's JSON form (`undefined`: no entry under the key). A projection runner
 * over a store that keeps keyed state saves, after a batch, only the entries its
 * records changed. Law: `decodeEntries` of every key's `encodeEntry` answers
 * every query like the state.
 *
 * @category models
 * @since 0.1.0
 */
export interface KeyedEntries<State> {
  readonly keysOf: (record: DomainEvent) => Iterable<string>
  readonly encodeEntry: (state: State, key: string) => unknown
  readonly decodeEntries: (entries: Iterable<readonly [string, unknown]>) => State
}

/**
 * Folds records into a projection, starting from a fresh `initial` state (or `from`,
 * which is then updated in place).
 *
 * @category utils
 * @since 0.1.0
 */
export const foldProjection = <State, Query, Answer>(
  projection: Projection<State, Query, Answer>,
  records: Iterable<DomainEvent>,
  from?: State
): State => {
  let state = from ?? projection.initial
  for (const r of records) state = projection.apply(state, r)
  return state
}

// ---------------------------------------------------------------------------
// JSON form of states made of Maps, Sets, arrays and plain objects
// ---------------------------------------------------------------------------

const MAP = "$map"
const SET = "$set"

const compareKeys = (a: unknown, b: unknown): number => {
  const x = typeof a === "string" ? a : JSON.stringify(a)
  const y = typeof b === "string" ? b : JSON.stringify(b)
  return x < y ? -1 : x > y ? 1 : 0
}

/**
 * Converts a state made of `Map`s, `Set`s, arrays, plain objects and JSON
 * scalars into a JSON value: a `Map` becomes `{ "$map": [[key, value], …] }`
 * and a `Set` `{ "$set": [value, …] }`, entries sorted by key; `undefined`
 * object fields are dropped.
 *
 * @category codecs
 * @since 0.1.0
 */
export const toJsonValue = (u: unknown): unknown => {
  if (u instanceof Map) {
    const entries = Array.from(u.entries()).sort((a, b) => compareKeys(a[0], b[0]))
    return { [MAP]: entries.map(([k, v]) => [toJsonValue(k), toJsonValue(v)]) }
  }
  if (u instanceof Set) {
    return { [SET]: Array.from(u.values()).map(toJsonValue).sort(compareKeys) }
  }
  if (Array.isArray(u)) return u.map(toJsonValue)
  if (typeof u === "object" && u !== null) {
    const out: Record<string, unknown> = {}
    for (const k of Object.keys(u).sort()) {
      const v = (u as Record<string, unknown>)[k]
      if (v !== undefined) out[k] = toJsonValue(v)
    }
    return out
  }
  return u
}

/**
 * The inverse of {@link toJsonValue}: rebuilds `Map`s and `Set`s.
 *
 * @category constructors
 * @since 0.1.0
 */
export const fromJsonValue = (u: unknown): unknown => {
  if (Array.isArray(u)) return u.map(fromJsonValue)
  if (typeof u === "object" && u !== null) {
    const o = u as Record<string, unknown>
    const keys = Object.keys(o)
    if (keys.length === 1 && keys[0] === MAP && Array.isArray(o[MAP])) {
      return new Map((o[MAP] as Array<[unknown, unknown]>).map(([k, v]) => [fromJsonValue(k), fromJsonValue(v)]))
    }
    if (keys.length === 1 && keys[0] === SET && Array.isArray(o[SET])) {
      return new Set((o[SET] as Array<unknown>).map(fromJsonValue))
    }
    const out: Record<string, unknown> = {}
    for (const k of keys) out[k] = fromJsonValue(o[k])
    return out
  }
  return u
}
