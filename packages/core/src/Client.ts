/**
 * The Promise face of xueshi, for callers who do not use Effect: one client
 * over a store layer (memory, file, PostgreSQL, yours), whose methods answer
 * Promises and reject with the same typed errors the Effect API fails with
 * (`InputError`, `RuleViolation`, `WrongExpectedVersion`, `LogError`, …; test
 * `error._tag`). The Effect API stays the primary one; this is a thin layer.
 *
 * ```ts
 * const xs = Client.make(MemoryEventStore.layer())
 * await xs.handle({ type: "RegisterSchool", data: { schoolId: "XQ", name: "西青区委党校", tier: "district" } })
 * const ledger = await xs.ledger(Presets.national2019)
 * await xs.dispose()
 * ```
 *
 * @since 0.1.0
 */
import { Effect, Exit, type Layer, ManagedRuntime, Result, Scope } from "effect"
import type { Command } from "./Commands.js"
import type { DomainEvent } from "./Events.js"
import { decodeCommand } from "./Input.js"
import { fromLog, type Ledger } from "./Ledger.js"
import type { LogSource, ReadOptions } from "./LogSource.js"
import type { PolicySet } from "./policy/PolicySet.js"
import type { ProjectionStore } from "./store/CheckpointStore.js"
import { type HandleOptions, type HandleResult, handleCommand } from "./store/CommandHandler.js"
import type { EventStore } from "./store/EventStore.js"
import { fromStore, type LiveLedgerOptions, start } from "./store/LiveLedger.js"
import { exportText, type ImportOptions, type ImportResult, importLog } from "./store/LogTransfer.js"

/**
 * A live ledger, Promise style.
 *
 * @category models
 * @since 0.1.0
 */
export interface LiveLedgerHandle {
  /** The ledger as of the last processed batch. */
  readonly ledger: () => Promise<Ledger>
  /** Resolves once everything stored when it is called has been processed. */
  readonly whenCaughtUp: () => Promise<void>
  /** Stops the runner and releases its lease. */
  readonly stop: () => Promise<void>
}

/**
 * A client (see the module docs).
 *
 * @category models
 * @since 0.1.0
 */
export interface Client {
  /** Validates a plain `{ type, data }` command (wire form, as in a log line) and handles it on its stream. */
  readonly handle: (
    command: unknown,
    options?: HandleOptions<Command, unknown>
  ) => Promise<HandleResult<DomainEvent, unknown>>
  /** Handles a typed command (from `Commands.makeCommand` or `Input.command`). */
  readonly handleCommand: (
    command: Command,
    options?: HandleOptions<Command, unknown>
  ) => Promise<HandleResult<DomainEvent, unknown>>
  /** Imports an event-log-v1 log (all or nothing by default). */
  readonly importLog: (source: LogSource, options?: ImportOptions) => Promise<ImportResult>
  /** The store as one event-log-v1 text. */
  readonly exportText: () => Promise<string>
  /** A ledger of the store as it stands now. */
  readonly ledger: (policy: PolicySet) => Promise<Ledger>
  /** Starts a live ledger over the store. */
  readonly live: (policy: PolicySet, options?: LiveLedgerOptions) => Promise<LiveLedgerHandle>
  /** Runs any effect of the Effect API against the client's store. */
  readonly run: <A, E>(effect: Effect.Effect<A, E, EventStore | ProjectionStore>) => Promise<A>
  /** Closes the store (and every live ledger). */
  readonly dispose: () => Promise<void>
}

/**
 * A client over a store layer.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = <E>(layer: Layer.Layer<EventStore | ProjectionStore, E>): Client => {
  const runtime = ManagedRuntime.make(layer)
  const run = <A, E2>(effect: Effect.Effect<A, E2, EventStore | ProjectionStore>): Promise<A> =>
    runtime.runPromise(effect)
  return {
    handle: (input, options) => {
      const command = decodeCommand(input)
      return Result.isFailure(command) ? Promise.reject(command.failure) : run(handleCommand(command.success, options))
    },
    handleCommand: (command, options) => run(handleCommand(command, options)),
    importLog: (source, options) => run(importLog(source, options)),
    exportText: () => run(exportText()),
    ledger: (policy) => run(fromStore(policy)),
    live: async (policy, options) => {
      const scope = await runtime.runPromise(Scope.make())
      const live = await run(Scope.provide(start(policy, options), scope))
      return {
        ledger: () => run(live.ledger),
        whenCaughtUp: () => run(live.runner.whenCaughtUp),
        stop: () => runtime.runPromise(Scope.close(scope, Exit.void))
      }
    },
    run,
    dispose: () => runtime.dispose()
  }
}

/**
 * A ledger from a log, as a Promise (rejects with the first `LogError`).
 *
 * @category utils
 * @since 0.1.0
 */
export const loadLedger = (source: LogSource, policy: PolicySet, options?: ReadOptions): Promise<Ledger> =>
  Effect.runPromise(fromLog(source, policy, options))
