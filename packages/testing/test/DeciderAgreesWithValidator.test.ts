/**
 * Law: a decider never emits an event its own validator would reject. Random
 * commands (many of them doomed) are decided against the states that valid
 * histories reach; an accepted command's events are appended to the log and
 * must validate, and a refused command's event, appended anyway, must be
 * rejected by the validator with the rule the decider named.
 *
 * Rules about other streams (a parent school, the school of a member, the
 * member who enrols or is credited, the session a grant names) are the command
 * handler's to look up, not the decider's: when the decider accepts, the
 * validator may still reject with one of those, and with nothing else.
 *
 * By design (Decider.ts) `decide` and the validator share each kind's `check`,
 * so for in-stream rules this law holds by construction; what it guards is that
 * sharing — commands map to the events they claim, envelopes and codec add no
 * surprise — and the boundary of the cross-stream rules.
 */
import { fc, test } from "@fast-check/vitest"
import {
  Commands,
  EventCodec,
  type Events,
  LogValidator,
  type MemberDecider,
  type Rules,
  StreamKinds
} from "@xueshi/core"
import { Result } from "effect"
import { describe, expect, it } from "vitest"
import { districtHistory, type History, renderLines } from "../src/District.js"
import { commandAgainst, streamOfCommand } from "../src/TargetedCommands.js"

const REFERENCE_RULES: ReadonlySet<Rules.RuleId> = new Set([
  "school.unknownParent",
  "school.parentTier",
  "member.unknownSchool",
  "class.unknownSchool",
  "enrollment.unknownMember",
  "credit.unknownMember",
  "credit.unknownSession"
])

interface Tally {
  accepted: number
  acceptedByLog: number
  refused: Map<Rules.RuleId, number>
}

const run = (history: History, commands: ReadonlyArray<Commands.Command>, tally?: Tally) => {
  const v = LogValidator.makeLogValidator()
  for (const line of renderLines(history)) expect(v.push(line)._tag).toBe("Record")
  for (const raw of commands) {
    const stream = streamOfCommand(raw)
    const kind = StreamKinds.StreamKinds[stream.slice(0, stream.indexOf("-")) as Events.StreamCategory]
    // the facts a command handler would look up: the enrolling member's categories
    let command: Commands.Command = Commands.makeCommand(raw.type, raw.data as never) as Commands.Command
    if (raw.type === "EnrollMember") {
      const m = v.streams.get(`member-${raw.data.memberId}`)?.state as MemberDecider.MemberState | undefined
      if (m !== undefined && m.status === "active") {
        command = Commands.makeCommand(raw.type, raw.data, { memberCategories: m.categories }) as Commands.Command
      }
    }
    const state = v.streams.get(stream)?.state ?? kind.initialState
    const outcome = kind.decide(command, state)
    const event = Commands.eventOfCommand(command) as Events.DomainEvent
    const line = EventCodec.EventLogCodec.encodeLine({ ...event, stream, schemaVersion: 1 } as EventCodec.LogRecord)
    const pushed = v.push(line)
    if (Result.isSuccess(outcome)) {
      expect(outcome.success).toEqual([event])
      if (tally) tally.accepted++
      if (pushed._tag === "Error") {
        expect(
          REFERENCE_RULES.has(pushed.error.rule),
          `${command.type} accepted but the log says ${pushed.error.rule}`
        ).toBe(true)
      } else {
        expect(pushed._tag).toBe("Record")
        if (tally) tally.acceptedByLog++
      }
    } else {
      expect(pushed._tag === "Error" ? pushed.error.rule : "accepted by the log", command.type).toBe(
        outcome.failure.rule
      )
      if (tally) tally.refused.set(outcome.failure.rule, (tally.refused.get(outcome.failure.rule) ?? 0) + 1)
    }
  }
}

const historyAndCommands = districtHistory().chain((h) =>
  fc.tuple(fc.constant(h), fc.array(commandAgainst(h), { minLength: 1, maxLength: 30 }))
)

describe("deciders and the validator", () => {
  test.prop([historyAndCommands])("agree on every command against a reached state", ([history, commands]) => {
    run(history, commands)
  })

  it("the commands exercise both outcomes and most stream rules (fixed sample)", () => {
    const tally: Tally = { accepted: 0, acceptedByLog: 0, refused: new Map() }
    for (const [h, cs] of fc.sample(historyAndCommands, { numRuns: 150, seed: 3 })) run(h, cs, tally)
    expect(tally.acceptedByLog).toBeGreaterThan(50)
    expect(tally.refused.size).toBeGreaterThan(20)
  })
})
