import type { Destination } from '../shared/runtime.js'
import { CsvFile } from './file.js'
import { headerLine, rowFormatter } from './format.js'
import type { CsvOptions } from './options.js'

/** Local file writes: a few quick retries help with a full disk being cleaned or a file being moved. */
const fileRetry = { attempts: 3, minDelayMs: 100, maxDelayMs: 1_000 }

/**
 * Writes each batch of records as rows. The file (and its folder) is opened
 * with the first batch, so a file that cannot be opened fails deliveries,
 * which are retried and then dead-lettered, instead of the whole worker.
 */
export function openCsvDestination (options: CsvOptions): Destination {
  const toRow = rowFormatter(options.columns)
  let file: CsvFile | undefined
  return {
    batchSize: 1_000,
    inline: true,
    eventIds: options.columns.includes('event_id'),
    retry: fileRetry,
    deliver (records) {
      file ??= new CsvFile(options.path, headerLine(options.columns), options.rotate, options.fsync)
      file.write(records.map(toRow))
    },
    close () {
      file?.close()
    }
  }
}
