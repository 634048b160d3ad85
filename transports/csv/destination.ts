import { recordLine } from '../shared/queued-lines.js'
import type { Destination, LogRecord } from '../shared/runtime.js'
import { CsvFile } from './file.js'
import { headerLine, rowFormatter } from './format.js'
import { lineRowMaker } from './line-row.js'
import type { CsvOptions } from './options.js'

/** Local file writes: a few quick retries help with a full disk being cleaned or a file being moved. */
const fileRetry = { attempts: 3, minDelayMs: 100, maxDelayMs: 1_000 }

/** Where a record read from its line holds its row. */
const rowKey = Symbol('csv row')
interface RowRecord extends LogRecord { readonly [rowKey]?: string }

/**
 * Writes each batch of records as rows. The file (and its folder) is opened
 * with the first batch, so a file that cannot be opened fails deliveries,
 * which are retried and then dead-lettered, instead of the whole worker.
 * A line becomes its row straight from its text where it can (lineRowMaker),
 * else it is parsed and its record formatted.
 */
export function openCsvDestination (options: CsvOptions): Destination {
  const toRow = rowFormatter(options.columns)
  const lineRow = lineRowMaker(options.columns, toRow)
  const rowOf = (record: RowRecord): string => record[rowKey] ?? toRow(record)
  let file: CsvFile | undefined
  return {
    batchSize: 1_000,
    inline: true,
    eventIds: options.columns.includes('event_id'),
    retry: fileRetry,
    readLine: lineRow === undefined
      ? undefined
      : (line) => {
          const row = lineRow(line)
          return row === undefined ? undefined : { [rowKey]: row, [recordLine]: line }
        },
    deliver (records) {
      file ??= new CsvFile(options.path, headerLine(options.columns), options.rotate, options.fsync)
      file.write(records.map(rowOf))
    },
    close () {
      file?.close()
    }
  }
}
