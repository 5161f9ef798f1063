// Seeded randomness for the benchmark data: every byte the harness writes is a function of the seed.
import { Random } from "@xueshi/testing"

/**
 * A seeded float source in [0, 1): the testing kit's one PRNG (Random.makeRandom of
 * @xueshi/testing, splitmix32 as a pure-rand generator), the one the district is drawn from.
 */
export const makeRng = (seed) => Random.makeRandom(seed | 0).next

/** An integer in [0, n). */
export const randInt = (rng, n) => Math.floor(rng() * n)

/** One element of an array. */
export const pick = (rng, xs) => xs[Math.floor(rng() * xs.length)]

const HEX = "0123456789abcdef"
const hex32 = (n) => {
  let s = ""
  for (let i = 28; i >= 0; i -= 4) s += HEX[(n >>> i) & 15]
  return s
}

/** A random (version 4 shaped) UUID drawn from the seeded generator. */
export const uuid = (rng) => {
  const a = hex32((rng() * 4294967296) >>> 0)
  const b = hex32((rng() * 4294967296) >>> 0)
  const c = hex32((rng() * 4294967296) >>> 0)
  const d = hex32((rng() * 4294967296) >>> 0)
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${HEX[8 + ((rng() * 4) | 0)]}${c.slice(1, 4)}-${c.slice(4)}${d}`
}

/** FNV-1a of a string, 32 bits. */
export const hashString = (s) => {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/** Mixes a 32-bit integer into a running 32-bit hash. */
export const mix = (h, n) => {
  h ^= n >>> 0
  h = Math.imul(h, 0x01000193)
  h ^= h >>> 13
  return h >>> 0
}
