/**
 * `xueshi explain <memberId>`: every grant of a member's year, counted, excluded by a filter,
 * cut by a cap or revoked, and why, per requirement; the full list.
 *
 * @since 0.1.0
 */
import { Console, Effect, Option } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import { invalid } from "../Failure.js"
import { writeOut } from "../Files.js"
import type { Lang } from "../Labels.js"
import { explain, explainLines, toJson } from "../MemberRecord.js"
import { ledgerOf, load, sourceFlags } from "../Sources.js"
import { step } from "../Steps.js"
import { langFlag } from "./Report.js"

/**
 * The `explain` command.
 *
 * @category rendering
 * @since 0.1.0
 */
export const explainCommand = Command.make(
  "explain",
  {
    member: Argument.String("memberId").pipe(Argument.withDescription("The member to explain")),
    ...sourceFlags,
    requirement: Flag.String("requirement").pipe(
      Flag.withDescription("Only this requirement (default: every requirement of the policy set)"),
      Flag.optional
    ),
    format: Flag.Literals("format", ["text", "json"]).pipe(
      Flag.withDescription("Output format"),
      Flag.withDefault("text")
    ),
    lang: langFlag,
    out: Flag.String("out").pipe(Flag.withDescription("Write to FILE instead of stdout"), Flag.optional)
  },
  (flags) =>
    Effect.gen(function* () {
      const { ledger, year, asOf, source } = yield* load(flags, "explain", (s, p) =>
        step(s.kind === "log" ? "read log" : "read store", ledgerOf(s, p))
      )
      if (
        Option.isSome(flags.requirement) &&
        !ledger.policy.requirements.some((r) => r.id === (flags.requirement as Option.Some<string>).value)
      )
        return yield* Effect.fail(
          invalid(
            `the policy ${ledger.policy.id} has no requirement ${flags.requirement.value}`,
            `its requirements: ${ledger.policy.requirements.map((r) => r.id).join(", ")}`
          )
        )
      const x = explain(ledger, flags.member, {
        year,
        asOf,
        ...(Option.isSome(flags.requirement) ? { requirementId: flags.requirement.value } : {})
      })
      if (x === undefined)
        return yield* Effect.fail(
          invalid(
            `no member ${flags.member} in ${source.location}`,
            "member ids are case-sensitive; xueshi report --format csv lists them (shortfalls.csv)"
          )
        )
      const text =
        flags.format === "json" ? `${toJson(x)}\n` : `${explainLines(x, ledger, flags.lang as Lang).join("\n")}\n`
      if (Option.isNone(flags.out)) return yield* Effect.sync(() => void process.stdout.write(text))
      yield* writeOut(flags.out.value, text)
      yield* Console.error(`wrote ${flags.out.value}`)
    })
).pipe(
  Command.withDescription("Every grant of a member's year: counted, excluded, capped, revoked, and why"),
  Command.withExamples([
    { command: "xueshi explain XQ-M000123 district.jsonl", description: "Per requirement, every grant and why" },
    {
      command: "xueshi explain XQ-M000123 --store file:./store --requirement annual-32 --as-of 2025-06-30",
      description: "One requirement, mid-year, from a store"
    },
    { command: "xueshi explain XQ-M000123 district.jsonl --format json", description: "The compliance answers as JSON" }
  ])
)
