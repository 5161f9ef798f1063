/**
 * The four stream kinds by category.
 *
 * @since 0.1.0
 */
import { ClassDecider } from "./ClassDecider.js"
import { CreditDecider } from "./CreditDecider.js"
import type { StreamKind } from "./Decider.js"
import type { DomainEvent, StreamCategory } from "./Events.js"
import { MemberDecider } from "./MemberDecider.js"
import { SchoolDecider } from "./SchoolDecider.js"

/**
 * The stream kind of each category (school, member, class, credit).
 *
 * @category deciders
 * @since 0.1.0
 */
export const StreamKinds: { readonly [C in StreamCategory]: StreamKind<any, DomainEvent, any> } = {
  school: SchoolDecider as unknown as StreamKind<any, DomainEvent, any>,
  member: MemberDecider as unknown as StreamKind<any, DomainEvent, any>,
  class: ClassDecider as unknown as StreamKind<any, DomainEvent, any>,
  credit: CreditDecider as unknown as StreamKind<any, DomainEvent, any>
}
