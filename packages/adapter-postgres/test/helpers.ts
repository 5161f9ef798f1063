/**
 * The PostgreSQL test kit: the server from XUESHI_PG_URL (without it, the
 * tests skip and say why; with XUESHI_REQUIRE_PG=1 they fail instead), one
 * shared pool per test file, and fresh schemas that each test creates and
 * drops itself (it never drops anything it did not create).
 */
import { randomBytes } from "node:crypto"
import { PgClient } from "@effect/sql-pg"
import { Context, Effect, Exit, Layer, Redacted, Scope } from "effect"
import { SqlClient } from "effect/sql"
import { afterAll, describe, it } from "vitest"
import { PostgresEventStore } from "../src/index.js"

/** The server's URL, or undefined (the tests then skip, or fail under XUESHI_REQUIRE_PG=1). */
export const pgUrl: string | undefined = process.env.XUESHI_PG_URL || undefined
const required = process.env.XUESHI_REQUIRE_PG === "1"

/**
 * Registers `body` when a server is configured; otherwise prints why the
 * PostgreSQL tests do not run and registers a skipped test (or, when
 * XUESHI_REQUIRE_PG=1, a failing one).
 */
export const pgDescribe = (name: string, body: () => void): void => {
  if (pgUrl !== undefined) {
    describe(name, body)
    return
  }
  const reason = "XUESHI_PG_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/postgres)"
  if (required) {
    describe(name, () => {
      it("needs PostgreSQL (XUESHI_REQUIRE_PG=1)", () => {
        throw new Error(`${reason}, and XUESHI_REQUIRE_PG=1 forbids skipping`)
      })
    })
    return
  }
  console.warn(`[adapter-postgres] SKIPPING "${name}": ${reason}`)
  describe.skip(`${name} (skipped: ${reason})`, body)
}

const scope = Scope.makeUnsafe()
afterAll(() => Effect.runPromise(Scope.close(scope, Exit.void)))

/** A pool of `maxConnections` connections, closed after the file's tests. */
export const makePool = (maxConnections = 20): Promise<Context.Context<PgClient.PgClient | SqlClient.SqlClient>> =>
  Effect.runPromise(
    Layer.buildWithScope(
      PgClient.layer({ url: Redacted.make(pgUrl ?? ""), maxConnections, applicationName: "xueshi tests" }),
      scope
    )
  )

let shared: Promise<Context.Context<PgClient.PgClient | SqlClient.SqlClient>> | undefined
/** The file's shared pool. */
export const pool = (): Promise<Context.Context<PgClient.PgClient | SqlClient.SqlClient>> => {
  shared ??= makePool()
  return shared
}

/** A fresh schema name, unique to this test run. */
export const freshName = (): string => `xs_test_${process.pid}_${randomBytes(5).toString("hex")}`

/** Runs SQL on the shared pool. */
export const exec = <A extends object = Record<string, unknown>>(text: string, params: ReadonlyArray<unknown> = []) =>
  Effect.promise(() => pool()).pipe(
    Effect.flatMap((ctx) => Context.get(ctx, SqlClient.SqlClient).unsafe<A>(text, params))
  )

/** A fresh schema name, dropped (with everything in it) when the scope closes. */
export const freshSchema: Effect.Effect<string, never, Scope.Scope> = Effect.acquireRelease(
  Effect.sync(freshName),
  (schema) => Effect.orDie(exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`))
)

/** A store in `schema` over the shared pool. */
export const storeLayer = (schema: string, options: Omit<PostgresEventStore.PostgresStoreOptions, "schema"> = {}) =>
  Layer.unwrap(
    Effect.map(
      Effect.promise(() => pool()),
      (ctx) =>
        PostgresEventStore.layerClient({ schema, pollMillis: 100, ...options }).pipe(
          Layer.provide(Layer.succeedContext(ctx))
        )
    )
  )

/** A fresh, empty store in its own schema, dropped when the layer is released. */
export const freshStore = (options: Omit<PostgresEventStore.PostgresStoreOptions, "schema"> = {}) =>
  Layer.unwrap(Effect.map(freshSchema, (schema) => storeLayer(schema, options)))

/** Opens the store in `schema` as a value (scoped). */
export const openStore = (schema: string, options: Omit<PostgresEventStore.PostgresStoreOptions, "schema"> = {}) =>
  Effect.flatMap(
    Effect.promise(() => pool()),
    (ctx) => Effect.provide(PostgresEventStore.make({ schema, pollMillis: 100, ...options }), ctx)
  )

/**
 * Opens the store in `schema` on a pool of its own (like another process), whose sessions are
 * named `applicationName` so that a test can find and terminate them; closed with the scope.
 */
export const openStoreOnOwnPool = (
  schema: string,
  applicationName: string,
  options: Omit<PostgresEventStore.PostgresStoreOptions, "schema"> = {}
) =>
  Effect.flatMap(
    Layer.build(PgClient.layer({ url: Redacted.make(pgUrl ?? ""), maxConnections: 2, applicationName })),
    (ctx) => Effect.provide(PostgresEventStore.make({ schema, pollMillis: 100, ...options }), ctx)
  )
