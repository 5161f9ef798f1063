// The projections of the policies issue, found in the BUILT core: every exported value shaped
// like a `Projection` ({ name, initial, apply, query, encodeState }), including those inside an
// exported list or record of projections. D1 folds the district through all of them.

import { createHash } from "node:crypto"
import * as core from "@xueshi/core"

const isProjection = (v) =>
  typeof v === "object" &&
  v !== null &&
  typeof v.name === "string" &&
  typeof v.apply === "function" &&
  typeof v.query === "function" &&
  typeof v.encodeState === "function" &&
  "initial" in v

/**
 * The district's policy set, composed from the core's presets (every requirement and course-mix
 * preset, credit standard-45, completion cadre-leave-1-7), or undefined when the presets are
 * not in the built core.
 */
export const districtPolicy = () => {
  const P = core.Presets
  if (typeof P?.composePolicySet !== "function" || typeof P.presets !== "object") return undefined
  const of = (kind) =>
    Object.values(P.presets)
      .filter((x) => x.kind === kind)
      .map((x) => x.value)
  const credit = P.presets["standard-45"]?.value
  const completion = P.presets["cadre-leave-1-7"]?.value
  return P.composePolicySet({
    id: "bench-district",
    effectiveFrom: "2019-01-01",
    ...(credit === undefined ? {} : { credit }),
    requirements: of("requirement"),
    courseMix: of("courseMix"),
    ...(completion === undefined ? {} : { completion })
  })
}

/**
 * The ledger facade as one projection: ONE fact store for every query, with the credit derived
 * under the policy set (what an application does since the ledger landed), or undefined when the
 * built core has no ledger.
 */
const ledgerProjection = (policy) => {
  const L = core.Ledger
  if (policy === undefined || typeof L?.makeFold !== "function" || typeof L.encodeFold !== "function") return undefined
  return {
    name: `ledger/${policy.id}`,
    source: "Ledger.makeFold",
    projection: {
      name: `ledger/${policy.id}`,
      get initial() {
        return L.makeFold(policy)
      },
      apply: (fold, r) => {
        fold.push(r)
        return fold
      },
      query: (fold) => fold.finish(),
      encodeState: (fold) => L.encodeFold(fold)
    }
  }
}

/**
 * `{ projections: [{ name, projection, source }], note }`: the ledger (one fact store serving
 * every projection's queries) when the built core has it; otherwise the exported projections and
 * those an exported `make(policy)` builds for the district's policy set.
 */
export const findProjections = () => {
  try {
    const policy = districtPolicy()
    const ledger = ledgerProjection(policy)
    if (ledger !== undefined) {
      return {
        projections: [ledger],
        note: `the ledger of policy set ${policy.id}: one fact store for every projection's queries (Ledger.makeFold)`
      }
    }
  } catch {
    // fall back to the projections one by one
  }
  return findEachProjection()
}

const findEachProjection = () => {
  const found = new Map()
  let policy
  let policyError
  try {
    policy = districtPolicy()
  } catch (e) {
    policyError = e.message
  }
  const visit = (v, source, depth) => {
    if (depth > 3 || v === null || (typeof v !== "object" && typeof v !== "function")) return
    if (isProjection(v)) {
      if (!found.has(v.name)) found.set(v.name, { name: v.name, projection: v, source })
      return
    }
    if (typeof v === "function") return
    if (policy !== undefined && typeof v.make === "function" && !Array.isArray(v)) {
      try {
        const p = v.make(policy)
        if (isProjection(p) && !found.has(p.name))
          found.set(p.name, { name: p.name, projection: p, source: `${source}.make` })
      } catch {
        // not a projection factory
      }
    }
    const values = Array.isArray(v) ? v.map((x, i) => [String(i), x]) : Object.entries(v)
    for (const [k, x] of values) visit(x, `${source}.${k}`, depth + 1)
  }
  for (const [k, v] of Object.entries(core)) visit(v, k, 0)
  const projections = Array.from(found.values()).sort((a, b) => (a.name < b.name ? -1 : 1))
  const why = policyError === undefined ? "" : ` (the district policy set failed: ${policyError})`
  return {
    projections,
    note:
      projections.length === 0
        ? `no policy projection in the built @xueshi/core yet${why}: D1 folds through the bench fold only`
        : `${projections.length} projections of policy set ${policy?.id ?? "?"}: ${projections.map((p) => p.name).join(", ")}`
  }
}

/** Runs every projection over records given one at a time; `digest()` hashes their encoded states. */
export const makeProjectionFold = (projections) => {
  const states = projections.map((p) => p.projection.initial)
  const ps = projections.map((p) => p.projection)
  const apply = (r) => {
    for (let i = 0; i < ps.length; i++) states[i] = ps[i].apply(states[i], r)
  }
  const digest = () => {
    const h = createHash("sha256")
    const sizes = {}
    for (let i = 0; i < ps.length; i++) {
      const text = JSON.stringify(ps[i].encodeState(states[i]))
      sizes[ps[i].name] = text.length
      h.update(ps[i].name).update(text)
    }
    return { checksum: h.digest("hex").slice(0, 16), stateBytes: sizes }
  }
  return { apply, digest }
}
