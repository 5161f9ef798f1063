/**
 * The decider of `credit-…` streams (a member's ledger of granted hours).
 *
 * @since 0.1.0
 */
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
 * @category models
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
 * @category models
 * @since 0.1.0
 */
export interface CreditState {
  readonly grants: ReadonlyMap<GrantId, GrantFacts>
}

/**
 * Commands of credit streams: `GrantCredit` or `RevokeCredit` (what credit
 * determination answers: `Accrual.CreditCommand` is this type).
 *
 * @category models
 * @since 0.1.0
 */
export type CreditCommand = CommandFor<CreditEvent>

const initialState: CreditState = { grants: new Map() }

const check = (state: CreditState, event: CreditEvent) => {
  const existing = state.grants.get(event.data.grantId)
  switch (event.type) {
    case "CreditGranted":
      return existing !== undefined
        ? violation("credit.duplicateGrant", "grantId", `grant ${event.data.grantId} already exists`)
        : undefined
    case "CreditRevoked":
      if (existing === undefined) {
        return violation("credit.unknownGrant", "grantId", `grant ${event.data.grantId} does not exist`)
      }
      return existing.revoked
        ? violation("credit.alreadyRevoked", "grantId", `grant ${event.data.grantId} is already revoked`)
        : undefined
  }
}

/** Folds an event: in place into a state the caller owns, else into a copy of the grants. */
const step = (state: CreditState, event: CreditEvent, owned: boolean): CreditState => {
  const id = event.data.grantId
  if (event.type === "CreditRevoked" && !state.grants.has(id)) return owned ? state : { grants: state.grants }
  const grants = (owned ? state.grants : new Map(state.grants)) as Map<GrantId, GrantFacts>
  switch (event.type) {
    case "CreditGranted":
      grants.set(id, { year: event.data.year, hours: event.data.hours, revoked: false })
      break
    case "CreditRevoked":
      grants.set(id, { ...(grants.get(id) as GrantFacts), revoked: true })
      break
  }
  return owned ? state : { grants }
}

const evolve = (state: CreditState, event: CreditEvent): CreditState => step(state, event, false)

/**
 * The credit stream kind: a grant id is used once; only an existing, unrevoked
 * grant can be revoked.
 *
 * @category deciders
 * @since 0.1.0
 */
export const CreditDecider: StreamKind<CreditCommand, CreditEvent, CreditState> = {
  category: "credit",
  initialState,
  evolve,
  own: (state) => ({ grants: new Map(state.grants) }),
  evolveOwned: (state, event) => step(state, event, true),
  check,
  decide: decideWith((c: CreditCommand) => [eventOfCommand(c) as CreditEvent], check, evolve)
}
