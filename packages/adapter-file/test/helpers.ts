/**
 * Shared helpers of the file adapter's tests.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { EventStore, Events } from "@xueshi/core"
import { Effect, Exit, Scope, Stream } from "effect"
import { FileStore } from "../src/index.js"
import { type Faults, FileIo, Io } from "../src/internal/Io.js"

/** Options of a store opened by a test: the public ones, and faults injected through the file-system port. */
export type TestOptions = FileStore.FileStoreOptions & { readonly faults?: Faults }

/** Opens a store with the test's faults, if any, injected through `FileIo`. */
export const makeStore = ({ faults, ...options }: TestOptions) =>
  faults === undefined
    ? FileStore.make(options)
    : Effect.provideService(FileStore.make(options), FileIo, new Io(faults))

/**
 * A fresh temporary directory (removed by `cleanup`). With `memory`, on
 * /dev/shm when there is one: tests that open a store thousands of times do
 * not wait for the disk's flushes there.
 */
export const tempDir = (prefix = "xueshi-file-", memory = false): string =>
  mkdtempSync(join(memory && existsSync("/dev/shm") ? "/dev/shm" : tmpdir(), prefix))

export const cleanup = (dir: string): void => rmSync(dir, { recursive: true, force: true })

/** A valid QuotaClaimed event of school `id` carrying `n`. */
export const quota = (id: string, n: number): Events.DomainEvent =>
  ({ type: "QuotaClaimed", data: { schoolId: id, year: 2025, traineeTimes: n } }) as unknown as Events.DomainEvent

/** A valid ExemptionGranted event of member `id` carrying `n`. */
export const exemption = (id: string, n: number): Events.DomainEvent =>
  ({
    type: "ExemptionGranted",
    data: { memberId: id, year: 1900 + n, reason: "other" }
  }) as unknown as Events.DomainEvent

/** A deterministic UUID from two numbers. */
export const uuid = (a: number, b = 0): string => {
  const h = (v: number, w: number) => (v >>> 0).toString(16).padStart(w, "0").slice(-w)
  return `${h(a, 8)}-${h(b, 4)}-4${h(a >>> 8, 3)}-8${h(b >>> 4, 3)}-${h(a ^ 0x5a5a, 4)}${h(b, 8)}`
}

export const schoolEvents = (
  id: string,
  numbers: ReadonlyArray<number>,
  withIds = true
): Array<EventStore.EventToAppend> =>
  numbers.map((n) =>
    withIds
      ? { event: quota(id, n), id: uuid(n, id.length * 7919 + id.charCodeAt(id.length - 1)) }
      : { event: quota(id, n) }
  )

/** The number carried by an event of `quota` / `exemption`. */
export const numberOf = (e: { readonly type: string; readonly data: unknown }): number => {
  const d = e.data as Record<string, unknown>
  return e.type === "QuotaClaimed" ? (d.traineeTimes as number) : (d.year as number) - 1900
}

/** Opens a store, runs `f`, closes it. */
export const withStore = <A, E>(
  options: TestOptions,
  f: (store: FileStore.FileStoreService) => Effect.Effect<A, E>
): Promise<A> => Effect.runPromise(Effect.scoped(Effect.flatMap(makeStore(options), f)))

/** Opens a store and answers the exit (for expected failures). */
export const openExit = (options: TestOptions) =>
  Effect.runPromise(Effect.exit(Effect.scoped(Effect.map(makeStore(options), (s) => s.recovery))))

/** Opens a store that stays open until `close` is called. */
export const openStore = async (options: TestOptions) => {
  const scope = Effect.runSync(Scope.make())
  const store = await Effect.runPromise(Scope.provide(scope)(makeStore(options)))
  return { store, close: () => Effect.runPromise(Scope.close(scope, Exit.void)) }
}

export const readAll = (store: FileStore.FileStoreService, options?: EventStore.ReadAllOptions) =>
  Effect.runPromise(Stream.runCollect(store.eventStore.readAll(options)))

export const readStream = (store: FileStore.FileStoreService, stream: string, options?: EventStore.ReadStreamOptions) =>
  Effect.runPromise(Stream.runCollect(store.eventStore.readStream(stream, options)))
