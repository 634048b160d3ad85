import type { Destination } from '../shared/runtime.js'
import { CsvFile } from './file.js'
import { headerLine, rowFormatter } from './format.js'
import type { CsvOptions } from './options.js'

/** Local file writes: a few quick retries help with a full disk being cleaned or a file being moved. */
const fileRetry = { attempts: 3, minDelayMs: 100, maxDelayMs: 1_000 }

/** Opens the CSV file (creating its folder) and writes each batch of records as rows. */
export function openCsvDestination (options: CsvOptions): Destination {
  const file = new CsvFile(options.path, headerLine(options.columns), options.rotate, options.fsync)
  const toRow = rowFormatter(options.columns)
  return {
    batchSize: 1_000,
    inline: true,
    retry: fileRetry,
    deliver (records) {
      file.write(records.map(toRow))
    },
    close () {
      file.close()
    }
  }
}
