/**
 * The member and credit tasks of the simulation: registrations, exemptions
 * (and their revocation), category changes, transfers, deregistrations,
 * session-sourced and external credit, revocations.
 *
 * @since 0.1.0
 */
import { Calendar, type Hours, type Ids, type Vocabulary } from "@xueshi/core"
import { COMMON_CATEGORIES, DEREGISTRATION_REASONS, EXTERNAL_SYSTEMS, REVOCATION_REASONS } from "./Names.js"
import type { ClassSim, MemberSim, NonEmptyCategories, SessionSim, Simulation } from "./SimulationState.js"

/**
 * The member and credit tasks of one simulation.
 *
 * @category utils
 * @since 0.1.0
 */
export const memberTasks = (sim: Simulation) => {
  const { r, year, emit, at, today, spawn, finale, activeMembers, registeredSchools } = sim
  const grantExemption = (m: MemberSim) => () => {
    if (m.status !== "active" || m.exemptions.has(year)) return
    emit("ExemptionGranted", { memberId: m.id, year, reason: r.chance(0.8) ? "elderlyOrInfirm" : "illness" })
    m.exemptions.add(year)
    if (r.chance(0.15)) spawn(revokeExemption(m))
  }
  const revokeExemption = (m: MemberSim) => () => {
    if (m.status !== "active" || !m.exemptions.has(year)) return
    emit("ExemptionRevoked", { memberId: m.id, year, ...(r.chance(0.5) ? { reason: "elderlyOrInfirm" as const } : {}) })
    m.exemptions.delete(year)
  }
  const registerMember = (m: MemberSim) => () => {
    emit("MemberRegistered", {
      memberId: m.id,
      schoolId: m.schoolId,
      categories: m.categories as unknown as NonEmptyCategories,
      ...(r.chance(0.5) ? { joinedOn: Calendar.makeLocalDate(r.int(1960, year - 1), r.int(1, 12), r.int(1, 28)) } : {})
    })
    m.status = "active"
    activeMembers.push(m)
    if (m.categories.includes("elderlyOrInfirm") && r.chance(0.8)) spawn(grantExemption(m))
    if (r.chance(0.15)) spawn(changeCategories(m))
    if (r.chance(0.1)) spawn(transfer(m))
    if (r.chance(0.15)) spawn(externalCredit(m))
    if (r.chance(0.06)) finale.push({ run: deregister(m) })
  }
  const changeCategories = (m: MemberSim) => () => {
    if (m.status !== "active") return
    const next = new Set<Vocabulary.TraineeCategory>([r.pick(COMMON_CATEGORIES)])
    if (r.chance(0.3)) next.add("elderlyOrInfirm")
    m.categories = [...next]
    emit("MemberCategoriesChanged", {
      memberId: m.id,
      categories: m.categories as unknown as NonEmptyCategories,
      effectiveOn: today()
    })
    if (next.has("elderlyOrInfirm")) spawn(grantExemption(m))
  }
  const transfer = (m: MemberSim) => () => {
    if (m.status !== "active") return
    const targets = registeredSchools.filter((s) => s.id !== m.schoolId && s.tier !== "teachingPoint")
    if (targets.length === 0) return
    const to = r.pick(targets)
    emit("MemberTransferred", { memberId: m.id, schoolId: to.id as Ids.SchoolId, effectiveOn: today() })
    m.schoolId = to.id as Ids.SchoolId
  }
  const deregister = (m: MemberSim) => () => {
    if (m.status !== "active") return
    emit("MemberDeregistered", {
      memberId: m.id,
      effectiveOn: Calendar.makeLocalDate(year, 12, r.int(1, 31)),
      reason: r.pick(DEREGISTRATION_REASONS)
    })
    m.status = "deregistered"
  }

  // ----- credit -----
  const hoursOf = (minutes: number): Hours.Hours => Math.max(25, Math.round((minutes * 4) / 45) * 25) as Hours.Hours
  const revokeCredit = (m: MemberSim, grantId: string) => () => {
    if (m.grants.get(grantId) !== false) return
    emit("CreditRevoked", {
      memberId: m.id,
      grantId: grantId as Ids.GrantId,
      reason: r.pick(REVOCATION_REASONS),
      at: at()
    })
    m.grants.set(grantId, true)
  }
  const sessionCredit = (m: MemberSim, c: ClassSim, s: SessionSim, minutes: number, suffix: string) => () => {
    const grantId = `${c.id}/${s.id}${suffix}`
    if (m.status === "new" || s.cancelled || m.grants.has(grantId)) return
    emit("CreditGranted", {
      memberId: m.id,
      grantId: grantId as Ids.GrantId,
      year: Number(s.startsAt.slice(0, 4)),
      hours: hoursOf(minutes),
      ...(r.chance(0.8) ? { category: s.category } : {}),
      ...(r.chance(0.6) ? { mode: s.mode } : {}),
      source: { kind: "session", classId: c.id, sessionId: s.id },
      policyId: "linear-45",
      at: at()
    })
    m.grants.set(grantId, false)
    if (r.chance(0.1)) spawn(revokeCredit(m, grantId))
  }
  let external = 0
  const externalCredit = (m: MemberSim) => () => {
    if (m.status === "new") return
    const grantId = `ext-${++external}`
    emit("CreditGranted", {
      memberId: m.id,
      grantId: grantId as Ids.GrantId,
      year,
      hours: (r.int(1, 16) * 25) as Hours.Hours,
      ...(r.chance(0.5) ? { mode: "online" as const } : {}),
      source: { kind: "external", system: r.pick(EXTERNAL_SYSTEMS), reference: `R${r.int(1000, 9999)}` },
      policyId: r.pick(["yunnan-online-2024", "linear-45"]),
      at: at()
    })
    m.grants.set(grantId, false)
    if (r.chance(0.1)) spawn(revokeCredit(m, grantId))
  }
  return { registerMember, sessionCredit }
}
