/**
 * Reading a sign-in sheet: CSV through `csv-parse` (streaming, UTF-8 with or
 * without a BOM), XLSX through `exceljs`. A sheet is its header row and its
 * data rows as text cells, each row with its number as the spreadsheet shows it
 * (the header is row 1), so an error can point at `签到表!E7`.
 *
 * @since 0.1.0
 */
import { createReadStream } from "node:fs"
import { stat } from "node:fs/promises"
import { basename, extname } from "node:path"
import { Readable } from "node:stream"
import { parse } from "csv-parse"
import { Effect, Schema } from "effect"
import type ExcelJS from "exceljs"

/**
 * One data row: its row number in the sheet and its cells as text (trimmed).
 *
 * @category models
 * @since 0.1.0
 */
export interface SheetRow {
  readonly row: number
  readonly cells: ReadonlyArray<string>
}

/**
 * A sheet: its name (the worksheet, or the CSV file's name), header and rows.
 *
 * @category models
 * @since 0.1.0
 */
export interface Sheet {
  readonly name: string
  readonly header: ReadonlyArray<string>
  readonly rows: ReadonlyArray<SheetRow>
}

/**
 * A sheet cannot be read: not a CSV or XLSX file, no such worksheet, a broken file.
 *
 * @category errors
 * @since 0.1.0
 */
export class SheetError extends Schema.TaggedError<SheetError>()("SheetError", {
  file: Schema.String,
  message: Schema.String
}) {}

/**
 * The spreadsheet letter of a 0-based column index (0 → A, 26 → AA).
 *
 * @category utils
 * @since 0.1.0
 */
export const columnLetter = (index: number): string => {
  let n = index + 1
  let s = ""
  while (n > 0) {
    const r = (n - 1) % 26
    s = String.fromCharCode(65 + r) + s
    n = Math.floor((n - 1) / 26)
  }
  return s
}

const fromRecords = (name: string, records: ReadonlyArray<{ row: number; cells: ReadonlyArray<string> }>): Sheet => {
  const nonEmpty = records.filter((r) => r.cells.some((c) => c !== ""))
  const [head, ...rows] = nonEmpty
  return { name, header: head === undefined ? [] : head.cells, rows }
}

/**
 * A CSV sheet from a byte or text stream (parsed as it arrives).
 *
 * @category utils
 * @since 0.1.0
 */
export const readCsv = (input: NodeJS.ReadableStream | string, name: string): Effect.Effect<Sheet, SheetError> =>
  Effect.tryPromise({
    try: async () => {
      const source = typeof input === "string" ? Readable.from([input]) : input
      const parser = source.pipe(
        parse({ bom: true, relax_column_count: true, trim: true, skip_empty_lines: false, info: true })
      )
      // pipe does not forward the source's errors (a missing file): end the parse with them
      source.on("error", (e) => parser.destroy(e))
      const records: Array<{ row: number; cells: ReadonlyArray<string> }> = []
      for await (const r of parser as AsyncIterable<{ record: Array<string>; info: { lines: number } }>) {
        records.push({ row: r.info.lines, cells: r.record })
      }
      return fromRecords(name, records)
    },
    catch: (e) => new SheetError({ file: name, message: e instanceof Error ? e.message : String(e) })
  })

const two = (n: number) => String(n).padStart(2, "0")

/** The text of an exceljs cell value: dates as YYYY-MM-DD (or with the time), rich text joined, formula results. */
const cellText = (value: ExcelJS.CellValue): string => {
  if (value === null || value === undefined) return ""
  if (value instanceof Date) {
    const date = `${value.getUTCFullYear()}-${two(value.getUTCMonth() + 1)}-${two(value.getUTCDate())}`
    const hm = value.getUTCHours() * 60 + value.getUTCMinutes()
    return hm === 0 ? date : `${date} ${two(value.getUTCHours())}:${two(value.getUTCMinutes())}`
  }
  if (typeof value === "object") {
    if ("richText" in value) return value.richText.map((t) => t.text).join("")
    if ("result" in value) return cellText(value.result as ExcelJS.CellValue)
    if ("text" in value) return String(value.text)
    if ("error" in value) return String(value.error)
    return ""
  }
  return String(value)
}

/**
 * An XLSX worksheet (by name, default the first) from a byte stream.
 *
 * @category utils
 * @since 0.1.0
 */
export const readXlsx = (
  input: NodeJS.ReadableStream,
  file: string,
  sheetName?: string
): Effect.Effect<Sheet, SheetError> =>
  Effect.tryPromise({
    try: async () => {
      // loaded on demand: exceljs is large, and most runs of the bin never read a workbook
      const { default: Excel } = await import("exceljs")
      const workbook = new Excel.Workbook()
      await workbook.xlsx.read(input as unknown as Parameters<typeof workbook.xlsx.read>[0])
      const sheet = sheetName === undefined ? workbook.worksheets[0] : workbook.getWorksheet(sheetName)
      if (sheet === undefined) {
        const names = workbook.worksheets.map((w) => w.name).join(", ")
        throw new Error(
          sheetName === undefined ? "the workbook has no worksheet" : `no worksheet ${sheetName} (${names})`
        )
      }
      const records: Array<{ row: number; cells: ReadonlyArray<string> }> = []
      sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
        const cells: Array<string> = []
        for (let c = 1; c <= row.cellCount; c++) cells.push(cellText(row.getCell(c).value).trim())
        records.push({ row: rowNumber, cells })
      })
      return fromRecords(sheet.name, records)
    },
    catch: (e) => new SheetError({ file, message: e instanceof Error ? e.message : String(e) })
  })

/**
 * A sheet from a file, by its extension (`.csv` or `.xlsx`).
 *
 * @category utils
 * @since 0.1.0
 */
export const readFile = (path: string, sheetName?: string): Effect.Effect<Sheet, SheetError> => {
  const ext = extname(path).toLowerCase()
  if (ext !== ".csv" && ext !== ".xlsx")
    return Effect.fail(new SheetError({ file: path, message: `not a .csv or .xlsx file (${ext || "no extension"})` }))
  const exists = Effect.tryPromise({
    try: () => stat(path),
    catch: (e) =>
      new SheetError({
        file: path,
        message:
          (e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : e instanceof Error ? e.message : String(e)
      })
  })
  return Effect.flatMap(exists, () =>
    ext === ".csv"
      ? readCsv(createReadStream(path), basename(path))
      : readXlsx(createReadStream(path), basename(path), sheetName)
  )
}
