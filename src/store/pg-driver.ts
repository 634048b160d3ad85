import pg from 'pg'
import type { Driver } from './driver.js'

/**
 * The store on node-postgres: a pool of its own for a URL (ended on close),
 * or the application's pool (left open). A client's `error` (the server went
 * away) reaches `onError` instead of crashing the process (node-postgres
 * #3202 needs both the pool's and each client's listener): the query that
 * used it fails, and is retried by whoever retries.
 */
export function pgDriver (target: string | pg.Pool, onError: (error: unknown) => void = () => {}): Driver {
  const owned = typeof target === 'string'
  const pool = owned ? new pg.Pool({ connectionString: target, max: 4 }) : target
  const listener = (error: Error): void => { onError(error) }
  const onConnect = (client: pg.PoolClient): void => { client.on('error', listener) }
  // Both, or an error of a client (idle, or between two queries) is an uncaught 'error' event.
  pool.on('error', listener)
  pool.on('connect', onConnect)
  return {
    async query<R> (sql: string, params: readonly unknown[]) {
      const result = await pool.query(sql, params as unknown[])
      return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 }
    },
    async exec (sql: string) {
      await pool.query(sql)
    },
    async close () {
      pool.off('error', listener)
      pool.off('connect', onConnect)
      if (owned) await pool.end()
    }
  }
}
