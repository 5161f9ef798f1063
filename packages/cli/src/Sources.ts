/**
 * Where a command reads its ledger from: an event-log-v1 file (`<log>`), or an event store
 * (`--store URL`, see {@link StoreUrl}: opened read-only, so a running writer keeps its lock).
 * Also the flags every reading command shares (`--store`, `--schema`, `--policy`, `--year`,
 * `--as-of`), and the fold of a log prefix with its verification digest (`transcript`, `verify`).
 *
 * @since 0.1.0
 */
import { createHash } from "node:crypto"
import { type ReadStream, statSync } from "node:fs"
import {
  type Calendar,
  EventCodec,
  EventStore,
  type Events,
  Ledger,
  LiveLedger,
  LogSource,
  LogValidator,
  type PolicySet
} from "@xueshi/core"
import { Effect, Option, Stream } from "effect"
import { Argument, Flag } from "effect/cli"
import { type CliFailure, invalid, unavailable, usage } from "./Failure.js"
import { logBytes, readable } from "./Files.js"
import { parseAsOf, resolveYear } from "./Period.js"
import { loadPolicy } from "./PolicyFlag.js"
import type { Meter } from "./Steps.js"
import * as StoreUrl from "./StoreUrl.js"

/**
 * The source of a reading command: a log file or a store URL.
 *
 * @category models
 * @since 0.1.0
 */
export interface Source {
  readonly kind: "log" | "store"
  readonly location: string
  readonly schema: Option.Option<string>
}

/**
 * The `--store URL` flag of every command that opens a store (add `Flag.optional` where a log
 * may stand instead): `purpose` says what the command does with it, e.g. "The store to follow".
 *
 * @category utils
 * @since 0.1.0
 */
export const storeFlag = (purpose: string) =>
  Flag.String("store").pipe(Flag.withDescription(`${purpose}: file:<dir>, memory: or postgres://…`))

/**
 * The optional `--schema NAME` flag of every command that opens a store: the PostgreSQL schema,
 * when the URL has no `?schema=`; `note` ends its description (e.g. "; created if missing").
 *
 * @category utils
 * @since 0.1.0
 */
export const schemaFlag = (note = "") =>
  Flag.String("schema").pipe(
    Flag.withDescription(`The PostgreSQL schema of the store (default: ?schema= of the URL, else xueshi${note})`),
    Flag.optional
  )

/**
 * The flags of a command that reads a ledger: `[log]`, `--store`, `--schema`, `--policy`,
 * `--year`, `--as-of`.
 *
 * @category utils
 * @since 0.1.0
 */
export const sourceFlags = {
  log: Argument.String("log").pipe(Argument.withDescription("The event-log-v1 file (.jsonl)"), Argument.optional),
  store: storeFlag("Read an event store instead of a log").pipe(Flag.optional),
  schema: schemaFlag(),
  policy: Flag.String("policy").pipe(
    Flag.withDescription("A policy-set preset id or a policy.json file (default xiqing-district)"),
    Flag.withDefault("xiqing-district")
  ),
  year: Flag.Int("year").pipe(
    Flag.withDescription("The year (default: the year of --as-of, else the log's latest year with sessions)"),
    Flag.optional
  ),
  asOf: Flag.String("as-of").pipe(
    Flag.withDescription("Business date YYYY-MM-DD (default: December 31 of the year)"),
    Flag.optional
  )
} as const

/**
 * The parsed values of {@link sourceFlags}.
 *
 * @category models
 * @since 0.1.0
 */
export interface SourceFlagValues {
  readonly log: Option.Option<string>
  readonly store: Option.Option<string>
  readonly schema: Option.Option<string>
  readonly policy: string
  readonly year: Option.Option<number>
  readonly asOf: Option.Option<string>
}

/**
 * The source a command reads: exactly one of a log argument and `--store` (exit 2 otherwise).
 *
 * @category utils
 * @since 0.1.0
 */
export const sourceOf = (
  log: Option.Option<string>,
  store: Option.Option<string>,
  command: string,
  schema: Option.Option<string> = Option.none()
): Effect.Effect<Source, CliFailure> =>
  Option.isSome(log) === Option.isSome(store)
    ? Effect.fail(
        usage(
          "give either a log file or --store",
          `xueshi ${command} district.jsonl, or xueshi ${command} --store file:<dir>`
        )
      )
    : Option.isSome(schema) && Option.isSome(log)
      ? Effect.fail(
          usage("--schema goes with a postgres:// --store", `xueshi ${command} --store postgres://… --schema name`)
        )
      : Effect.succeed(
          Option.isSome(log)
            ? { kind: "log" as const, location: log.value, schema }
            : { kind: "store" as const, location: (store as Option.Some<string>).value, schema }
        )

