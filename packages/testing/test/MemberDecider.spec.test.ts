/**
 * The member decider, as a specification table.
 *
 * Not here: `member.unknownSchool` concerns another stream (the school); the
 * command handler and the log validator check it.
 */
import { MemberDecider } from "@xueshi/core"
import { describe, expect, it } from "vitest"
import { ask, given, rulesCovered, table } from "../src/DeciderSpec.js"
import {
  categoriesChanged,
  deregistered,
  exemptionGranted,
  exemptionRevoked,
  memberRegistered,
  transferred
} from "./Fixtures.js"

const M1 = memberRegistered("M1", "XQ-JMH-C1", ["ordinaryMember"])
const categoriesOf = (s: MemberDecider.MemberState) => (s.status === "new" ? undefined : s.categories)

const rows = {
  "registers a member": given().when(ask(M1)).then([M1]).so(ask(M1), "member.alreadyRegistered"),
  "refuses a second registration": given(M1).when(ask(M1)).then("member.alreadyRegistered"),
  "refuses a second registration even after deregistration": given(M1, deregistered("M1"))
    .when(ask(M1))
    .then("member.alreadyRegistered"),
  "changes categories": given(M1)
    .when(ask(categoriesChanged("M1", ["elderlyOrInfirm"])))
    .then([categoriesChanged("M1", ["elderlyOrInfirm"])])
    .so(categoriesOf, ["elderlyOrInfirm"]),
  "refuses a change for an unregistered member": given()
    .when(ask(categoriesChanged("M1", ["candidate"])))
    .then("member.notRegistered"),
  "transfers to another school": given(M1)
    .when(ask(transferred("M1", "XQ-JMH-C2")))
    .then([transferred("M1", "XQ-JMH-C2")])
    .so(ask(transferred("M1", "XQ-JMH-C2")), "member.transferSameSchool"),
  "refuses a transfer to the member's own school": given(M1)
    .when(ask(transferred("M1", "XQ-JMH-C1")))
    .then("member.transferSameSchool"),
  "refuses a transfer back to where the member already is after a move": given(M1, transferred("M1", "XQ"))
    .when(ask(transferred("M1", "XQ")))
    .then("member.transferSameSchool"),
  "grants an exemption for a year": given(M1)
    .when(ask(exemptionGranted("M1")))
    .then([exemptionGranted("M1")])
    .so(ask(exemptionGranted("M1")), "exemption.duplicate"),
  "grants exemptions for two different years": given(M1, exemptionGranted("M1", 2024))
    .when(ask(exemptionGranted("M1", 2025)))
    .then([exemptionGranted("M1", 2025)])
    .so(ask(exemptionRevoked("M1", 2025)), [exemptionRevoked("M1", 2025)]),
  "refuses a second exemption for the same year": given(M1, exemptionGranted("M1"))
    .when(ask(exemptionGranted("M1")))
    .then("exemption.duplicate"),
  "revokes a granted exemption": given(M1, exemptionGranted("M1"))
    .when(ask(exemptionRevoked("M1")))
    .then([exemptionRevoked("M1")])
    .so(ask(exemptionRevoked("M1")), "exemption.notGranted"),
  "grants again after a revocation": given(M1, exemptionGranted("M1"), exemptionRevoked("M1"))
    .when(ask(exemptionGranted("M1")))
    .then([exemptionGranted("M1")])
    .so(ask(exemptionGranted("M1")), "exemption.duplicate"),
  "refuses to revoke an exemption never granted": given(M1)
    .when(ask(exemptionRevoked("M1")))
    .then("exemption.notGranted"),
  "refuses to revoke an exemption of another year": given(M1, exemptionGranted("M1", 2024))
    .when(ask(exemptionRevoked("M1", 2025)))
    .then("exemption.notGranted"),
  "deregisters a member": given(M1)
    .when(ask(deregistered("M1")))
    .then([deregistered("M1")])
    .so(ask(exemptionGranted("M1")), "member.deregistered"),
  "refuses anything after deregistration": given(M1, deregistered("M1"))
    .when(ask(categoriesChanged("M1", ["ordinaryMember"])))
    .then("member.deregistered"),
  "refuses a second deregistration": given(M1, deregistered("M1"))
    .when(ask(deregistered("M1")))
    .then("member.deregistered"),
  "refuses an exemption after deregistration": given(M1, deregistered("M1"))
    .when(ask(exemptionGranted("M1")))
    .then("member.deregistered")
}

describe("MemberDecider", () => {
  table(MemberDecider.MemberDecider, rows)

  it("the table covers every rule of member streams the decider owns", () => {
    expect([...rulesCovered(rows)].sort()).toEqual(
      [
        "member.alreadyRegistered",
        "member.notRegistered",
        "member.deregistered",
        "member.transferSameSchool",
        "exemption.duplicate",
        "exemption.notGranted"
      ].sort()
    )
  })
})
