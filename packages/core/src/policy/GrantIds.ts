/**
 * The deterministic ids of credit grants that accrual makes (re-exported by
 * `Accrual`). A session grant's id is a function of the facts it rests on:
 * `s:<classId>:<sessionId>:<a|m><minutes>/<sessionMinutes>:<year>:r<n>` (`a`
 * attendance, `m` make-up; long ids are hashed to `s:#<16 hex>:r<n>`), where the
 * revision `n` is one more than the highest used for the same facts; an external
 * grant's id is `x:<system>:<reference>` (hashed to `x:#<16 hex>` when long).
 *
 * @since 0.1.0
 */

/** The longest grant id accrual writes. */
const MAX_ID = 128

/** FNV-1a over UTF-16 code units with two offsets: 16 hex digits. */
const hash = (text: string): string => {
  let a = 0x811c9dc5
  let b = 0x01000193 ^ 0x5bd1e995
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    a = Math.imul(a ^ c, 0x01000193) >>> 0
    b = Math.imul(b ^ c, 0x01000193) >>> 0
    b = (b ^ (b >>> 13)) >>> 0
  }
  return a.toString(16).padStart(8, "0") + b.toString(16).padStart(8, "0")
}

/**
 * The revision-free id of a session grant (see the module doc).
 *
 * @category rules
 * @since 0.1.0
 */
export const grantBase = (
  classId: string,
  sessionId: string,
  kind: "a" | "m",
  minutes: number,
  sessionMinutes: number,
  year: number
): string => {
  const base = `s:${classId}:${sessionId}:${kind}${minutes}/${sessionMinutes}:${year}`
  return base.length + 6 <= MAX_ID ? base : `s:#${hash(base)}`
}

const REVISION = /^(.*):r(\d+)$/

/**
 * Splits a grant id into its base and revision (`undefined` for ids that
 * accrual did not make).
 *
 * @category codecs
 * @since 0.1.0
 */
export const parseGrantId = (id: string): { readonly base: string; readonly revision: number } | undefined => {
  const m = REVISION.exec(id)
  return m === null ? undefined : { base: m[1] as string, revision: Number(m[2]) }
}

/**
 * The id of a grant of credit earned elsewhere: `x:<system>:<reference>`, hashed
 * to `x:#<16 hex>` when longer than accrual's ids may be.
 *
 * @category utils
 * @since 0.1.0
 */
export const externalGrantId = (system: string, reference: string): string => {
  const raw = `x:${system}:${reference}`
  return raw.length <= MAX_ID ? raw : `x:#${hash(raw)}`
}