/**
 * The ledger of a store URL under a policy set (the store opened read-only).
 *
 * @category utils
 * @since 0.1.0
 */
export const ledgerOfStore = (
  url: string,
  policy: PolicySet.PolicySet,
  schema: Option.Option<string> = Option.none()
): Effect.Effect<Ledger.Ledger, CliFailure> =>
  Effect.flatMap(StoreUrl.parse(url, schema), (spec) =>
    LiveLedger.fromStore(policy).pipe(
      Effect.mapError((e) => unavailable(`cannot read the store ${spec.url}: ${e.message}`, "check the store")),
      Effect.provide(StoreUrl.layer(spec, { readOnly: true }))
    )
  )

/** Log errors as CLI failures: a line that breaks a rule is exit 1 naming the line. */
const logFailure =
  (log: string) =>
  (e: CliFailure | LogValidator.LogError | LogSource.LogSourceError): CliFailure =>
    e._tag === "CliFailure"
      ? e
      : e._tag === "LogError"
        ? invalid(`${log}:${LogValidator.describeLogError(e)}`, `nothing reported; run xueshi validate ${log} --all`)
        : invalid(`cannot read the log ${log}: ${e.message}`, "check the file")

/**
 * The ledger of an event-log-v1 file under a policy set (one streaming pass; a log that breaks
 * a rule is exit 1 naming the line). `onMeter` receives the meter of the bytes read (progress).
 *
 * @category utils
 * @since 0.1.0
 */
export const ledgerOfLog = (
  log: string,
  policy: PolicySet.PolicySet,
  onMeter?: (meter: () => Meter) => void
): Effect.Effect<Ledger.Ledger, CliFailure> =>
  readable(log).pipe(
    Effect.flatMap(() => {
      if (onMeter === undefined) return Ledger.fromLog(logBytes(log), policy)
      const { source, meter } = countingReader(log)
      onMeter(meter)
      return Ledger.fromLog(source, policy)
    }),
    Effect.mapError(logFailure(log))
  )

/**
 * The strict byte source of a log file ({@link logBytes}) and a meter of the bytes read so far
 * against the file's size (progress: read from the stream's `bytesRead`, no listener of its own).
 *
 * @category utils
 * @since 0.1.0
 */
export const countingReader = (path: string) => {
  const total = statSync(path).size
  let input: ReadStream | undefined
  const source = logBytes(path, (opened) => {
    input = opened
  })
  return { source, meter: (): Meter => ({ done: input?.bytesRead ?? 0, total }) }
}

/**
 * The ledger of a source (a log file or a store URL).
 *
 * @category utils
 * @since 0.1.0
 */
export const ledgerOf = (
  source: Source,
  policy: PolicySet.PolicySet,
  onMeter?: (meter: () => Meter) => void
): Effect.Effect<Ledger.Ledger, CliFailure> =>
  source.kind === "log"
    ? ledgerOfLog(source.location, policy, onMeter)
    : ledgerOfStore(source.location, policy, source.schema)

/**
 * Reads a source once into one ledger per policy set (`what-if`).
 *
 * @category utils
 * @since 0.1.0
 */
export const ledgersOf = (
  source: Source,
  policies: ReadonlyArray<PolicySet.PolicySet>
): Effect.Effect<ReadonlyArray<Ledger.Ledger>, CliFailure> =>
  Effect.gen(function* () {
    const folds = policies.map((p) => Ledger.makeFold(p))
    const push = (r: Events.DomainEvent) => {
      for (const f of folds) f.push(r)
    }
    if (source.kind === "log") {
      const log = source.location
      yield* readable(log)
      yield* LogSource.validated<never, never>(logBytes(log), push).pipe(Effect.mapError(logFailure(log)))
    } else {
      const spec = yield* StoreUrl.parse(source.location, source.schema)
      yield* Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        yield* Stream.runForEachArray(store.readAll(), (chunk) =>
          Effect.sync(() => {
            for (const r of chunk) push(r)
          })
        )
      }).pipe(
        Effect.mapError((e) => unavailable(`cannot read the store ${spec.url}: ${e.message}`, "check the store")),
        Effect.provide(StoreUrl.layer(spec, { readOnly: true }))
      )
    }
    return folds.map((f) => f.finish())
  })

