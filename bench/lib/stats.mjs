// Small statistics helpers.

/** The q-quantile (0..1) of a numeric array (nearest rank on a sorted copy). */
export const percentile = (xs, q) => {
  if (xs.length === 0) return Number.NaN
  const s = Float64Array.from(xs).sort()
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]
}

export const median = (xs) => {
  if (xs.length === 0) return Number.NaN
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2
}

/** The statistics of a row over its repetitions: median [min–max] of the value, medians of the other figures, the checks. */
export const summarize = (r) => {
  const vals = r.reps.map((x) => x.value)
  const med = (k) => {
    const xs = r.reps.map((x) => x[k]).filter((x) => typeof x === "number")
    return xs.length === 0 ? undefined : median(xs)
  }
  return {
    median: median(vals),
    min: Math.min(...vals),
    max: Math.max(...vals),
    p50: med("p50"),
    p99: med("p99"),
    conflicts: med("conflicts"),
    rssMiB: med("rssMiB"),
    wallMs: med("wallMs"),
    openMs: med("openMs"),
    cut: med("cut"),
    lost: med("lost"),
    quarantined: med("quarantined"),
    checksOk: r.reps.every((x) => x.check === undefined || x.check.ok),
    checkErrors: r.reps.flatMap((x) => (x.check?.ok === false ? x.check.errors : [])),
    digests: r.reps.map((x) => x.digest).filter((d) => d !== undefined)
  }
}
