// Placeholder until the district replay example exists: loads the BUILT @xueshi/core
// (through its package exports, not the sources) and lists what it exports.
import * as core from "@xueshi/core"

const names = Object.keys(core).sort()
console.log(`@xueshi/core exports ${names.length} names${names.length > 0 ? `: ${names.join(", ")}` : ""}`)
console.log("The district replay example (examples/replay-district.mjs) is not written yet.")
