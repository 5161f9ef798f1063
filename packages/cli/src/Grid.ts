/**
 * A plain text grid for the terminal: columns padded to the display width of their widest
 * cell (CJK characters take two columns: `string-width` measures them), numbers right-aligned,
 * no quotes, no box drawing (it copies cleanly into mail and documents).
 *
 * @since 0.1.0
 */
import stringWidth from "string-width"

/**
 * How a column is aligned.
 *
 * @category models
 * @since 0.1.0
 */
export type Align = "left" | "right"

/**
 * A column: its heading and alignment.
 *
 * @category models
 * @since 0.1.0
 */
export interface Column {
  readonly heading: string
  readonly align: Align
}

const pad = (text: string, width: number, align: Align): string => {
  const gap = " ".repeat(Math.max(0, width - stringWidth(text)))
  return align === "right" ? gap + text : text + gap
}

/**
 * The lines of a grid: a heading line, a rule of dashes, then one line per row. Trailing
 * spaces are trimmed.
 *
 * @category utils
 * @since 0.1.0
 */
export const grid = (columns: ReadonlyArray<Column>, rows: ReadonlyArray<ReadonlyArray<string>>): Array<string> => {
  const widths = columns.map((c, i) =>
    rows.reduce((w, row) => Math.max(w, stringWidth(row[i] ?? "")), stringWidth(c.heading))
  )
  const line = (cells: ReadonlyArray<string>) =>
    columns
      .map((c, i) => pad(cells[i] ?? "", widths[i] ?? 0, c.align))
      .join("  ")
      .trimEnd()
  return [
    line(columns.map((c) => c.heading)),
    widths
      .map((w) => "-".repeat(w))
      .join("  ")
      .trimEnd(),
    ...rows.map(line)
  ]
}

/**
 * A left-aligned column.
 *
 * @category utils
 * @since 0.1.0
 */
export const left = (heading: string): Column => ({ heading, align: "left" })
/**
 * A right-aligned (numeric) column.
 *
 * @category utils
 * @since 0.1.0
 */
export const right = (heading: string): Column => ({ heading, align: "right" })
