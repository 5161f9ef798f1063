/**
 * The `--policy` flag's value: a policy-set preset id or a policy-set JSON file.
 *
 * @since 0.1.0
 */
import { readFile } from "node:fs/promises"
import { PolicySet, Presets } from "@xueshi/core"
import { Effect, Result } from "effect"
import { type CliFailure, invalid, messageOf, usage } from "./Failure.js"
import { readable } from "./Files.js"

/**
 * The policy-set presets, named in hints.
 *
 * @category constants
 * @since 0.1.0
 */
export const PRESET_HINT = "xiqing-district, national-2019, cadre-2023"

/**
 * Loads a policy set: a preset id, or a `.json` file parsed by `PolicySet.parsePolicySet`
 * (exit 2 for an unknown preset, 1 for a bad file).
 *
 * @category utils
 * @since 0.1.0
 */
export const loadPolicy = (spec: string): Effect.Effect<PolicySet.PolicySet, CliFailure> => {
  const preset = (Presets.presets as Record<string, { kind: string; value: unknown }>)[spec]
  if (preset !== undefined) {
    if (preset.kind === "policySet") return Effect.succeed(preset.value as PolicySet.PolicySet)
    return Effect.fail(
      usage(`${spec} is a ${preset.kind} preset, not a policy set`, `use a policy set: ${PRESET_HINT}`)
    )
  }
  if (!spec.endsWith(".json"))
    return Effect.fail(usage(`unknown policy ${spec}`, `give a preset (${PRESET_HINT}) or a policy.json file`))
  return readable(spec, "policy file").pipe(
    Effect.flatMap(() =>
      Effect.tryPromise({
        try: () => readFile(spec, "utf8"),
        catch: (e) => invalid(`cannot read the policy file ${spec}: ${messageOf(e)}`, "check the path")
      })
    ),
    Effect.flatMap((text) => {
      const r = PolicySet.parsePolicySet(text)
      return Result.isSuccess(r)
        ? Effect.succeed(r.success)
        : Effect.fail(
            invalid(
              `${spec}: ${r.failure.path === "" ? "" : `${r.failure.path}: `}${r.failure.message}`,
              "see docs/policies/policy-sets.md and the policy-set JSON Schema in @xueshi/core/schema/"
            )
          )
    })
  )
}
