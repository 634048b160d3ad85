import pg from 'pg'
import { openStore, type Store } from '../../src/store/store.js'
import type { CommonOptions } from '../shared/common-options.js'
import type { Destination, LogRecord } from '../shared/runtime.js'
import { deliveryErrorOf } from './errors.js'
import type { PostgresOptions } from './options.js'

/**
 * Inserts each batch into the audit table in one statement; a record whose
 * event_id is stored already (a retried batch whose commit did reach the
 * database, a replayed dead letter) is not written twice. The pool connects,
 * and the table is migrated, on the first delivery, as one of its retryable
 * steps: a database that is away when the worker starts delays the records
 * (then dead-letters them), it does not fail the transport.
 */
export function openPostgresDestination (options: PostgresOptions, _common: CommonOptions): Destination {
  const pool = new pg.Pool({
    ...options.pool,
    connectionTimeoutMillis: options.timeoutMs,
    query_timeout: options.timeoutMs,
    max: Math.max(options.concurrency, Number(options.pool.max ?? 0)),
    idleTimeoutMillis: 10_000
  })
  // A connection the server drops (idle or in use) must never crash the worker: the query that used it fails and is retried.
  const ignore = (): void => {}
  pool.on('error', ignore)
  let store: Store | undefined
  let ready: Promise<Store> | undefined

  const open = async (): Promise<Store> => {
    const opened = await openStore(pool, { table: options.table, onError: ignore, chain: options.chain, ...(options.chainKey === undefined ? {} : { chainKey: options.chainKey }) })
    if (options.migrate) {
      try {
        await opened.migrate()
      } catch (error) {
        // Closed, so its listeners leave the pool: the next attempt opens a store again.
        await opened.close().catch(() => {})
        throw deliveryErrorOf(error, `migrating ${options.table}`)
      }
    }
    store = opened
    return opened
  }

  return {
    batchSize: options.batch.size,
    batchIntervalMs: options.batch.intervalMs,
    concurrency: options.concurrency,
    retry: options.retry,
    async deliver (records: readonly LogRecord[]) {
      const target = store ?? await (ready ??= open().finally(() => { ready = undefined }))
      try {
        await target.insert(records)
      } catch (error) {
        throw deliveryErrorOf(error, `inserting into ${options.table}`)
      }
    },
    async close () {
      await store?.close()
      await pool.end()
    }
  }
}
