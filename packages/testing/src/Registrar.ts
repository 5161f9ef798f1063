/**
 * How the testing kit registers vitest tests without importing vitest: vitest
 * refuses to be `require()`d and @xueshi/testing also ships a CommonJS build, so
 * suites take `describe`/`it` from an option, or else from the running vitest
 * worker.
 *
 * @since 0.1.0
 */

/**
 * The parts of vitest a suite registers tests with.
 *
 * @category models
 * @since 0.1.0
 */
export interface TestRegistrar {
  readonly describe: (name: string, body: () => void) => unknown
  readonly it: (name: string, body: () => void | Promise<void>, timeout?: number) => unknown
  /** Registers a test reported as skipped (vitest's `it.skip`); when absent, `it.skip` is used if `it` has one. */
  readonly skip?: (name: string, body: () => void) => unknown
}

/**
 * Registers a test reported as skipped, its name carrying the reason, and prints
 * the reason; without a way to skip, a test that passes saying it checks nothing.
 *
 * @category utils
 * @since 0.1.0
 */
export const skipWithReason = (registrar: TestRegistrar, name: string, reason: string): void => {
  const title = `${name} (skipped: ${reason})`
  const skip = registrar.skip ?? (registrar.it as { skip?: (name: string, body: () => void) => unknown }).skip
  if (skip !== undefined) skip(title, () => undefined)
  else registrar.it(title, () => console.info(`skipped: ${name}: ${reason}`))
}

/**
 * The registrar to use: `given`, or the running vitest worker's; throws outside vitest.
 *
 * @category utils
 * @since 0.1.0
 */
export const registrarOf = (given: TestRegistrar | undefined, caller: string): TestRegistrar => {
  if (given !== undefined) return given
  const running = (globalThis as { __vitest_index__?: TestRegistrar }).__vitest_index__
  if (running?.describe !== undefined && running.it !== undefined) return running
  throw new Error(`${caller} must be called from a vitest test file (or given { vitest: { describe, it } })`)
}
