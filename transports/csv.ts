import { createTransport, type DaslogTransportStream } from './shared/runtime.js'
import { openCsvDestination } from './csv/destination.js'
import { csvOptionsSpec, type CsvOptions } from './csv/options.js'

/**
 * The csv transport, loaded by pino as `daslog/transports/csv`: records
 * become rows of an RFC 4180 file, with a header, rotation and dead letters.
 * Options: `{ path, columns?, rotate?: { size?, interval?: 'daily' }, fsync? }`
 * and the common `events`, `deadLetter`, `queueSize`, `closeTimeoutMs`, `name`.
 */
export default function csvTransport (options: unknown): Promise<DaslogTransportStream> {
  return createTransport({ ...csvOptionsSpec, open: openCsvDestination }, options)
}

export { csvOptionsSpec }
export type { CsvOptions }
