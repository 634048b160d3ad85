import { createTransport, type DaslogTransportStream } from './shared/runtime.js'
import { openPostgresDestination } from './postgres/destination.js'
import { postgresOptionsSpec, type PostgresOptions } from './postgres/options.js'

/**
 * The postgres transport, loaded by pino as `daslog/transports/postgres`:
 * records become rows of the audit table (`daslog_events`), a batch per
 * statement, each record once by its event_id. Options: `{ connectionString
 * | pool, table?, batch?: { size, intervalMs }, migrate? (true), retry?,
 * timeoutMs? }` and the common `events`, `deadLetter`, `queueSize`,
 * `closeTimeoutMs`, `name`.
 */
export default function postgresTransport (options: unknown): Promise<DaslogTransportStream> {
  return createTransport({ ...postgresOptionsSpec, open: openPostgresDestination }, options)
}

export { postgresOptionsSpec }
export type { PostgresOptions }
