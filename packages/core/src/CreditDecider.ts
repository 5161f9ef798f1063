/**
 * The decider of `credit-…` streams (a member's ledger of granted hours).
 *
 * @since 0.1.0
 */
import { HashMap, Option } from "effect"
import type { CommandFor } from "./Commands.js"
import { eventOfCommand } from "./Commands.js"
import { decideWith, type StreamKind } from "./Decider.js"
import type { CreditEvent } from "./Events.js"
import type { Hours } from "./Hours.js"
import type { GrantId } from "./Ids.js"
import { violation } from "./Rules.js"

/**
 * What the ledger keeps of a grant.
 *
 * @since 0.1.0
 */
export interface GrantFacts {
  readonly year: number
  readonly hours: Hours
  readonly revoked: boolean
}

/**
 * The state of a credit stream: every grant by id, revoked or not.
 *
 * @since 0.1.0
 */
export interface CreditState {
  readonly grants: HashMap.HashMap<GrantId, GrantFacts>
}

/**
 * Commands of credit streams.
 *
 * @since 0.1.0
 */
export type CreditCommand = CommandFor<CreditEvent>

const initialState: CreditState = { grants: HashMap.empty() }

const check = (state: CreditState, event: CreditEvent) => {
  const existing = HashMap.get(state.grants, event.data.grantId)
  switch (event.type) {
    case "CreditGranted":
      return Option.isSome(existing)
        ? violation("credit.duplicateGrant", "grantId", `grant ${event.data.grantId} already exists`)
        : undefined
    case "CreditRevoked":
      if (Option.isNone(existing)) {
        return violation("credit.unknownGrant", "grantId", `grant ${event.data.grantId} does not exist`)
      }
      return existing.value.revoked
        ? violation("credit.alreadyRevoked", "grantId", `grant ${event.data.grantId} is already revoked`)
        : undefined
  }
}

const evolve = (state: CreditState, event: CreditEvent): CreditState => {
  switch (event.type) {
    case "CreditGranted":
      return {
        grants: HashMap.set(state.grants, event.data.grantId, {
          year: event.data.year,
          hours: event.data.hours,
          revoked: false
        })
      }
    case "CreditRevoked":
      return {
        grants: HashMap.modify(state.grants, event.data.grantId, (g) => ({ ...g, revoked: true }))
      }
  }
}

/**
 * The credit stream kind: a grant id is used once; only an existing, unrevoked
 * grant can be revoked.
 *
 * @since 0.1.0
 */
export const CreditDecider: StreamKind<CreditCommand, CreditEvent, CreditState> = {
  category: "credit",
  initialState,
  evolve,
  check,
  decide: decideWith((c: CreditCommand) => [eventOfCommand(c) as CreditEvent], check, evolve)
}
