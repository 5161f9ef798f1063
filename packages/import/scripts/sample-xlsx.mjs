// Writes the XLSX samples of examples/rosters from their CSV twins (dates as real date cells,
// minutes as numbers, as Excel keeps them): node packages/import/scripts/sample-xlsx.mjs
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { parse } from "csv-parse/sync"
import ExcelJS from "exceljs"

const dir = fileURLToPath(new URL("../../../examples/rosters/", import.meta.url))
for (const name of ["sign-in", "sign-in-correct"]) {
  const [header, ...rows] = parse(readFileSync(`${dir}${name}.csv`, "utf8"), { bom: true })
  const workbook = new ExcelJS.Workbook()
  workbook.creator = "xueshi"
  workbook.created = new Date(Date.UTC(2025, 2, 20))
  workbook.modified = workbook.created
  const sheet = workbook.addWorksheet("签到表")
  sheet.addRow(header)
  for (const row of rows)
    sheet.addRow(
      row.map((cell, i) => {
        if (cell === "") return null
        if (/日期/.test(header[i])) {
          const [y, m, d] = cell.split("-").map(Number)
          return new Date(Date.UTC(y, m - 1, d))
        }
        return /^\d+$/.test(cell) ? Number(cell) : cell
      })
    )
  sheet.getColumn(4).numFmt = "yyyy-mm-dd"
  sheet.getColumn(8).numFmt = "yyyy-mm-dd"
  await workbook.xlsx.writeFile(`${dir}${name}.xlsx`)
  console.log(`wrote ${dir}${name}.xlsx`)
}
