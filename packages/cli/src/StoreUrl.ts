/**
 * Store URLs: `memory:` (an empty in-memory store: trials and dry runs), `file:<dir>` (the file
 * adapter, the embedded default) and `postgres://user@host:port/db` (the PostgreSQL adapter;
 * the store's schema from `?schema=NAME`, else `--schema`, else `xueshi`). A store that cannot
 * be opened is exit 3 with a hint; a URL that is none of these is exit 2.
 *
 * @since 0.1.0
 */
import { existsSync } from "node:fs"
import { FileStore } from "@xueshi/adapter-file"
import { MemoryEventStore } from "@xueshi/adapter-memory"
import type { CheckpointStore, EventStore } from "@xueshi/core"
import { Cause, Effect, Layer, Option } from "effect"
import { type CliFailure, messageOf, unavailable, usage } from "./Failure.js"

/**
 * The default PostgreSQL schema of a store.
 *
 * @category constants
 * @since 0.1.0
 */
export const DEFAULT_SCHEMA = "xueshi"

/**
 * A parsed store URL.
 *
 * @category models
 * @since 0.1.0
 */
export type StoreSpec =
  | { readonly kind: "memory"; readonly url: string }
  | { readonly kind: "file"; readonly url: string; readonly directory: string }
  | { readonly kind: "postgres"; readonly url: string; readonly connection: string; readonly schema: string }

/**
 * The services a command runs against.
 *
 * @category models
 * @since 0.1.0
 */
export type StoreServices =
  | EventStore.EventStore
  | CheckpointStore.CheckpointStore
  | CheckpointStore.ProjectionStore
  | CheckpointStore.SnapshotStore

const HINT = "give --store file:<dir>, --store memory: or --store postgres://user@host:5432/db?schema=name"

/**
 * Parses a store URL (`--schema` names the PostgreSQL schema when the URL has no `?schema=`).
 *
 * @category codecs
 * @since 0.1.0
 */
export const parse = (
  url: string,
  schemaFlag: Option.Option<string> = Option.none()
): Effect.Effect<StoreSpec, CliFailure> => {
  if (url === "memory:") return Effect.succeed({ kind: "memory", url })
  if (url.startsWith("file:")) {
    const directory = url.slice("file:".length)
    if (directory === "") return Effect.fail(usage("--store file: needs a folder", "give --store file:<dir>"))
    return Effect.succeed({ kind: "file", url, directory })
  }
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) {
    let parsed: URL
    try {
      parsed = new URL(url)
    } catch {
      return Effect.fail(usage(`--store ${url} is not a URL`, HINT))
    }
    const fromUrl = parsed.searchParams.get("schema")
    parsed.searchParams.delete("schema")
    if (fromUrl !== null && Option.isSome(schemaFlag) && fromUrl !== schemaFlag.value)
      return Effect.fail(
        usage(`the URL says schema ${fromUrl} and --schema says ${schemaFlag.value}`, "give the schema once")
      )
    const schema = fromUrl ?? Option.getOrElse(schemaFlag, () => DEFAULT_SCHEMA)
    if (!/^[a-z_][a-z0-9_]*$/.test(schema))
      return Effect.fail(
        usage(`schema ${JSON.stringify(schema)} is not a plain lower-case identifier`, "e.g. --schema district_a")
      )
    const shown = new URL(parsed.href)
    if (shown.password !== "") shown.password = "***"
    return Effect.succeed({
      kind: "postgres",
      url: `${shown.href}${shown.search === "" ? "?" : "&"}schema=${schema}`,
      connection: parsed.href,
      schema
    })
  }
  return Effect.fail(usage(`unknown store ${url}`, HINT))
}

/**
 * The layer of a store. `readOnly`: a file store is opened read-only (a running writer keeps
 * its lock) and must exist; a PostgreSQL schema is not created or migrated. Otherwise a file
 * store's folder and a PostgreSQL schema are created when missing.
 *
 * @category layers
 * @since 0.1.0
 */
export const layer = (
  spec: StoreSpec,
  options: { readonly readOnly: boolean }
): Layer.Layer<StoreServices, CliFailure> => {
  switch (spec.kind) {
    case "memory":
      return MemoryEventStore.layer()
    case "file": {
      if (options.readOnly && !existsSync(spec.directory))
        return failed(
          unavailable(`the store ${spec.url} is unavailable: no such folder`, "check the path of the store")
        )
      return mapLayerError(FileStore.layer({ directory: spec.directory, readOnly: options.readOnly }), (e) =>
        unavailable(
          `the store ${spec.url} is unavailable: ${e.message}`,
          "check the folder, or stop the process holding it"
        )
      )
    }
    case "postgres":
      return Layer.unwrap(
        Effect.tryPromise({
          try: () => import("@xueshi/adapter-postgres"),
          catch: (e) => unavailable(`cannot load the PostgreSQL adapter: ${messageOf(e)}`, "reinstall @xueshi/cli")
        }).pipe(
          Effect.map(({ PostgresEventStore }) =>
            mapLayerError(
              PostgresEventStore.layer({
                url: spec.connection,
                schema: spec.schema,
                migrate: !options.readOnly,
                maxConnections: 4
              }),
              (e) =>
                unavailable(
                  `the store ${spec.url} is unavailable: ${firstLine(messageOf(e))}`,
                  e._tag === "StoreOpenFailed" && options.readOnly
                    ? `is there a store in schema ${spec.schema}? (xueshi import creates one)`
                    : "is PostgreSQL running, and the URL right?"
                )
            )
          )
        )
      )
  }
}

/** A layer that fails with a CLI failure. */
const failed = (f: CliFailure): Layer.Layer<StoreServices, CliFailure> =>
  Layer.unwrap<StoreServices, never, never, CliFailure, never>(Effect.fail(f))

/** A store layer whose typed open errors become CLI failures (defects stay defects). */
const mapLayerError = <E>(
  layer: Layer.Layer<StoreServices, E>,
  f: (e: E) => CliFailure
): Layer.Layer<StoreServices, CliFailure> =>
  Layer.catchCause(layer, (cause) => {
    const e = Cause.findErrorOption(cause)
    return Option.isSome(e)
      ? failed(f(e.value))
      : Layer.unwrap<StoreServices, never, never, never, never>(Effect.failCause(cause as Cause.Cause<never>))
  })

const firstLine = (text: string) => text.split("\n")[0] ?? text

/**
 * A writable file store for a bulk import: `durability: "never"` (no fsync per append; the
 * importer calls `FileStore.flush` once at the end, before it reports success), with the
 * file store's own service for that flush.
 *
 * @category utils
 * @since 0.1.0
 */
export const bulkFileLayer = (
  spec: Extract<StoreSpec, { readonly kind: "file" }>
): Layer.Layer<StoreServices | FileStore.FileStore, CliFailure> =>
  Layer.catchCause(FileStore.layer({ directory: spec.directory, durability: "never" }), (cause) => {
    const e = Cause.findErrorOption(cause)
    return Layer.unwrap<StoreServices | FileStore.FileStore, never, never, CliFailure, never>(
      Option.isSome(e)
        ? Effect.fail(
            unavailable(
              `the store ${spec.url} is unavailable: ${e.value.message}`,
              "check the folder, or stop the process holding it"
            )
          )
        : Effect.failCause(cause as Cause.Cause<never>)
    )
  })