/**
 * What a reading command starts from: the source, the policy set, the as-of date, the ledger
 * and the year.
 *
 * @category models
 * @since 0.1.0
 */
export interface Loaded {
  readonly source: Source
  readonly policy: PolicySet.PolicySet
  readonly ledger: Ledger.Ledger
  readonly year: number
  readonly asOf: Calendar.LocalDate | undefined
}

/**
 * Reads the ledger the flags name (usage errors first, before anything is read).
 *
 * @category utils
 * @since 0.1.0
 */
export const load = (
  flags: SourceFlagValues,
  command: string,
  read: (source: Source, policy: PolicySet.PolicySet) => Effect.Effect<Ledger.Ledger, CliFailure> = ledgerOf
): Effect.Effect<Loaded, CliFailure> =>
  Effect.gen(function* () {
    const asOf = yield* parseAsOf(flags.asOf, flags.year)
    const source = yield* sourceOf(flags.log, flags.store, command, flags.schema)
    const policy = yield* loadPolicy(flags.policy)
    const ledger = yield* read(source, policy)
    const year = resolveYear(flags.year, asOf, ledger)
    if (year === undefined)
      return yield* Effect.fail(
        invalid(`${source.location} has no sessions to report on`, "give the year: --year 2025")
      )
    return { source, policy, ledger, year, asOf }
  })

// ---------------------------------------------------------------------------------------------
// a log prefix and its digest

/**
 * A ledger of the first `events` events of a source, and the verification digest of that
 * prefix: SHA-256 over the events in log order, each written as the event-log-v1 line of its
 * `stream`, `type`, `data` and `version` (no id, time, position or meta: a log and the store it
 * was imported into give the same digest) followed by `\n`.
 *
 * @category models
 * @since 0.1.0
 */
export interface Prefix {
  readonly ledger: Ledger.Ledger
  readonly events: number
  readonly sha256: string
}

const digestLine = (r: Events.DomainEvent & { readonly stream: string; readonly version: number }) =>
  `${EventCodec.EventLogCodec.encodeLine({ stream: r.stream, type: r.type, data: r.data, version: r.version } as never)}\n`

/**
 * Folds a source's first `limit` events (all when undefined) into a ledger and its digest.
 * Fails (exit 1) when the source holds fewer than `limit` events.
 *
 * @category utils
 * @since 0.1.0
 */
export const prefixOf = (
  source: Source,
  policy: PolicySet.PolicySet,
  limit?: number
): Effect.Effect<Prefix, CliFailure> =>
  Effect.gen(function* () {
    const fold = Ledger.makeFold(policy)
    const hash = createHash("sha256")
    let events = 0
    const take = (r: Events.DomainEvent & { readonly stream: string; readonly version: number }) => {
      if (limit !== undefined && events >= limit) return
      events++
      hash.update(digestLine(r))
      fold.push(r)
    }
    if (source.kind === "log") {
      const log = source.location
      yield* readable(log)
      const lines = LogSource.lines<never, never>(logBytes(log)).pipe(
        Stream.takeWhile(() => limit === undefined || events < limit)
      )
      yield* LogSource.validated(lines, (r) => take(r as never)).pipe(Effect.mapError(logFailure(log)))
    } else {
      const spec = yield* StoreUrl.parse(source.location, source.schema)
      yield* Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        yield* Stream.runForEach(store.readAll(limit === undefined ? {} : { limit }), (r) => Effect.sync(() => take(r)))
      }).pipe(
        Effect.mapError((e) => unavailable(`cannot read the store ${spec.url}: ${e.message}`, "check the store")),
        Effect.provide(StoreUrl.layer(spec, { readOnly: true }))
      )
    }
    if (limit !== undefined && events < limit)
      return yield* Effect.fail(
        invalid(
          `${source.location} holds ${events} events, fewer than the ${limit} the transcript was made from`,
          "verify against the log or store the transcript came from"
        )
      )
    return { ledger: fold.finish(), events, sha256: hash.digest("hex") }
  })
