/**
 * THE seeded random source of the testing kit (and of the benchmarks, through
 * the built package): the district generator, valid histories, mutations,
 * targeted commands and the bench's data all draw from it, so one seed means
 * one thing everywhere.
 *
 * The generator is splitmix32, as a `pure-rand` {@link RandomGenerator} (so
 * `pure-rand`'s distributions, such as `uniformInt`, work over it). It is the
 * generator the demo's district has always been drawn from: `pure-rand`'s own
 * algorithms (xoroshiro128+, mersenne, …) would give another district for the
 * same seed, and the demo's report digest is a held figure. The draws of
 * {@link Random} are the district generator's: a float is the next 32-bit word
 * over 2^32, an integer in [min, max] is `min + floor(float × (max − min + 1))`.
 *
 * @since 0.1.0
 */
import type { RandomGenerator } from "pure-rand/types/RandomGenerator"

/**
 * splitmix32 from a 32-bit state, as a `pure-rand` generator: `next()` is a
 * signed 32-bit word, as `pure-rand` wants.
 *
 * @category rules
 * @since 0.1.0
 */
export const splitmix32 = (seed: number): RandomGenerator => {
  let s = seed >>> 0
  const gen: RandomGenerator = {
    next: () => {
      s = (s + 0x9e3779b9) >>> 0
      let z = s
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0
      return (z ^ (z >>> 16)) | 0
    },
    clone: () => splitmix32(s),
    getState: () => [s]
  }
  return gen
}

/**
 * Seeded draws (all from one {@link splitmix32} generator).
 *
 * @category models
 * @since 0.1.0
 */
export interface Random {
  /** A float in [0, 1). */
  readonly next: () => number
  /** An integer in [min, max]. */
  readonly int: (min: number, max: number) => number
  /** `true` with probability `p`. */
  readonly chance: (p: number) => boolean
  /** A random element of a non-empty array. */
  readonly pick: <A>(as: ReadonlyArray<A>) => A
  /** A random UUID (version 4 layout). */
  readonly uuid: () => string
  /** The underlying `pure-rand` generator (advanced by every draw). */
  readonly generator: RandomGenerator
}

const HEX = "0123456789abcdef"

/**
 * Makes a {@link Random} from a 32-bit seed.
 *
 * @category constructors
 * @since 0.1.0
 */
export const makeRandom = (seed: number): Random => {
  const generator = splitmix32(seed)
  const next = () => (generator.next() >>> 0) / 4294967296
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1))
  const hex = (n: number) => {
    let s = ""
    for (let i = 0; i < n; i++) s += HEX[int(0, 15)]
    return s
  }
  return {
    next,
    int,
    chance: (p) => next() < p,
    pick: <A>(as: ReadonlyArray<A>): A => as[int(0, as.length - 1)] as A,
    uuid: () => `${hex(8)}-${hex(4)}-4${hex(3)}-${"89ab"[int(0, 3)]}${hex(3)}-${hex(12)}`,
    generator
  }
}
