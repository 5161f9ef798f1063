/**
 * A structural normal form of decider states, for comparing states that hold
 * Effect `HashMap`/`HashSet` and JavaScript `Map`/`Set`: collections become
 * arrays sorted by a canonical text of their elements, objects get sorted keys.
 * Two states are the same state when their normal forms are deep-equal (or,
 * quicker, when {@link fingerprint}s are equal).
 *
 * @since 0.1.0
 */
import { HashMap, HashSet } from "effect"

const order = (a: unknown, b: unknown): number => {
  const x = JSON.stringify(a)
  const y = JSON.stringify(b)
  return x < y ? -1 : x > y ? 1 : 0
}

/**
 * The normal form of a value: `HashMap`/`Map` → `{ "@map": [[k, v], …] }`,
 * `HashSet`/`Set` → `{ "@set": […] }` (both sorted), plain objects with sorted
 * keys, arrays element-wise; primitives unchanged.
 *
 * @category codecs
 * @since 0.1.0
 */
export const normalize = (u: unknown): unknown => {
  if (HashMap.isHashMap(u)) {
    return {
      "@map": HashMap.toEntries(u as HashMap.HashMap<unknown, unknown>)
        .map(([k, v]) => [normalize(k), normalize(v)])
        .sort(order)
    }
  }
  if (HashSet.isHashSet(u)) return { "@set": [...(u as Iterable<unknown>)].map(normalize).sort(order) }
  if (u instanceof Map) return { "@map": [...u].map(([k, v]) => [normalize(k), normalize(v)]).sort(order) }
  if (u instanceof Set) return { "@set": [...u].map(normalize).sort(order) }
  if (Array.isArray(u)) return u.map(normalize)
  if (typeof u === "object" && u !== null) {
    const out: Record<string, unknown> = {}
    for (const k of Object.keys(u).sort()) {
      const v = (u as Record<string, unknown>)[k]
      if (v !== undefined) out[k] = normalize(v)
    }
    return out
  }
  return u
}

/**
 * The canonical text of a value's normal form.
 *
 * @category codecs
 * @since 0.1.0
 */
export const fingerprint = (u: unknown): string => JSON.stringify(normalize(u))
