/**
 * The conformance suite of the store port: every adapter — memory, file,
 * PostgreSQL, yours — runs it with its own layer, the way Effect's SQL drivers
 * share one storage suite.
 *
 * ```ts
 * // packages/adapter-x/test/Conformance.test.ts
 * import { eventStoreConformance } from "@xueshi/testing"
 * import { XStore } from "../src/index.js"
 *
 * eventStoreConformance("x", () => XStore.layer({ ... }))
 * ```
 *
 * `makeLayer` must build a FRESH, EMPTY store each time it is called: every
 * check and every property case builds its own and closes it at the end. The
 * checks are listed in `Checks.checks` (one file per group of the port's
 * contract) and `TransferChecks.transferChecks`; each fails with a
 * `ConformanceFailure` naming the broken rule. A check that does not apply (the
 * reopen checks without the `reopen` option, the batch checks without
 * `appendBatch`) is registered as skipped, its
 * reason in its name.
 *
 * @since 0.1.0
 */
import { Cause, Effect, Exit, type Layer } from "effect"
import { registrarOf, skipWithReason, type TestRegistrar } from "../Registrar.js"
import { batchChecks } from "./BatchChecks.js"
import { type Check, checks as portChecks } from "./Checks.js"
import { ConformanceFailure, type ConformanceOptions, contextOf, type StoreServices } from "./Harness.js"
import { keyedStateChecks } from "./KeyedStateChecks.js"
import { transferChecks } from "./TransferChecks.js"

export { batchChecks } from "./BatchChecks.js"
export type { Check } from "./Checks.js"
export { keyedStateChecks } from "./KeyedStateChecks.js"
export { transferChecks } from "./TransferChecks.js"

/**
 * Every check of the suite: the port's (`Checks.ts`), then import, export and
 * integrity across streams (`TransferChecks.ts`), then keyed projection state
 * (`KeyedStateChecks.ts`), then the optional batch append (`BatchChecks.ts`).
 *
 * @category rules
 * @since 0.1.0
 */
export const checks: ReadonlyArray<Check> = [...portChecks, ...transferChecks, ...keyedStateChecks, ...batchChecks]
export {
  type CheckContext,
  ConformanceFailure,
  type ConformanceOptions,
  type Reopen,
  type StoreServices
} from "./Harness.js"

/**
 * Runs one check against an adapter; fails with a {@link ConformanceFailure}
 * (naming the check) when the adapter breaks its rule, including when it fails
 * with an unexpected error or a defect.
 *
 * @category runners
 * @since 0.1.0
 */
export const runCheck = <S>(
  check: Check,
  makeLayer: () => Layer.Layer<StoreServices, unknown>,
  options: ConformanceOptions<S> = {}
): Effect.Effect<void, ConformanceFailure> =>
  Effect.suspend(() => check.run(contextOf(makeLayer, options))).pipe(
    Effect.exit,
    Effect.flatMap((exit) => {
      if (Exit.isSuccess(exit)) return Effect.void
      const error = Cause.findErrorOption(exit.cause)
      const message =
        error._tag === "Some" && error.value instanceof ConformanceFailure
          ? error.value.message
          : `unexpected failure: ${Cause.pretty(exit.cause)}`
      return Effect.fail(new ConformanceFailure({ check: check.id, message }))
    })
  )

/**
 * Why a check does not apply given the options, or `undefined` when it does
 * (the checks needing `reopen` or `appendBatch` apply only with it).
 *
 * @category utils
 * @since 0.1.0
 */
export const skipReason = <S>(check: Check, options: ConformanceOptions<S> = {}): string | undefined =>
  check.needsReopen === true && options.reopen === undefined
    ? "needs the reopen option (how to close and reopen a store over the same storage), not given to this suite"
    : check.needsAppendBatch === true && options.appendBatch !== true
      ? "needs the appendBatch option: this adapter does not provide the optional AppendBatch service"
      : undefined

/**
 * The checks that apply given the options (those needing `reopen` only with it).
 *
 * @category utils
 * @since 0.1.0
 */
export const applicableChecks = <S>(options: ConformanceOptions<S> = {}): ReadonlyArray<Check> =>
  checks.filter((c) => skipReason(c, options) === undefined)

/**
 * Registers the conformance suite of an adapter as vitest tests: one
 * `describe(name)` with a `describe` per group and an `it` per check.
 *
 * @category utils
 * @since 0.1.0
 */
export const eventStoreConformance = <S = never>(
  name: string,
  makeLayer: () => Layer.Layer<StoreServices, unknown>,
  options: ConformanceOptions<S> & { readonly vitest?: TestRegistrar } = {}
): void => {
  const registrar = registrarOf(options.vitest, "eventStoreConformance")
  const { describe, it } = registrar
  const timeout = options.timeout ?? 120_000
  describe(`${name}: event store conformance`, () => {
    const groups = [...new Set(checks.map((c) => c.group))]
    for (const group of groups) {
      describe(group, () => {
        for (const check of checks.filter((c) => c.group === group)) {
          const reason = skipReason(check, options)
          if (reason !== undefined) {
            skipWithReason(registrar, `${check.title} [${check.id}]`, reason)
            continue
          }
          it(
            `${check.title} [${check.id}]`,
            async () => {
              const exit = await Effect.runPromiseExit(runCheck(check, makeLayer, options))
              if (Exit.isFailure(exit)) {
                const error = Cause.findErrorOption(exit.cause)
                throw new Error(
                  error._tag === "Some" ? `${error.value.check}: ${error.value.message}` : Cause.pretty(exit.cause)
                )
              }
            },
            check.heavy === true ? timeout * 2 : timeout
          )
        }
      })
    }
  })
}
