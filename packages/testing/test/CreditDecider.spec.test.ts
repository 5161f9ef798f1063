/**
 * The credit decider, as a specification table.
 *
 * Not here: `credit.unknownMember` and `credit.unknownSession` concern other
 * streams (the member, the class); the command handler and the log validator
 * check them.
 */
import { CreditDecider } from "@xueshi/core"
import { describe, expect, it } from "vitest"
import { ask, given, rulesCovered, table } from "../src/DeciderSpec.js"
import { granted, revoked } from "./Fixtures.js"

const rows = {
  "grants credit": given()
    .when(ask(granted("C1/S1")))
    .then([granted("C1/S1")])
    .so(ask(granted("C1/S1", 50)), "credit.duplicateGrant"),
  "grants a second grant with another id": given(granted("C1/S1"))
    .when(ask(granted("C1/S2")))
    .then([granted("C1/S2")])
    .so(ask(revoked("C1/S2")), [revoked("C1/S2")]),
  "refuses a grant id used before": given(granted("C1/S1"))
    .when(ask(granted("C1/S1", 50)))
    .then("credit.duplicateGrant"),
  "refuses a grant id used before, even after its revocation": given(granted("C1/S1"), revoked("C1/S1"))
    .when(ask(granted("C1/S1")))
    .then("credit.duplicateGrant"),
  "revokes a grant": given(granted("C1/S1"))
    .when(ask(revoked("C1/S1")))
    .then([revoked("C1/S1")])
    .so(ask(revoked("C1/S1")), "credit.alreadyRevoked"),
  "refuses to revoke a grant that does not exist": given(granted("C1/S1"))
    .when(ask(revoked("C1/S9")))
    .then("credit.unknownGrant"),
  "refuses to revoke in an empty ledger": given()
    .when(ask(revoked("C1/S1")))
    .then("credit.unknownGrant"),
  "refuses to revoke twice": given(granted("C1/S1"), revoked("C1/S1"))
    .when(ask(revoked("C1/S1")))
    .then("credit.alreadyRevoked")
}

describe("CreditDecider", () => {
  table(CreditDecider.CreditDecider, rows)

  it("the table covers every rule of credit streams the decider owns", () => {
    expect([...rulesCovered(rows)].sort()).toEqual([
      "credit.alreadyRevoked",
      "credit.duplicateGrant",
      "credit.unknownGrant"
    ])
  })
})
