/**
 * `xueshi transcript <memberId>`: a member's 学时 record of a year (classes, sessions, hours,
 * status per requirement) as a printable page, text or HTML, closed by the verification digest
 * of the log prefix it comes from (see `TranscriptReport`); `xueshi verify` checks it.
 *
 * @since 0.1.0
 */
import { Console, Effect, Option } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import { type CliFailure, invalid, usage } from "../Failure.js"
import { writeOut } from "../Files.js"
import type { Lang } from "../Labels.js"
import { transcript } from "../MemberRecord.js"
import { parseAsOf } from "../Period.js"
import { loadPolicy } from "../PolicyFlag.js"
import { prefixOf, type Source, sourceFlags, sourceOf } from "../Sources.js"
import { step } from "../Steps.js"
import { renderHtml, renderText, type TranscriptParams } from "../TranscriptReport.js"
import { langFlag } from "./Report.js"

/**
 * Makes a transcript: folds the first `events` events of the source (all when undefined) and
 * renders the member's page with its verification line.
 *
 * @category constructors
 * @since 0.1.0
 */
export const makeTranscript = (
  source: Source,
  params: Omit<TranscriptParams, "events" | "sha256" | "asOf"> & { readonly asOf?: string | undefined },
  events?: number
): Effect.Effect<{ readonly text: string; readonly params: TranscriptParams }, CliFailure> =>
  Effect.gen(function* () {
    const policy = yield* loadPolicy(params.policy)
    const asOf = yield* parseAsOf(
      params.asOf === undefined ? Option.none() : Option.some(params.asOf),
      Option.some(params.year)
    )
    const prefix = yield* step(source.kind === "log" ? "read log" : "read store", prefixOf(source, policy, events))
    const t = transcript(prefix.ledger, params.member, { year: params.year, asOf })
    if (t === undefined)
      return yield* Effect.fail(
        invalid(
          `no member ${params.member} in the first ${prefix.events} events of ${source.location}`,
          "member ids are case-sensitive; xueshi report --format csv lists them"
        )
      )
    const full: TranscriptParams = { ...params, asOf: t.asOf, events: prefix.events, sha256: prefix.sha256 }
    return { text: full.format === "html" ? renderHtml(t, full) : renderText(t, full), params: full }
  })

/**
 * The `transcript` command.
 *
 * @category rendering
 * @since 0.1.0
 */
export const transcriptCommand = Command.make(
  "transcript",
  {
    member: Argument.String("memberId").pipe(Argument.withDescription("The member")),
    ...sourceFlags,
    format: Flag.Literals("format", ["text", "html"]).pipe(
      Flag.withDescription("A text page or a printable HTML page (A4)"),
      Flag.withDefault("text")
    ),
    lang: langFlag,
    out: Flag.String("out").pipe(Flag.withDescription("Write to FILE instead of stdout"), Flag.optional)
  },
  (flags) =>
    Effect.gen(function* () {
      const source = yield* sourceOf(flags.log, flags.store, "transcript", flags.schema)
      yield* parseAsOf(flags.asOf, flags.year)
      let year: number
      if (Option.isSome(flags.year)) year = flags.year.value
      else if (Option.isSome(flags.asOf)) year = Number(flags.asOf.value.slice(0, 4))
      else
        return yield* Effect.fail(
          usage("a transcript is of one year", `give it: xueshi transcript ${flags.member} … --year 2025`)
        )
      const { text } = yield* makeTranscript(source, {
        member: flags.member,
        year,
        asOf: Option.getOrUndefined(flags.asOf),
        policy: flags.policy,
        format: flags.format,
        lang: flags.lang as Lang
      })
      if (Option.isNone(flags.out)) return yield* Effect.sync(() => void process.stdout.write(text))
      yield* writeOut(flags.out.value, text)
      yield* Console.error(`wrote ${flags.out.value}`)
    })
).pipe(
  Command.withDescription("A member's 学时 record of a year as a printable page, with a verification digest"),
  Command.withExamples([
    { command: "xueshi transcript XQ-M000123 district.jsonl --year 2025", description: "A text page" },
    {
      command: "xueshi transcript XQ-M000123 --store file:./store --year 2025 --format html --out M000123.html",
      description: "A printable HTML page (A4)"
    },
    { command: "xueshi verify M000123.html --store file:./store", description: "Check it against the ledger" }
  ])
)
