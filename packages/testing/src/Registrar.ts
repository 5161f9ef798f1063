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
 * @since 0.1.0
 */
export interface TestRegistrar {
  readonly describe: (name: string, body: () => void) => unknown
  readonly it: (name: string, body: () => void | Promise<void>, timeout?: number) => unknown
}

/**
 * The registrar to use: `given`, or the running vitest worker's; throws outside vitest.
 *
 * @since 0.1.0
 */
export const registrarOf = (given: TestRegistrar | undefined, caller: string): TestRegistrar => {
  if (given !== undefined) return given
  const running = (globalThis as { __vitest_index__?: TestRegistrar }).__vitest_index__
  if (running?.describe !== undefined && running.it !== undefined) return running
  throw new Error(`${caller} must be called from a vitest test file (or given { vitest: { describe, it } })`)
}
