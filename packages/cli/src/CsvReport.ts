/**
 * The CSV form of a district report (`--format csv`): one file per table — schools.csv,
 * requirements.csv, shortfalls.csv, modules.csv, classes.csv, quotas.csv — in UTF-8 with a
 * byte-order mark (so Excel opens the Chinese text correctly), CRLF line ends, written by
 * `csv-stringify` (quoting as RFC 4180 requires). Pure: report in, file names and texts out.
 *
 * @since 0.1.0
 */

import type { DistrictReport } from "@xueshi/core"
import { stringify } from "csv-stringify/sync"
import type { Lang } from "./Labels.js"
import * as Tables from "./Tables.js"

/**
 * The byte-order mark every file starts with.
 *
 * @category constants
 * @since 0.1.0
 */
export const BOM = "\uFEFF"

/**
 * One CSV file: its name (`schools.csv`) and its text (BOM included).
 *
 * @category models
 * @since 0.1.0
 */
export interface CsvFile {
  readonly name: string
  readonly text: string
}

/**
 * Options of {@link render}.
 *
 * @category models
 * @since 0.1.0
 */
export interface CsvOptions {
  /** Headings: Chinese (default) or the identifiers (`--lang en`). */
  readonly lang?: Lang
}

/**
 * The six CSV files of a report, in a fixed order.
 *
 * @category rendering
 * @since 0.1.0
 */
export const render = (report: DistrictReport.DistrictReport, options: CsvOptions = {}): Array<CsvFile> => {
  const lang = options.lang ?? "zh"
  return Tables.all(report, lang).map((t) => ({
    name: `${t.name}.csv`,
    text:
      BOM +
      stringify([t.columns.map((c) => Tables.heading(lang, c.key)), ...t.rows.map((r) => [...r])], {
        record_delimiter: "windows"
      })
  }))
}
