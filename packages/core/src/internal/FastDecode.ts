/**
 * A fast path for decoding payloads whose schema transforms nothing: a
 * predicate compiled once from the schema's AST that answers the decoded value
 * when it can tell the value is valid, and {@link REJECT} otherwise.
 *
 * It is an accelerator, never a judge: it accepts only values that the schema
 * itself accepts (every check of the AST runs, with the schema's own filter
 * functions), and builds the same output (structs rebuilt in field order, arrays
 * copied). Anything it does not know (a transformation, a declaration, an index
 * signature, a union whose members are not told apart by a literal field) makes
 * the compile answer `undefined`, and a value it rejects goes to the full
 * decoder, which gives the typed error. So the results are the schema's.
 *
 * @since 0.1.0
 */
import type { SchemaAST } from "effect"

/** The answer of a fast decoder for a value it does not accept. */
export const REJECT: unique symbol = Symbol("xueshi/FastDecode/reject")

/** A compiled fast decoder: the decoded value, or {@link REJECT}. */
export type FastDecoder = (u: unknown) => unknown

type Check = NonNullable<SchemaAST.AST["checks"]>[number]

const OPTIONS = { onExcessProperty: "error" } as const

const passes = (check: Check, u: unknown, ast: SchemaAST.AST): boolean => {
  if (check._tag === "Filter") return check.run(u, ast, OPTIONS as never) === undefined
  for (const c of check.checks) if (!passes(c, u, ast)) return false
  return true
}

const withChecks = (ast: SchemaAST.AST, inner: FastDecoder): FastDecoder => {
  const checks = ast.checks
  if (checks === undefined) return inner
  return (u) => {
    const out = inner(u)
    if (out === REJECT) return REJECT
    for (const c of checks) if (!passes(c, out, ast)) return REJECT
    return out
  }
}

const isPlainObject = (u: unknown): u is Record<string, unknown> =>
  typeof u === "object" && u !== null && !Array.isArray(u)

/** The literal value of a property of every member of a union, if one tells them apart. */
const discriminant = (
  types: ReadonlyArray<SchemaAST.AST>
): { readonly key: string; readonly values: ReadonlyArray<unknown> } | undefined => {
  const first = types[0]
  if (first === undefined || first._tag !== "Objects") return undefined
  for (const ps of first.propertySignatures) {
    if (typeof ps.name !== "string") continue
    const values: Array<unknown> = []
    for (const t of types) {
      if (t._tag !== "Objects") return undefined
      const p = t.propertySignatures.find((x) => x.name === ps.name)
      if (p === undefined || p.type._tag !== "Literal" || p.type.context?.isOptional === true) break
      values.push(p.type.literal)
    }
    if (values.length === types.length && new Set(values).size === values.length) return { key: ps.name, values }
  }
  return undefined
}

/**
 * Compiles the fast decoder of an AST, or `undefined` when the AST holds
 * something it does not know (then use the full decoder only).
 *
 * @since 0.1.0
 */
export const compile = (ast: SchemaAST.AST): FastDecoder | undefined => {
  if (ast.encoding !== undefined) return undefined
  if ("encodingChecks" in ast && ast.encodingChecks !== undefined) return undefined
  switch (ast._tag) {
    case "String":
      return withChecks(ast, (u) => (typeof u === "string" ? u : REJECT))
    case "Number":
      return withChecks(ast, (u) => (typeof u === "number" && Number.isFinite(u) ? u : REJECT))
    case "Boolean":
      return withChecks(ast, (u) => (typeof u === "boolean" ? u : REJECT))
    case "Literal": {
      const literal = ast.literal
      return withChecks(ast, (u) => (u === literal ? u : REJECT))
    }
    case "Union": {
      if (ast.options?.mode === "oneOf") return undefined
      const members = ast.types.map(compile)
      if (members.some((m) => m === undefined)) return undefined
      const fast = members as ReadonlyArray<FastDecoder>
      if (ast.types.every((t) => t._tag === "Literal")) {
        const literals = new Set(ast.types.map((t) => (t as SchemaAST.Literal).literal))
        const byLiteral = new Map(ast.types.map((t, i) => [(t as SchemaAST.Literal).literal, fast[i] as FastDecoder]))
        return withChecks(ast, (u) =>
          literals.has(u as never) ? (byLiteral.get(u as never) as FastDecoder)(u) : REJECT
        )
      }
      const d = discriminant(ast.types)
      if (d === undefined) return undefined
      const byValue = new Map(d.values.map((v, i) => [v, fast[i] as FastDecoder]))
      const key = d.key
      return withChecks(ast, (u) => {
        if (!isPlainObject(u)) return REJECT
        const member = byValue.get(u[key])
        return member === undefined ? REJECT : member(u)
      })
    }
    case "Arrays": {
      // required leading elements, then at most one rest type (NonEmptyArray is [T, ...T[]])
      if (ast.rest.length > 1 || ast.elements.some((e) => e.context?.isOptional === true)) return undefined
      const heads = ast.elements.map(compile)
      const rest = ast.rest.length === 0 ? undefined : compile(ast.rest[0] as SchemaAST.AST)
      if (heads.some((h) => h === undefined) || (ast.rest.length === 1 && rest === undefined)) return undefined
      const head = heads as ReadonlyArray<FastDecoder>
      const h = head.length
      return withChecks(ast, (u) => {
        if (!Array.isArray(u) || u.length < h || (rest === undefined && u.length !== h)) return REJECT
        const out = new Array(u.length)
        for (let i = 0; i < u.length; i++) {
          const v = (i < h ? (head[i] as FastDecoder) : (rest as FastDecoder))(u[i])
          if (v === REJECT) return REJECT
          out[i] = v
        }
        return out
      })
    }
    case "Objects": {
      if (ast.indexSignatures.length !== 0) return undefined
      const keys: Array<string> = []
      const optional: Array<boolean> = []
      const fields: Array<FastDecoder> = []
      for (const ps of ast.propertySignatures) {
        if (typeof ps.name !== "string") return undefined
        const f = compile(ps.type)
        if (f === undefined) return undefined
        keys.push(ps.name)
        optional.push(ps.type.context?.isOptional === true)
        fields.push(f)
      }
      const n = keys.length
      return withChecks(ast, (u) => {
        if (!isPlainObject(u)) return REJECT
        let present = 0
        const out: Record<string, unknown> = {}
        for (let i = 0; i < n; i++) {
          const k = keys[i] as string
          if (!Object.hasOwn(u, k)) {
            if (optional[i] === true) continue
            return REJECT
          }
          const v = (fields[i] as FastDecoder)(u[k])
          if (v === REJECT) return REJECT
          out[k] = v
          present++
        }
        // an excess property (or a symbol key) is for the schema to judge (onExcessProperty: "error")
        return Reflect.ownKeys(u).length === present ? out : REJECT
      })
    }
    default:
      return undefined
  }
}
