/**
 * `xueshi what-if --policy A --vs B`: the same history under two policy sets; who changes
 * status under each requirement both name, and how each school's compliance rate moves
 * (`WhatIf.compare`). The log or store is read once, into two ledgers.
 *
 * @since 0.1.0
 */
import { Hours, type Ledger, WhatIf } from "@xueshi/core"
import { Console, Effect, Option } from "effect"
import { Command, Flag } from "effect/cli"
import { writeOut } from "../Files.js"
import * as Grid from "../Grid.js"
import { type Lang, label } from "../Labels.js"
import { toJson } from "../MemberRecord.js"
import { loadPolicy } from "../PolicyFlag.js"
import { ledgersOf, load, sourceFlags } from "../Sources.js"
import { step } from "../Steps.js"
import { langFlag } from "./Report.js"

/**
 * The comparison as text: transitions, school moves, then every member who changes.
 *
 * @category rendering
 * @since 0.1.0
 */
export const renderText = (r: WhatIf.WhatIfReport, lang: Lang): string => {
  const L = (k: string) => label(lang, k)
  const out: Array<string> = [
    `what-if ${r.a} → ${r.b} · ${L("year")} ${r.year} · ${L("asOf")} ${r.asOf}`,
    `compared: ${r.requirements.compared.join(", ") || "—"}${r.requirements.onlyA.length > 0 ? ` · only in ${r.a}: ${r.requirements.onlyA.join(", ")}` : ""}${r.requirements.onlyB.length > 0 ? ` · only in ${r.b}: ${r.requirements.onlyB.join(", ")}` : ""}`,
    ""
  ]
  for (const id of r.requirements.compared) {
    const moves = Object.entries(r.transitions[id] ?? {})
    out.push(
      `${id}: ${moves.length === 0 ? "no member changes status" : moves.map(([k, n]) => `${k} ${n}`).join(", ")}`
    )
  }
  out.push("", `${L("schools")} (${r.rollupRequirementId ?? "—"}):`)
  out.push(
    Grid.grid(
      [
        Grid.left(L("name")),
        Grid.right(`${L("met")} A`),
        Grid.right(`${L("applicable")} A`),
        Grid.right(`${L("complianceRate")} A`),
        Grid.right(`${L("met")} B`),
        Grid.right(`${L("complianceRate")} B`),
        Grid.right("Δ")
      ],
      r.schools.map((s) => [
        `${"  ".repeat(s.depth)}${s.name}`,
        String(s.a.met),
        String(s.a.applicable),
        s.a.rate ?? "—",
        String(s.b.met),
        s.b.rate ?? "—",
        s.changeText ?? "—"
      ])
    ).join("\n")
  )
  out.push("", `${r.changes.length} status change${r.changes.length === 1 ? "" : "s"}:`)
  if (r.changes.length > 0)
    out.push(
      Grid.grid(
        [
          Grid.left(L("memberId")),
          Grid.left(L("requirementId")),
          Grid.left(L("schoolId")),
          Grid.left("A"),
          Grid.left("B"),
          Grid.right(`${L("earnedHours")} A`),
          Grid.right(`${L("earnedHours")} B`)
        ],
        r.changes.map((c) => [
          c.memberId,
          c.requirementId,
          c.schoolId ?? "—",
          L(c.from),
          L(c.to),
          Hours.format(c.earnedA),
          Hours.format(c.earnedB)
        ])
      ).join("\n")
    )
  return `${out.join("\n")}\n`
}

/**
 * The `what-if` command.
 *
 * @category utils
 * @since 0.1.0
 */
export const whatIfCommand = Command.make(
  "what-if",
  {
    ...sourceFlags,
    vs: Flag.String("vs").pipe(Flag.withDescription("The policy set to compare with (a preset id or a policy.json)")),
    requirement: Flag.String("requirement").pipe(
      Flag.withDescription("The requirement whose school rates are compared (default: the first both name)"),
      Flag.optional
    ),
    format: Flag.Literals("format", ["table", "json"]).pipe(
      Flag.withDescription("Output format"),
      Flag.withDefault("table")
    ),
    lang: langFlag,
    out: Flag.String("out").pipe(Flag.withDescription("Write to FILE instead of stdout"), Flag.optional)
  },
  (flags) =>
    Effect.gen(function* () {
      const b = yield* loadPolicy(flags.vs)
      let other: Ledger.Ledger | undefined
      const { ledger, year, asOf } = yield* load(flags, "what-if", (s, a) =>
        step(
          s.kind === "log" ? "read log" : "read store",
          Effect.map(ledgersOf(s, [a, b]), ([la, lb]) => {
            other = lb
            return la as Ledger.Ledger
          })
        )
      )
      const report = yield* step(
        "compare",
        Effect.sync(() =>
          WhatIf.compare(ledger, other as Ledger.Ledger, {
            year,
            ...(asOf === undefined ? {} : { asOf }),
            ...(Option.isSome(flags.requirement) ? { requirementId: flags.requirement.value } : {})
          })
        )
      )
      const text = flags.format === "json" ? `${toJson(report)}\n` : renderText(report, flags.lang as Lang)
      if (Option.isNone(flags.out)) return yield* Effect.sync(() => void process.stdout.write(text))
      yield* writeOut(flags.out.value, text)
      yield* Console.error(`wrote ${flags.out.value}`)
    })
).pipe(
  Command.withDescription("The same history under two policy sets: who changes status, how each school's rate moves"),
  Command.withExamples([
    {
      command: "xueshi what-if district.jsonl --policy xiqing-district --vs national-2019",
      description: "The local rule against the national one"
    },
    {
      command: "xueshi what-if --store file:./store --policy national-2019 --vs draft.json --format json",
      description: "A draft policy set, as JSON"
    }
  ])
)
